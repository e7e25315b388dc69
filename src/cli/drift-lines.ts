/** A store's drift as terminal lines, shared by `status` and `verify`. */
import type pc from 'picocolors';
import type { StoreDrift } from '../execute/store-drift.js';
import { renderSchemaDiff } from '../schema/render-schema-diff.js';

/** Lines for one store's drift and its objects no migration created; `unknown` are their names. */
export function driftLines(drift: StoreDrift, unknown: readonly string[], c: ReturnType<typeof pc.createColors>): string[] {
  const out: string[] = [];
  if (drift.against === 'schema-file') {
    if (drift.changes.length === 0) out.push(c.dim(`  schema     matches ${drift.file}`));
    else out.push(`  ${c.red('drift     ')} ${drift.changes.length} change${drift.changes.length === 1 ? '' : 's'} outside migrations, against ${drift.file}:`, renderSchemaDiff(drift.changes, '    '));
  } else if (drift.note) out.push(c.dim(`  schema     not compared: ${drift.note}`));
  for (const n of unknown) out.push(`  ${c.yellow('unknown   ')} ${n}${drift.against === 'plan' ? c.dim(': no step of the plan creates it') : ''}`);
  return out;
}

/** Drift that fails a status or verify: changes against a committed schema file. */
export function hasDrift(drift: StoreDrift | undefined): boolean {
  return drift?.against === 'schema-file' && drift.changes.length > 0;
}
