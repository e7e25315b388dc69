/**
 * One primary key per table: an `ALTER TABLE ... ADD PRIMARY KEY` (or
 * `ADD CONSTRAINT ... PRIMARY KEY`) of a table that has one by then fails
 * ("multiple primary keys for table t are not allowed"). It has one when the
 * CREATE TABLE or an ALTER ordered before gave it one, or when another set's
 * ALTER adds one with nothing ordering the two (whichever runs second fails):
 * a `duplicate_create` conflict naming both places. Left alone when a statement
 * that may run between drops a constraint or a column of the table, or drops or
 * renames the table; and tables some CREATE TABLE IF NOT EXISTS makes (it may
 * do nothing), as the plan cannot tell.
 *
 * @example
 * checkPrimaryKeys(topology, live, log, new Precedence(graph, stepOf));
 * // plan: "b/001.sql:1" adds a primary key to table "users", which has one by then ("a/001.sql:1") ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import type { Precedence } from '../order/precedence.js';
import { pushTo } from '../push-to.js';

interface TableKeys {
  readonly name: string;
  /** Statements that give the table a primary key, in the author's order. */
  readonly keys: Unit[];
  /** Statements that may take it away: a dropped constraint or column, a drop or rename of the table. */
  readonly ends: Unit[];
  maybeNoop: boolean;
}

export function checkPrimaryKeys(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const tables = new Map<string, TableKeys>();
  const entry = (key: string, name: string) => {
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { name, keys: [], ends: [], maybeNoop: false }));
    return t;
  };
  // Only tables that get a primary key from an ALTER can get a second one: they are few, and found first.
  const altered = new Set<string>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind !== 'AlterTableStmt') continue;
    for (const e of u.stmt.effects) if (e.action === 'alter' && e.columnFacts?.constraints?.some((c) => c.kind === 'primary key')) altered.add(storeKey(topology, u.store, 'postgres', e.object));
  }
  if (altered.size === 0) return;
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind === 'DoStmt') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (!altered.has(key)) continue;
      const t = entry(key, e.object.name);
      if (e.action === 'create' && e.ifNotExists) t.maybeNoop = true;
      if (e.action === 'drop' || e.action === 'rename' || e.columnFacts?.droppedConstraints || (e.columnFacts?.dropped && u.stmt.kind !== 'RenameStmt')) t.ends.push(u);
      if ((e.action === 'create' || e.action === 'alter') && e.columnFacts?.constraints?.some((c) => c.kind === 'primary key')) t.keys.push(u);
    }
  }
  tables.forEach((t) => {
    if (t.maybeNoop || t.keys.length < 2) return;
    for (const u of t.keys) {
      if (u.stmt.kind !== 'AlterTableStmt') continue;
      const first = t.keys.find((k) => k !== u && holds(k, u, t.ends, order));
      if (first) report(log, t.name, u, first, order.before(first, u));
    }
  });
}

/** `k`'s primary key is there when `u` runs: ordered before it with nothing that may take it away between, or nothing orders the two (reported at the later one). */
function holds(k: Unit, u: Unit, ends: readonly Unit[], order: Precedence): boolean {
  const between = ends.some((d) => d !== k && d !== u && !order.before(d, k) && !order.before(u, d));
  if (order.before(k, u)) return !between;
  return !order.before(u, k) && k.seq < u.seq && !between;
}

function report(log: ConflictLog, table: string, u: Unit, first: Unit, ordered: boolean): void {
  log.add({
    kind: 'duplicate_create',
    object: `table ${table}`,
    objectName: table,
    message: `plan: "${unitPlace(u)}" adds a primary key to table "${table}", which ${ordered ? 'has one by then' : 'another set gives one too, with nothing ordering the two (whichever runs second fails)'} ("${unitPlace(first)}"): PostgreSQL allows one primary key per table`,
    sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: first.file.file, line: first.stmt.line, set: first.set.name, store: first.store }],
    severity: 'error',
    hint: `drop the primary key first (ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, or the name it was given), or make the new key UNIQUE instead`,
  });
}
