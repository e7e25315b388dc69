/**
 * A column a view reads cannot change type, nor be dropped without CASCADE,
 * while the view is there: PostgreSQL refuses (`cannot alter type of a column
 * used by a view or rule`, `cannot drop column ... because other objects
 * depend on it`). Nor can a column another table's foreign key references
 * (`REFERENCES users (code)`) be dropped without CASCADE while the key is
 * there. An `ALTER TABLE` that does either to a column a view or foreign key
 * made before it reads (see sql/postgres/view-columns.ts), with no drop of the
 * view (or of the key's table, constraint or columns) between them, is a
 * `column_in_use` error naming both places. The usual way around it, dropping
 * the view before the change and making it again after it, or dropping the
 * foreign key first, plans.
 *
 * Left alone, as the plan cannot tell: views another statement replaces or
 * renames, views whose table is dropped (and made again) between, foreign keys
 * whose table is renamed, and pairs of statements that no order puts one
 * before the other (checkColumns reports those when the drop may run first).
 *
 * @example
 * checkColumnsInViews(topology, live, log, new Precedence(graph, stepOf));
 * // plan: "ALTER TABLE invoices" at "billing/003_amount.sql:1" changes the type of column "amount", which view invoice_totals ("reports/001_views.sql:1") reads ...
 */
import type { ObjectRef } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import type { Precedence } from '../order/precedence.js';
import { describe, displayName, storeKey, type StoreKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { pushTo } from '../push-to.js';
import { createdTwice } from './created-twice.js';

const VIEW_KINDS: ReadonlySet<string> = new Set(['view', 'materialized_view']);

/** A view that reads columns of a table, or a table whose foreign key references them (`key`: its own columns). */
interface ViewRead {
  readonly unit: Unit;
  readonly view: ObjectRef;
  readonly viewKey: StoreKey;
  readonly columns: readonly string[];
  readonly key?: readonly string[];
}

export function checkColumnsInViews(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  // Nearly every plan changes the type of no column and drops none: then nothing is in the way, and nothing is keyed.
  if (!units.some(changesColumns)) return;
  const reads = new Map<StoreKey, ViewRead[]>();
  /** Statements that drop or rename each view and table: drops end a view; a rename, or a second maker, leaves it out. */
  const drops = new Map<StoreKey, Unit[]>();
  /** ALTERs that may let go of a table's foreign keys: they drop a constraint, or columns, of it. */
  const releases = new Map<StoreKey, { unit: Unit; columns: readonly string[]; constraints: boolean }[]>();
  const renamed = new Set<StoreKey>();
  const remade = createdTwice(units, VIEW_KINDS, (store, ref) => storeKey(topology, store, 'postgres', ref));
  const changes: Unit[] = [];
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    const view = u.stmt.effects.find((e) => e.action === 'create' && VIEW_KINDS.has(e.object.kind))?.object;
    const viewKey = view ? storeKey(topology, u.store, 'postgres', view) : undefined;
    for (const e of u.stmt.effects) {
      if (e.action === 'reference' && e.readColumns && view && viewKey) {
        pushTo(reads, storeKey(topology, u.store, 'postgres', e.object), { unit: u, view, viewKey, columns: e.readColumns });
        continue;
      }
      if (e.action === 'reference' && e.via === 'foreign_key' && e.refColumns?.length) {
        // The table the key is on: the one the statement creates or alters.
        const on = u.stmt.effects.find((x) => (x.action === 'create' || x.action === 'alter') && x.object.kind === 'table')?.object;
        if (on) pushTo(reads, storeKey(topology, u.store, 'postgres', e.object), { unit: u, view: on, viewKey: storeKey(topology, u.store, 'postgres', on), columns: e.refColumns, key: e.columns ?? [] });
        continue;
      }
      if (e.object.kind !== 'table' && !VIEW_KINDS.has(e.object.kind)) continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (e.action === 'drop') pushTo(drops, key, u);
      else if (e.action === 'rename') renamed.add(key);
      else if (e.action === 'alter' && e.object.kind === 'table' && (e.columnFacts?.retyped || e.columnFacts?.dropped) && changes[changes.length - 1] !== u) changes.push(u);
      if (e.action === 'alter' && e.object.kind === 'table' && (e.columnFacts?.droppedConstraints || e.columnFacts?.dropped)) {
        pushTo(releases, key, { unit: u, columns: e.columnFacts.dropped ?? [], constraints: !!e.columnFacts.droppedConstraints });
      }
    }
  }
  if (reads.size === 0) return;
  for (const u of changes) {
    for (const e of u.stmt.effects) {
      const f = e.action === 'alter' && e.object.kind === 'table' ? e.columnFacts : undefined;
      if (!f) continue;
      const table = storeKey(topology, u.store!, 'postgres', e.object);
      const cascaded = new Set(f.cascaded ?? []);
      // A RENAME COLUMN takes its old name away too, yet a view follows the column to its new name.
      const dropped = u.stmt.kind === 'RenameStmt' ? [] : (f.dropped ?? []).filter((c) => !cascaded.has(c));
      const touched = [...(f.retyped ?? []).map((c) => ({ column: c, how: 'type' as const })), ...dropped.map((c) => ({ column: c, how: 'drop' as const }))];
      for (const { column, how } of touched) {
        // A foreign key holds the columns it references, not their type: PostgreSQL checks it again after a change of type.
        const r = (reads.get(table) ?? []).find((x) => (how === 'drop' || !x.key) && blocks(x, column, u, table));
        if (r) report(log, u, e.object, column, how, r, r.key ? unordered(r, u)[0]?.unit : undefined);
      }
    }
  }

  /** The statements after a foreign key's that may let go of it, and do not run after the change `u`. */
  function unordered(r: ViewRead, u: Unit): { unit: Unit }[] {
    return (releases.get(r.viewKey) ?? []).filter((x) => x.unit !== r.unit && x.unit !== u && (x.constraints || x.columns.some((c) => r.key!.includes(c))) && !order.before(x.unit, r.unit) && !order.before(u, x.unit));
  }

  function blocks(r: ViewRead, column: string, u: Unit, table: StoreKey): boolean {
    if (!r.columns.includes(column) && !r.columns.includes('*')) return false;
    if (remade.has(r.viewKey) || renamed.has(r.viewKey) || renamed.has(table)) return false;
    if (r.unit === u || !order.before(r.unit, u)) return false;
    // The view dropped before the change (and after it was made) is not there.
    if ((drops.get(r.viewKey) ?? []).some((d) => d === u || order.before(d, u))) return false;
    // A foreign key's constraint, or its own columns, dropped between them: the key may be gone (a drop of a
    // constraint is taken as one of this key's). One that nothing orders before the change does not count.
    if (r.key && unordered(r, u).some((x) => order.before(x.unit, u))) return false;
    // Its table dropped between them (a CASCADE takes the view along), or in an order the plan does not fix.
    return !(drops.get(table) ?? []).some((d) => !order.before(u, d) && !order.before(d, r.unit));
  }
}

/** Whether a statement changes the type of a table's column or drops one. */
function changesColumns(u: Unit): boolean {
  return !u.skipped && u.store !== undefined && u.stmt.engine === 'postgres' && u.stmt.effects.some((e) => e.action === 'alter' && e.object.kind === 'table' && !!(e.columnFacts?.retyped || e.columnFacts?.dropped));
}

function report(log: ConflictLog, u: Unit, table: ObjectRef, column: string, how: 'type' | 'drop', r: ViewRead, release?: Unit): void {
  const does = how === 'type' ? `changes the type of column "${column}"` : `drops column "${column}"`;
  if (r.key) return reportForeignKey(log, u, table, column, r, release);
  const refuses = how === 'type' ? 'PostgreSQL refuses to change the type of a column a view reads' : 'PostgreSQL refuses to drop a column a view reads without CASCADE';
  log.add({
    kind: 'column_in_use',
    object: describe(table),
    objectName: displayName(table),
    message: `plan: "ALTER TABLE ${displayName(table)}" at "${unitPlace(u)}" ${does}, which ${describe(r.view)} ("${unitPlace(r.unit)}") reads: ${refuses}`,
    sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }, { file: r.unit.file.file, line: r.unit.stmt.line, store: r.unit.store }],
    severity: 'error',
    hint: `drop ${describe(r.view)} before line ${u.stmt.line} of "${u.file.file}" and create it again after the change, in the same file${how === 'drop' ? ', or drop the column with CASCADE if the view is meant to go with it' : ''}`,
  });
}


/** `release`: a statement that may let go of the key but that nothing orders before the drop. */
function reportForeignKey(log: ConflictLog, u: Unit, table: ObjectRef, column: string, r: ViewRead, release: Unit | undefined): void {
  const key = r.key!.length > 0 ? ` (${r.key!.join(', ')})` : '';
  const mayRelease = release ? `; "${unitPlace(release)}" may let go of the key, but nothing orders it before the drop` : '';
  log.add({
    kind: 'column_in_use',
    object: describe(table),
    objectName: displayName(table),
    message: `plan: "ALTER TABLE ${displayName(table)}" at "${unitPlace(u)}" drops column "${column}", which a foreign key of ${describe(r.view)}${key} ("${unitPlace(r.unit)}") references: PostgreSQL refuses to drop a column a foreign key references without CASCADE${mayRelease}`,
    sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }, { file: r.unit.file.file, line: r.unit.stmt.line, store: r.unit.store }],
    severity: 'error',
    hint: release && release.set !== u.set
      ? `order the sets: add after: [${release.set.name}] to set "${u.set.name}" in the topology, so the key goes before the column`
      : `drop the foreign key first (ALTER TABLE ${displayName(r.view)} DROP CONSTRAINT <its name>, in a statement ordered before line ${u.stmt.line} of "${u.file.file}"), or drop the column with CASCADE if the key is meant to go with it`,
  });
}
