/**
 * Column-level facts: an index, a constraint or an ALTER that names a column of a table no statement of
 * the plan gives it is an error naming both places (the statement, and the CREATE TABLE that lists the
 * table's columns). Only tables whose every creation lists all their columns are checked (not those made
 * with LIKE, INHERITS or PARTITION OF, nor external ones).
 *
 * @example
 * diagnostics.push(...checkColumns(topology, live));
 * // plan: "app/003_idx.sql:1" names column "emial" of table "users", which no statement gives it ...
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Topology } from '../../topology/model.js';
import { storeKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { compareText } from '../compare-text.js';

interface TableColumns {
  readonly name: string;
  creator?: Unit;
  complete: boolean;
  readonly known: Set<string>;
  readonly uses: { unit: Unit; column: string }[];
}

export function checkColumns(topology: Topology, units: readonly Unit[]): Diagnostic[] {
  const tables = new Map<string, TableColumns>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      const facts = e.columnFacts;
      if (!facts || e.object.kind !== 'table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      let t = tables.get(key);
      if (!t) tables.set(key, (t = { name: e.object.name, complete: true, known: new Set(), uses: [] }));
      if (e.action === 'create') {
        t.creator ??= u;
        if (!facts.complete) t.complete = false;
      }
      for (const c of facts.added ?? []) t.known.add(c);
      for (const c of facts.used ?? []) t.uses.push({ unit: u, column: c });
    }
  }
  const out: Diagnostic[] = [];
  for (const [, t] of [...tables].sort(([a], [b]) => compareText(a, b))) {
    if (!t.creator || !t.complete) continue;
    const reported = new Set<string>();
    for (const { unit, column } of t.uses) {
      if (t.known.has(column) || reported.has(`${unitPlace(unit)}|${column}`)) continue;
      reported.add(`${unitPlace(unit)}|${column}`);
      out.push(
        diagnostic({
          code: 'plan.unknown_column',
          severity: 'error',
          message: `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}", which no statement gives it: "${unitPlace(t.creator)}" creates the table with ${[...t.known].map((c) => `"${c}"`).join(', ') || 'no columns'}`,
          file: unit.file.file,
          line: unit.stmt.line,
          column: unit.stmt.column,
          object: `table ${t.name}`,
          hint: `fix the column name, or add the column before it is used:\nALTER TABLE ${t.name} ADD COLUMN ${column} <type>;`,
        }),
      );
    }
  }
  return out;
}
