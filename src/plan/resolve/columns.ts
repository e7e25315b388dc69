/**
 * Column-level facts: an index, a constraint (its own columns, or those a foreign key references), a
 * view (the columns it reads, see sql/postgres/view-columns.ts), a COMMENT ON COLUMN or an ALTER that names a column of a table no statement
 * ordered before it gives it is an `unknown_column` conflict naming both places: the statement, and the
 * CREATE TABLE that lists the table's columns, or the statement that adds the column only later (or in a
 * set nothing orders before the one using it), or the statement that takes it away before the use (DROP
 * COLUMN, RENAME COLUMN). A CREATE TABLE IF NOT EXISTS of a table that exists by then gives it nothing. Only tables whose every creation lists all their columns
 * are checked (not those made with LIKE, INHERITS or PARTITION OF, nor external ones).
 *
 * @example
 * checkColumns(topology, live, log, new Precedence(graph, stepOf));
 * // plan: "app/003_idx.sql:1" names column "emial" of table "users", which no statement gives it ...
 */
import type { ConflictLog } from './conflict-log.js';
import type { ColumnFacts } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import { storeKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { compareText } from '../compare-text.js';
import type { Precedence } from '../order/precedence.js';
import { pushTo } from '../push-to.js';

interface TableColumns {
  readonly name: string;
  creator?: Unit;
  complete: boolean;
  /** Every statement that gives the table each column. */
  readonly adders: Map<string, Unit[]>;
  // The three below are made at their first entry: nearly every table has none.
  /** Every statement that takes each column away (DROP COLUMN, a RENAME COLUMN's old name). */
  droppers?: Map<string, Unit[]>;
  readonly uses: { unit: Unit; column: string }[];
  /** Statements that drop the table (a CREATE after one is a new table). */
  drops?: Unit[];
  /** CREATE TABLE IF NOT EXISTS statements that find the table there: no-ops, whose columns are not added. */
  noops?: { unit: Unit; columns: readonly string[] }[];
}

export function checkColumns(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const tables = new Map<string, TableColumns>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      // A foreign key names columns of the table it references (REFERENCES users (id)); a view, those it reads.
      const facts = e.via === 'foreign_key' && e.refColumns?.length ? { used: e.refColumns } : e.via === 'view_source' && e.readColumns ? viewReads(e.readColumns) : e.columnFacts;
      if (e.object.kind !== 'table' || (!facts && e.action !== 'drop')) continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      let t = tables.get(key);
      if (!t) tables.set(key, (t = { name: e.object.name, complete: true, adders: new Map(), uses: [] }));
      if (e.action === 'drop') (t.drops ??= []).push(u);
      if (!facts) continue;
      if (e.action === 'create') {
        if (e.ifNotExists && t.creator && noop(t, t.creator, u, order)) {
          (t.noops ??= []).push({ unit: u, columns: facts.added ?? [] });
          continue;
        }
        t.creator ??= u;
        if (!facts.complete) t.complete = false;
      }
      for (const c of facts.added ?? []) pushTo(t.adders, c, u);
      if (facts.dropped) for (const c of facts.dropped) pushTo((t.droppers ??= new Map()), c, u);
      for (const c of facts.used ?? []) t.uses.push({ unit: u, column: c });
    }
  }
  reportTwiceAdded(tables, order, log);
  // A use is fine when a statement that adds its column runs before it (or is the use itself), and nothing takes it away in between.
  const earlier = (t: TableColumns, unit: Unit, column: string) =>
    t.adders.get(column)?.some((a) => (a === unit || order.before(a, unit)) && !droppedBetween(t, column, a, unit, order)) ?? false;
  // Sort only the tables that have something to report: nearly every table of a plan has nothing.
  const suspect: [string, TableColumns][] = [];
  tables.forEach((t, key) => {
    if (t.creator && t.complete && t.uses.some((x) => !earlier(t, x.unit, x.column))) suspect.push([key, t]);
  });
  for (const [, t] of suspect.sort(([a], [b]) => compareText(a, b))) {
    if (!t.creator) continue;
    const reported = new Set<string>();
    for (const { unit, column } of t.uses) {
      if (earlier(t, unit, column) || reported.has(`${unitPlace(unit)}|${column}`)) continue;
      reported.add(`${unitPlace(unit)}|${column}`);
      const adders = t.adders.get(column) ?? [];
      const before = adders.find((a) => order.before(a, unit));
      if (before) reportDropped(t, unit, column, before, dropperBetween(t, column, before, unit, order)!, order, log);
      else if (adders[0]) reportLater(t, unit, column, adders[0], order, log);
      else reportUnknown(t, t.creator, unit, column, log);
    }
  }
}

/**
 * An ALTER that adds a column (ADD COLUMN without IF NOT EXISTS, or RENAME COLUMN to it) the table already has
 * by then fails: "column c of relation t already exists". So does either of two that nothing orders: whichever
 * runs second. A drop of the column, or of the table, between them (or that may be) leaves them alone.
 */
function reportTwiceAdded(tables: ReadonlyMap<string, TableColumns>, order: Precedence, log: ConflictLog): void {
  for (const t of tables.values()) {
    for (const [column, adders] of t.adders) {
      if (adders.length < 2) continue;
      for (const u of adders) {
        // A DO block adds it only if its own test says so (the usual IF NOT EXISTS of older servers).
        if (u === t.creator || u.stmt.kind === 'CreateStmt' || u.stmt.kind === 'DoStmt' || optionalIn(u, t.name, column)) continue;
        const first = adders.find((a) => a !== u && a.stmt.kind !== 'DoStmt' && !order.before(u, a) && !endedBetween(t, column, a, u, order));
        if (!first) continue;
        const ordered = order.before(first, u);
        log.add({
          kind: 'duplicate_column',
          object: `table ${t.name}`,
          objectName: t.name,
          message: `plan: "${unitPlace(u)}" ${u.stmt.kind === 'RenameStmt' ? 'renames a column to' : 'adds column'} "${column}" ${u.stmt.kind === 'RenameStmt' ? 'of' : 'to'} table "${t.name}", which "${unitPlace(first)}" gives it ${ordered ? 'before it' : 'too, and nothing orders the two (whichever runs second fails)'}: PostgreSQL refuses a second column of one name`,
          sources: [source(u), source(first)],
          severity: 'error',
          hint: `keep one of them: skip the other in the topology (skip: [{ set: ${u.set.name}, file: ${u.file.name}, statements: "${u.stmt.index + 1}", reason: "..." }]), or write ADD COLUMN IF NOT EXISTS where either may come first`,
        });
        break;
      }
    }
  }
}

/** Whether `u` adds `column` to the table only if it is missing (ADD COLUMN IF NOT EXISTS). */
function optionalIn(u: Unit, table: string, column: string): boolean {
  return u.stmt.effects.some((e) => e.object.kind === 'table' && e.object.name === table && e.columnFacts?.optional?.includes(column));
}

/** A drop of the column or of the table that runs, or may run, between two statements that add it. */
function endedBetween(t: TableColumns, column: string, a: Unit, u: Unit, order: Precedence): boolean {
  const ends = [...(t.droppers?.get(column) ?? []), ...(t.drops ?? [])];
  return ends.some((d) => d !== a && d !== u && !order.before(d, a) && !order.before(u, d));
}

function droppedBetween(t: TableColumns, column: string, adder: Unit, use: Unit, order: Precedence): boolean {
  return dropperBetween(t, column, adder, use, order) !== undefined;
}

/**
 * A statement that takes the column away after `adder` and before `use`, or that may (nothing orders it and the
 * use): run first, it leaves the use without its column. One ordered between is preferred, as the surer of the two.
 */
function dropperBetween(t: TableColumns, column: string, adder: Unit, use: Unit, order: Precedence): Unit | undefined {
  const droppers = t.droppers?.get(column);
  if (!droppers) return undefined;
  const between = droppers.filter((d) => d !== use && d !== adder && !order.before(d, adder) && !order.before(use, d));
  return between.find((d) => order.before(d, use)) ?? between[0];
}

function reportDropped(t: TableColumns, unit: Unit, column: string, adder: Unit, dropper: Unit, order: Precedence, log: ConflictLog): void {
  const ordered = order.before(dropper, unit);
  log.add({
    kind: 'unknown_column',
    object: `table ${t.name}`,
    objectName: t.name,
    message: ordered
      ? `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}", which "${unitPlace(dropper)}" takes away before it (it was added at "${unitPlace(adder)}")`
      : `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}", which "${unitPlace(dropper)}" takes away, and nothing orders the two: run first, it leaves the statement without the column (it was added at "${unitPlace(adder)}")`,
    sources: [source(unit), source(dropper)],
    severity: 'error',
    hint: ordered || dropper.set === unit.set
      ? `use the column's name after "${unitPlace(dropper)}" (a RENAME COLUMN gives it a new one), or move the statement before it`
      : `order the sets: add after: [${unit.set.name}] to set "${dropper.set.name}" in the topology, so the column goes once "${unitPlace(unit)}" is done with it (or use its new name after "${unitPlace(dropper)}" and order the other way round)`,
  });
}

/** A CREATE TABLE IF NOT EXISTS ordered after the table's creation, with no drop of it in between, does nothing. */
function noop(t: TableColumns, creator: Unit, u: Unit, order: Precedence): boolean {
  return creator !== u && order.before(creator, u) && !t.drops?.some((d) => order.before(creator, d) && order.before(d, u));
}

function reportUnknown(t: TableColumns, creator: Unit, unit: Unit, column: string, log: ConflictLog): void {
  const known = [...t.adders.keys()];
  const listed = t.noops?.find((n) => n.columns.includes(column));
  const noopNote = listed ? `; "${unitPlace(listed.unit)}" lists it, but that CREATE TABLE IF NOT EXISTS does nothing: the table exists by then` : '';
  log.add({
    kind: 'unknown_column',
    object: `table ${t.name}`,
    objectName: t.name,
    message: `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}", which no statement gives it: "${unitPlace(creator)}" creates the table with ${known.map((c) => `"${c}"`).join(', ') || 'no columns'}${noopNote}`,
    sources: [source(unit), source(creator)],
    severity: 'error',
    hint: `fix the column name, or add the column before it is used:\nALTER TABLE ${t.name} ADD COLUMN ${column} <type>;`,
  });
}

/** The column exists only through a statement that is not ordered before the use: it runs later, or nothing orders the two. */
function reportLater(t: TableColumns, unit: Unit, column: string, adder: Unit, order: Precedence, log: ConflictLog): void {
  const after = order.before(unit, adder);
  const how = after ? 'which runs after it' : `and nothing orders "${adder.set.name}" before "${unit.set.name}"`;
  const hint = after || adder.set === unit.set
    ? `add the column before it is used (move the ALTER TABLE ... ADD COLUMN ${column} to an earlier file of set "${adder.set.name}"), or move the statement after it`
    : `order the sets: add after: [${adder.set.name}] to set "${unit.set.name}" in the topology (sets: { ${unit.set.name}: { ..., after: [${adder.set.name}] } }), or add the column in set "${unit.set.name}" itself`;
  log.add({
    kind: 'unknown_column',
    object: `table ${t.name}`,
    objectName: t.name,
    message: `plan: "${unitPlace(unit)}" names column "${column}" of table "${t.name}" before it exists: only "${unitPlace(adder)}" adds it, ${how}`,
    sources: [source(unit), source(adder)],
    severity: 'error',
    hint,
  });
}


function source(u: Unit): { file: string; line: number; set: string; store: string | undefined } {
  return { file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store };
}

/** The columns a view reads, as uses: not `*`, nor the system columns every table has (ctid, xmin, ...). */
function viewReads(columns: readonly string[]): ColumnFacts | undefined {
  const used = columns.filter((c) => c !== '*' && !SYSTEM_COLUMNS.has(c));
  return used.length > 0 ? { used } : undefined;
}

const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);
