/**
 * Says how two CREATE TABLE definitions of one table differ, in words a
 * reviewer can act on. Used by duplicate-create conflicts, where
 * `IF NOT EXISTS` would otherwise silently keep whichever ran first.
 *
 * @example
 * shapeDiff(a, b) // ['column "share_count": integer vs bigint', 'column "source" only in the second']
 */
import type { TableShape } from '../../sql/effects.js';

export function shapeDiff(a: TableShape | undefined, b: TableShape | undefined): string[] {
  if (!a || !b) return [];
  const out: string[] = [];
  const bCols = new Map(b.columns.map((c) => [c.name, c]));
  const aCols = new Map(a.columns.map((c) => [c.name, c]));
  for (const c of a.columns) {
    const d = bCols.get(c.name);
    if (!d) {
      out.push(`column "${c.name}" only in the first`);
      continue;
    }
    if (c.type !== d.type) out.push(`column "${c.name}": ${c.type} vs ${d.type}`);
    if (c.notNull !== d.notNull) out.push(`column "${c.name}": ${c.notNull ? 'not null' : 'nullable'} vs ${d.notNull ? 'not null' : 'nullable'}`);
    if ((c.default ?? '') !== (d.default ?? '')) out.push(`column "${c.name}": default ${c.default ?? 'none'} vs ${d.default ?? 'none'}`);
    if ((c.references ?? '') !== (d.references ?? '')) out.push(`column "${c.name}": references ${c.references ?? 'nothing'} vs ${d.references ?? 'nothing'}`);
  }
  for (const c of b.columns) if (!aCols.has(c.name)) out.push(`column "${c.name}" only in the second`);
  const bCons = new Set(b.constraints);
  const aCons = new Set(a.constraints);
  for (const c of a.constraints) if (!bCons.has(c)) out.push(`constraint "${c}" only in the first`);
  for (const c of b.constraints) if (!aCons.has(c)) out.push(`constraint "${c}" only in the second`);
  return out;
}
