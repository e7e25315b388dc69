/**
 * `ALTER TABLE t ADD COLUMN c ... NOT NULL` with no default fails on a table
 * that has rows ("column c of relation t contains null values"). When the plan
 * itself put rows in the table before it (an `INSERT ... VALUES` that runs
 * first) and nothing that may run between them empties or drops it (DELETE,
 * TRUNCATE, DROP TABLE), the apply is sure to fail there: a
 * `column_needs_default` error naming both places. So does `ALTER COLUMN c
 * SET NOT NULL` after an `INSERT ... VALUES` that lists its columns without c,
 * when c is one the CREATE TABLE made with no default (nor serial, identity or
 * generation), no other statement names it, and no UPDATE may run between (it
 * may fill c). Rows the database holds from outside the plan are not known here.
 *
 * @example
 * checkFilledTables(topology, live, log, new Precedence(graph, stepOf));
 * // plan: "ALTER TABLE plans" at "billing/002_price.sql:1" adds column "price" NOT NULL with no default, but "billing/001_plans.sql:2" puts rows in the table before it ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import type { Precedence } from '../order/precedence.js';
import { storeKey, type StoreKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { pushTo } from '../push-to.js';
import { unfilledColumns } from '../../sql/postgres/unfilled-columns.js';

const EMPTYING: ReadonlySet<string> = new Set(['DeleteStmt', 'TruncateStmt']);

export function checkFilledTables(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const fills = new Map<StoreKey, Unit[]>();
  const empties = new Map<StoreKey, Unit[]>();
  const adds: { unit: Unit; key: StoreKey; table: string; columns: readonly string[] }[] = [];
  const setters: { unit: Unit; key: StoreKey; table: string; columns: readonly string[] }[] = [];
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (e.columnFacts?.fills) pushTo(fills, key, u);
      else if (e.action === 'drop' || (e.action === 'write' && EMPTYING.has(u.stmt.kind))) pushTo(empties, key, u);
      else if (e.columnFacts?.bare) adds.push({ unit: u, key, table: e.object.name, columns: e.columnFacts.bare });
      if (e.columnFacts?.notNull) setters.push({ unit: u, key, table: e.object.name, columns: e.columnFacts.notNull });
    }
  }
  if (fills.size === 0) return;
  if (setters.length > 0) checkSetNotNull(topology, units, setters.filter((x) => fills.has(x.key)), fills, empties, log, order);
  for (const a of adds) {
    const filler = fills.get(a.key)?.find((f) => order.before(f, a.unit) && !(empties.get(a.key) ?? []).some((x) => !order.before(x, f) && !order.before(a.unit, x)));
    if (!filler) continue;
    const columns = a.columns.map((c) => `"${c}"`).join(', ');
    log.add({
      kind: 'column_needs_default',
      object: `table ${a.table}`,
      objectName: a.table,
      message: `plan: "ALTER TABLE ${a.table}" at "${unitPlace(a.unit)}" adds column${a.columns.length > 1 ? 's' : ''} ${columns} NOT NULL with no default, but "${unitPlace(filler)}" puts rows in the table before it: PostgreSQL refuses (the rows would hold NULL there)`,
      sources: [{ file: a.unit.file.file, line: a.unit.stmt.line, store: a.unit.store }, { file: filler.file.file, line: filler.stmt.line, store: filler.store }],
      severity: 'error',
      hint: `give the column a default (ADD COLUMN ${a.columns[0]} <type> NOT NULL DEFAULT <value>), or add it nullable, fill it (UPDATE ${a.table} SET ${a.columns[0]} = ...), then ALTER COLUMN ${a.columns[0]} SET NOT NULL`,
    });
  }
}

/**
 * `ALTER COLUMN c SET NOT NULL` after an INSERT ... VALUES that leaves c out of the columns it lists: c holds NULL in
 * those rows when the CREATE TABLE gave it no default and nothing else touches c (see the file's comment).
 */
function checkSetNotNull(
  topology: Topology,
  units: readonly Unit[],
  setters: readonly { unit: Unit; key: StoreKey; table: string; columns: readonly string[] }[],
  fills: ReadonlyMap<StoreKey, Unit[]>,
  empties: ReadonlyMap<StoreKey, Unit[]>,
  log: ConflictLog,
  order: Precedence,
): void {
  if (setters.length === 0) return;
  const wanted = new Set(setters.map((x) => x.key));
  // Per table: its one CREATE TABLE, the statements that name each column, and its UPDATEs.
  const creators = new Map<StoreKey, Unit[]>();
  const namers = new Map<string, Unit[]>();
  const updates = new Map<StoreKey, Unit[]>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (!wanted.has(key)) continue;
      if (e.action === 'create') pushTo(creators, key, u);
      if (e.action === 'write' && u.stmt.kind === 'UpdateStmt') pushTo(updates, key, u);
      const f = e.columnFacts;
      if (e.action !== 'create' && f) for (const c of [...(f.added ?? []), ...(f.dropped ?? []), ...(f.used ?? [])]) pushTo(namers, `${key}|${c}`, u);
    }
  }
  for (const x of setters) {
    const made = creators.get(x.key);
    if (made?.length !== 1) continue;
    const unfilled = unfilledColumns(made[0]!.stmt);
    for (const column of x.columns) {
      if (!unfilled?.includes(column)) continue;
      const filler = fills.get(x.key)!.find((f) => {
        const listed = f.stmt.effects.find((e) => e.columnFacts?.fills)?.columnFacts?.used;
        if (!listed || listed.includes(column) || !order.before(made[0]!, f) || !order.before(f, x.unit)) return false;
        const between = (u: Unit) => u !== f && u !== x.unit && !order.before(u, f) && !order.before(x.unit, u);
        return !(empties.get(x.key) ?? []).some(between) && !(updates.get(x.key) ?? []).some(between);
      });
      // Another statement naming the column (a SET DEFAULT, an ADD after a drop) may have given it values: left alone.
      if (!filler || (namers.get(`${x.key}|${column}`) ?? []).some((u) => u !== x.unit && u !== filler)) continue;
      log.add({
        kind: 'column_needs_default',
        object: `table ${x.table}`,
        objectName: x.table,
        message: `plan: "ALTER TABLE ${x.table}" at "${unitPlace(x.unit)}" makes column "${column}" NOT NULL, but "${unitPlace(filler)}" puts rows in the table before it without a value for it, and it has no default: PostgreSQL refuses (the rows hold NULL there)`,
        sources: [{ file: x.unit.file.file, line: x.unit.stmt.line, store: x.unit.store }, { file: filler.file.file, line: filler.stmt.line, store: filler.store }],
        severity: 'error',
        hint: `fill the column first (UPDATE ${x.table} SET ${column} = ... WHERE ${column} IS NULL), or give the INSERT a value for it`,
      });
    }
  }
}
