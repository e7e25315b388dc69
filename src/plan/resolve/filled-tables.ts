/**
 * `ALTER TABLE t ADD COLUMN c ... NOT NULL` with no default fails on a table
 * that has rows ("column c of relation t contains null values"). When the plan
 * itself put rows in the table before it (an `INSERT ... VALUES` that runs
 * first) and nothing that may run between them empties or drops it (DELETE,
 * TRUNCATE, DROP TABLE), the apply is sure to fail there: a
 * `column_needs_default` error naming both places. Rows the database holds
 * from outside the plan are not known here.
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

const EMPTYING: ReadonlySet<string> = new Set(['DeleteStmt', 'TruncateStmt']);

export function checkFilledTables(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const fills = new Map<StoreKey, Unit[]>();
  const empties = new Map<StoreKey, Unit[]>();
  const adds: { unit: Unit; key: StoreKey; table: string; columns: readonly string[] }[] = [];
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (e.columnFacts?.fills) pushTo(fills, key, u);
      else if (e.action === 'drop' || (e.action === 'write' && EMPTYING.has(u.stmt.kind))) pushTo(empties, key, u);
      else if (e.columnFacts?.bare) adds.push({ unit: u, key, table: e.object.name, columns: e.columnFacts.bare });
    }
  }
  if (fills.size === 0) return;
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

