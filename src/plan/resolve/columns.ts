/**
 * Column-level facts: an index, a constraint or an ALTER that names a column of a table no statement of
 * the plan gives it is an `unknown_column` conflict naming both places (the statement, and the CREATE TABLE that lists the
 * table's columns). Only tables whose every creation lists all their columns are checked (not those made
 * with LIKE, INHERITS or PARTITION OF, nor external ones).
 *
 * @example
 * checkColumns(topology, live, log);
 * // plan: "app/003_idx.sql:1" names column "emial" of table "users", which no statement gives it ...
 */
import type { ConflictLog } from './conflict-log.js';
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

export function checkColumns(topology: Topology, units: readonly Unit[], log: ConflictLog): void {
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
  // Sort only the tables that have something to report: nearly every table of a plan has nothing.
  const suspect = [...tables].filter(([, t]) => t.creator && t.complete && t.uses.some((x) => !t.known.has(x.column)));
  for (const [, t] of suspect.sort(([a], [b]) => compareText(a, b))) {
    if (!t.creator) continue;
    const reported = new Set<string>();
    for (const { unit, column } of t.uses) {
      if (t.known.has(column) || reported.has(`${unitPlace(unit)}|${column}`)) continue;
      reported.add(`${unitPlace(unit)}|${column}`);
      log.add({
        kind: 'unknown_column',
        object: `table ${t.name}`,
        objectName: t.name,
        message: `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}", which no statement gives it: "${unitPlace(t.creator)}" creates the table with ${[...t.known].map((c) => `"${c}"`).join(', ') || 'no columns'}`,
        sources: [{ file: unit.file.file, line: unit.stmt.line, set: unit.set.name, store: unit.store }, { file: t.creator.file.file, line: t.creator.stmt.line, set: t.creator.set.name, store: t.creator.store }],
        severity: 'error',
        hint: `fix the column name, or add the column before it is used:\nALTER TABLE ${t.name} ADD COLUMN ${column} <type>;`,
      });
    }
  }
}
