/**
 * `ALTER COLUMN c TYPE t` without USING converts the column's values by an
 * assignment cast; where the old type has none to the new one PostgreSQL
 * refuses ("column c cannot be cast automatically to type integer"), and with
 * USING it still casts the column's default that way ("default for column c
 * cannot be cast automatically"). For a column the table's one CREATE TABLE
 * made and no other ALTER TABLE names, the old type and default are known: a
 * change between built-in types with no such cast (measured on PostgreSQL 15:
 * text to integer, integer to boolean, date to uuid, ...) is a `column_cast`
 * error. Types the rule does not know (arrays, enums, domains, extensions'
 * types) are left alone.
 *
 * @example
 * checkColumnCasts(topology, live, log);
 * // plan: "ALTER TABLE users" at "b/001.sql:1" changes column "email" from text to integer with no USING ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey, type StoreKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { pushTo } from '../push-to.js';
import { statementShape } from '../../sql/postgres/statement-shape.js';
import { columnRetypes } from '../../sql/postgres/column-retypes.js';

/** Built-in types by family: any of them converts to a string type; the other conversions with a cast are listed. */
const FAMILY: Readonly<Record<string, string>> = {
  text: 'string', varchar: 'string', char: 'string', bpchar: 'string', name: 'string',
  smallint: 'number', integer: 'number', bigint: 'number', numeric: 'number', decimal: 'number', real: 'number', 'double precision': 'number',
  serial: 'number', bigserial: 'number', smallserial: 'number',
  boolean: 'boolean', date: 'date', timestamp: 'timestamp', timestamptz: 'timestamp', time: 'time', interval: 'interval',
  uuid: 'uuid', json: 'json', jsonb: 'json', bytea: 'bytea',
};
/** Family pairs (`from>to`) with an assignment cast besides one family's own types and any to a string type. */
const CASTS: ReadonlySet<string> = new Set(['date>timestamp', 'timestamp>date', 'timestamp>time', 'time>interval', 'interval>time']);

/** Whether PostgreSQL converts `from` to `to` by itself; undefined for a type the rule does not know. */
export function castsAutomatically(from: string, to: string): boolean | undefined {
  const a = FAMILY[baseType(from)];
  const b = FAMILY[baseType(to)];
  if (!a || !b) return undefined;
  return a === b || b === 'string' || CASTS.has(`${a}>${b}`);
}

/** `varchar(20)` → `varchar`; an array type is not a base type (`text[]` → ''). */
function baseType(type: string): string {
  if (type.endsWith(']')) return '';
  const paren = type.indexOf('(');
  return paren < 0 ? type : type.slice(0, paren);
}

export function checkColumnCasts(topology: Topology, units: readonly Unit[], log: ConflictLog): void {
  const retypers: { unit: Unit; key: StoreKey; table: string }[] = [];
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind !== 'AlterTableStmt') continue;
    for (const e of u.stmt.effects) if (e.action === 'alter' && e.object.kind === 'table' && e.columnFacts?.retyped) retypers.push({ unit: u, key: storeKey(topology, u.store, 'postgres', e.object), table: e.object.name });
  }
  if (retypers.length === 0) return;
  const wanted = new Set(retypers.map((r) => r.key));
  const creators = new Map<StoreKey, Unit[]>();
  const namers = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table' || !wanted.has(storeKey(topology, u.store, 'postgres', e.object))) continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (e.action === 'create' || e.action === 'drop' || e.action === 'rename') pushTo(creators, key, u);
      const f = e.columnFacts;
      if (e.action === 'alter' && f) for (const c of [...(f.added ?? []), ...(f.dropped ?? []), ...(f.used ?? []), ...(f.retyped ?? [])]) pushTo(namers, `${key}|${c}`, u);
    }
  }
  for (const r of retypers) {
    // One CREATE TABLE, never dropped nor renamed: the column's type is the one it wrote.
    const made = creators.get(r.key);
    if (made?.length !== 1 || made[0]!.stmt.kind !== 'CreateStmt') continue;
    const shape = statementShape(made[0]!.stmt);
    for (const { column, type, using } of columnRetypes(r.unit.stmt)) {
      if ((namers.get(`${r.key}|${column}`) ?? []).some((u) => u !== r.unit)) continue;
      const col = shape?.columns.find((c) => c.name === column);
      if (!col || castsAutomatically(col.type, type) !== false || (using && col.default === undefined)) continue;
      report(log, r.unit, r.table, column, col.type, type, using ? col.default : undefined, made[0]!);
    }
  }
}

function report(log: ConflictLog, u: Unit, table: string, column: string, from: string, to: string, defaulted: string | undefined, creator: Unit): void {
  const what = defaulted !== undefined ? `its default (${defaulted}, "${unitPlace(creator)}")` : 'its values, with no USING,';
  log.add({
    kind: 'column_cast',
    object: `table ${table}`,
    objectName: table,
    message: `plan: "ALTER TABLE ${table}" at "${unitPlace(u)}" changes column "${column}" from ${from} to ${to}, and PostgreSQL cannot cast ${what} from one to the other by itself`,
    sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }, { file: creator.file.file, line: creator.stmt.line, store: creator.store }],
    severity: 'error',
    hint: defaulted !== undefined
      ? `drop the default first and set one of the new type after: ALTER COLUMN ${column} DROP DEFAULT, ALTER COLUMN ${column} TYPE ${to} USING ..., ALTER COLUMN ${column} SET DEFAULT ...`
      : `say how: ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${to} USING ${column}::${to}`,
  });
}
