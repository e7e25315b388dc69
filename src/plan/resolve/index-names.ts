/**
 * Index names already taken in a store: a `CREATE INDEX` (without IF NOT EXISTS) whose name is that of
 * the index a PRIMARY KEY or UNIQUE constraint makes — written, or chosen by PostgreSQL as
 * `table_column_key` / `table_pkey` — fails at apply with "relation already exists", unless the
 * constraint, its index or its table is dropped by a statement ordered in between (replacing a UNIQUE
 * constraint by a unique index on `lower(email)` drops the constraint first). It is a `duplicate_create`
 * conflict naming both places. A constraint added after such an index is reported by constraint-names.ts.
 *
 * @example
 * checkIndexNames(topology, live, log, new Precedence(graph, stepOf));
 * // plan: index "accounts_email_key" at "accounts/0002.sql:3" is already the name of the index the UNIQUE ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import type { Precedence } from '../order/precedence.js';
import { pushTo } from '../push-to.js';

interface Made {
  readonly unit: Unit;
  readonly table: string;
  readonly tableKey: string;
}

export function checkIndexNames(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  // The CREATE INDEX statements that may collide, by `store|schema.name`: a plan has few names to look up, but
  // every table's constraints make index names; only those that meet one of these are kept.
  const creates: { readonly unit: Unit; readonly name: string; readonly key: string }[] = [];
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind !== 'IndexStmt') continue;
    const e = u.stmt.effects.find((x) => x.action === 'create' && x.object.kind === 'index');
    if (e && !e.ifNotExists) creates.push({ unit: u, name: e.object.name, key: `${u.store}|${e.object.schema ?? 'public'}.${e.object.name}` });
  }
  if (creates.length === 0) return;
  const wanted = new Set(creates.map((c) => c.key));
  // Constraint index names are checked by name first: a key string is made only for a name some CREATE INDEX uses.
  const wantedNames = new Set(creates.map((c) => c.name));
  const made = new Map<string, Made[]>();
  // What ends a name: DROP CONSTRAINT or DROP INDEX of it (by `store|schema.name`), a drop of its table (by the table's key).
  const ends = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind === 'index' && (e.action === 'drop' || e.action === 'rename')) pushTo(ends, `${u.store}|${e.object.schema ?? 'public'}.${e.object.name}`, u);
      if (e.object.kind !== 'table') continue;
      // A renamed table keeps its indexes' names: only a drop frees them.
      if (e.action === 'drop') pushTo(ends, storeKey(topology, u.store, 'postgres', e.object), u);
      const facts = e.columnFacts;
      if (!facts) continue;
      for (const name of facts.droppedConstraints ?? []) pushTo(ends, `${u.store}|${e.object.schema ?? 'public'}.${name}`, u);
      if (e.action !== 'create' && e.action !== 'alter') continue;
      for (const name of facts.indexes ?? []) {
        if (!wantedNames.has(name)) continue;
        const key = `${u.store}|${e.object.schema ?? 'public'}.${name}`;
        if (wanted.has(key)) pushTo(made, key, { unit: u, table: e.object.name, tableKey: storeKey(topology, u.store, 'postgres', e.object) });
      }
    }
  }
  if (made.size === 0) return;
  for (const { unit: u, name, key } of creates) {
    const owner = made.get(key)?.find((x) => x.unit !== u && holds(x, u, [...(ends.get(key) ?? []), ...(ends.get(x.tableKey) ?? [])], order));
    if (!owner) continue;
    log.add({
      kind: 'duplicate_create',
      object: `index ${name}`,
      objectName: name,
      message: `plan: index "${name}" at "${unitPlace(u)}" is already the name of the index a constraint of table "${owner.table}" makes at "${unitPlace(owner.unit)}" in store "${u.store}" (PostgreSQL names a UNIQUE constraint's index table_column_key, a primary key's table_pkey)`,
      sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: owner.unit.file.file, line: owner.unit.stmt.line, set: owner.unit.set.name, store: owner.unit.store }],
      severity: 'error',
      hint: `give the index another name, or drop the constraint first (ALTER TABLE ${owner.table} DROP CONSTRAINT ${name}) if the index replaces it`,
    });
  }
}

/** The constraint's index still has the name when `u` runs: made before it with nothing ending it in between, or nothing orders the two (reported at the later one). */
function holds(x: Made, u: Unit, ends: readonly Unit[], order: Precedence): boolean {
  if (order.before(x.unit, u)) return !ends.some((d) => d !== u && order.before(x.unit, d) && order.before(d, u));
  return !order.before(u, x.unit) && x.unit.seq < u.seq;
}

