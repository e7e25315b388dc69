/**
 * A schema diff as lines a reviewer reads: `+` added, `-` removed, `~`
 * changed with what changed indented below it.
 *
 * @example
 * renderSchemaDiff(diffSchemas(committed.objects, checked.objects))
 * // '  ~ table public.likes\n      column "created_at": timestamp with time zone not null → timestamp with time zone'
 */
import type { SchemaChange } from './diff-schemas.js';

const MARK = { added: '+', removed: '-', changed: '~' } as const;

export function renderSchemaDiff(changes: readonly SchemaChange[], indent = '  '): string {
  const lines: string[] = [];
  for (const c of changes) {
    if (c.change === 'changed') {
      lines.push(`${indent}~ ${c.kind} ${c.name}`);
      for (const d of c.details) lines.push(`${indent}    ${d}`);
    } else lines.push(`${indent}${MARK[c.change]} ${c.kind} ${c.name}${c.details[0] ? `: ${c.details[0]}` : ''}`);
  }
  return lines.join('\n');
}
