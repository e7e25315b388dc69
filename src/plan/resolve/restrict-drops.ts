/**
 * PostgreSQL refuses a DROP without CASCADE while other objects depend on what
 * it drops ("cannot drop table accounts because other objects depend on it").
 * The dependents the plan knows: views and materialized views built on a
 * table, view or materialized view; other tables' foreign keys to a table;
 * the tables (their columns), domains, functions (their signatures) and views
 * that use a type; the triggers, tables (defaults, checks), indexes and views
 * that call a function; what the plan makes in a schema.
 * A dependent the same statement drops, or its own set dropped before, is gone
 * by then. One another set drops must go first: its drop is ordered before
 * this one. One never dropped, or dropped only after in the drop's own set,
 * makes the drop fail: a `drop_blocked` error naming both places. So does a
 * `DROP INDEX` of the index a PRIMARY KEY or UNIQUE constraint made.
 *
 * Left alone, as the plan cannot tell: a view, function or trigger another
 * statement replaces (`CREATE OR REPLACE`, which may no longer use it), one
 * renamed after, a table that drops or retypes columns (the one using the type
 * or function may be among them), and a foreign key whose table drops a constraint or the
 * key's columns somewhere (the usual way to let go of a table first): that
 * statement, when another set has it, is ordered before the drop.
 *
 * @example
 * checkRestrictDrops(lifecycle, live, log);
 * // plan: "DROP TABLE invoices" at "billing/004_drop.sql:1" fails: view invoice_totals ("reports/001_views.sql:1") depends on it ...
 */
import type { ColumnFacts, Effect, ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, NodeEffects, Version } from '../order/lifecycle.js';
import { isSynth } from '../order/nodes.js';
import { describe, displayName, sameNamespace } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { liveForeignKeys } from './cascade-reach.js';
import { createdTwice } from './created-twice.js';
import { indexTableOf } from '../read/index-table.js';
import { pushTo } from '../push-to.js';

const DROPPED_KINDS: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view', 'type', 'function', 'schema']);
const VIEW_KINDS: ReadonlySet<string> = new Set(['view', 'materialized_view']);
/** Kinds whose shared objects other sets use are the shared_drop check's. */
const SHARED_KINDS: ReadonlySet<string> = new Set(['type', 'function', 'schema']);
const REPLACEABLE: ReadonlySet<string> = new Set(['view', 'materialized_view', 'function', 'trigger']);

/** A dependent of a dropped object: what it is, where it is made, and the version of it the drop would meet. */
interface Dependent {
  readonly what: string;
  readonly at: Unit;
  /** The version whose drop must come first. */
  readonly version: Version;
  /** A trigger's or index's table, whose drop takes it along. */
  readonly host?: Version;
}

/** How a statement uses each kind of dropped object so that PostgreSQL records a dependency on it. */
const USED_VIA: Readonly<Record<string, ReadonlySet<string>>> = {
  table: new Set(['view_source']),
  view: new Set(['view_source']),
  materialized_view: new Set(['view_source']),
  type: new Set(['type_usage']),
  function: new Set(['function_call', 'trigger_function']),
};

/** What a statement makes that depends on a type or function it uses: a column's table, a domain, a trigger, ... */
const DEPENDENT_KINDS: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view', 'type', 'function', 'trigger', 'index']);

/** `isShared`: what other sets make with a shared type, function or schema is the shared_drop check's (see references.ts). */
export function checkRestrictDrops(lifecycle: Lifecycle, units: readonly Unit[], log: ConflictLog, isShared: (ref: ObjectRef) => boolean = () => false): void {
  const replaced = createdTwice(units, REPLACEABLE, (store, ref) => lifecycle.key(store, 'postgres', ref));
  for (const list of lifecycle.versions.values()) {
    for (const v of list) {
      const d = v.dropNode;
      if (!d || isSynth(d) || v.ended?.by !== 'drop' || d.stmt.engine !== 'postgres' || !DROPPED_KINDS.has(v.ref.kind)) continue;
      const drop = d.stmt.effects.find((e) => e.action === 'drop' && e.object.name === v.ref.name && sameNamespace('postgres', e.object.kind, v.ref.kind));
      if (!drop || drop.cascade) continue;
      // Other sets' uses of a shared type, function or schema are the shared_drop check's.
      const own = SHARED_KINDS.has(v.ref.kind) && isShared(v.ref);
      for (const dep of dependents(lifecycle, v, d, replaced)) if (!own || dep.at.set === d.set) blockedOrOrdered(lifecycle, log, v, d, dep);
    }
  }
}

function dependents(lifecycle: Lifecycle, v: Version, d: Unit, replaced: ReadonlySet<string>): Dependent[] {
  const droppedHere = new Set(d.stmt.effects.filter((e) => e.action === 'drop').map((e) => e.object.name));
  const out: Dependent[] = [];
  const through = USED_VIA[v.ref.kind];
  for (const u of v.users ?? []) {
    if (isSynth(u) || u === d) continue;
    // What the statement makes in the schema, or with what it uses.
    const made = v.ref.kind === 'schema' ? madeIn(u, v.ref.name) : madeWith(u, v.ref, through!);
    if (!made || droppedHere.has(made.object.name)) continue;
    const key = lifecycle.key(u.store!, 'postgres', made.object);
    if (replaced.has(key)) continue;
    const own = lifecycle.versions.get(key)?.find((x) => x.node === u || x.users?.has(u));
    if (!own || (own.ended && own.ended.by !== 'drop')) continue;
    // A table may take away or retype the column that uses the type or function: the plan cannot tell which it is.
    if (own.ref.kind === 'table' && changesColumns(own)) continue;
    const host = hostTable(lifecycle, u, own.ref);
    if (host === null) continue;
    out.push({ what: describe(own.ref), at: u, version: own, ...(host ? { host } : {}) });
  }
  if (v.ref.kind !== 'table') return out;
  for (const child of inheritors(lifecycle, v, d, droppedHere)) out.push(child);
  orderDroppedKeys(lifecycle, v, d);
  for (const { fk, table } of liveForeignKeys(lifecycle, v, d)) {
    const own = lifecycle.versions.get(lifecycle.key(fk.node.store!, 'postgres', table))?.find((x) => x.node === fk.node || x.users?.has(fk.node));
    if (!own || (own.ended && own.ended.by !== 'drop')) continue;
    const release = letGo(own, fk.effect.columns ?? []);
    if (release) {
      // The statement that lets go of the key runs first: another set's, and one its own set puts before the drop
      // (a destructive step passes the file order on to no other, see graph.ts, so that order needs an edge).
      if (release.set !== d.set || release.seq < d.seq) lifecycle.dep(release, d, `lets go of the foreign key ${displayName(table)} → ${displayName(v.ref)} before that is dropped`);
      continue;
    }
    const what = `the foreign key ${displayName(table)}${fk.effect.columns?.length ? `(${fk.effect.columns.join(', ')})` : ''} → ${displayName(v.ref)}`;
    out.push({ what, at: fk.node, version: own });
  }
  return out;
}

/**
 * A DROP COLUMN (without CASCADE) of a column another table's foreign key references waits for the statement that
 * lets go of the key, as a DROP TABLE does: another set's, or one its own set puts before it. Whether the key is
 * still there when the column goes is the column_in_use check's (columns-in-views.ts), once the steps are ordered.
 */
export function orderColumnDrops(lifecycle: Lifecycle): void {
  // Per referenced table, the statements that drop columns of it: found once (a table many keys reference has many users).
  const droppers = new Map<Version, Unit[]>();
  for (const fk of lifecycle.foreignKeys) {
    const referenced = fk.effect.refColumns;
    const v = fk.version;
    if (!referenced?.length || !v.users || fk.node.stmt.engine !== 'postgres') continue;
    let dropping = droppers.get(v);
    if (!dropping) droppers.set(v, (dropping = [...v.users].filter((u): u is Unit => !isSynth(u) && u.stmt.kind !== 'RenameStmt' && dropsColumnOf(u, v.ref))));
    let own: Version | undefined | null = null;
    for (const u of dropping) {
      if (u === fk.node || !dropsColumnOf(u, v.ref, referenced)) continue;
      if (own === null) {
        const table = fk.node.stmt.effects.find((e) => (e.action === 'create' || e.action === 'alter') && e.object.kind === 'table')?.object;
        own = table && lifecycle.versions.get(lifecycle.key(fk.node.store!, 'postgres', table))?.find((x) => x.node === fk.node || x.users?.has(fk.node));
      }
      // What lets go of the key: a statement that drops a constraint or the key's columns, or the drop of its table.
      const gone = own?.dropNode && !isSynth(own.dropNode) ? own.dropNode : undefined;
      for (const release of [own ? letGo(own, fk.effect.columns ?? []) : undefined, gone]) {
        if (release && release !== u && (release.set !== u.set || release.seq < u.seq)) lifecycle.dep(release, u, `lets go of the foreign key to ${displayName(v.ref)}(${referenced.join(', ')}) before the column is dropped`);
      }
    }
  }
}

/** Whether `u` drops (without CASCADE) a column of table `ref`: one of `columns`, when given. */
function dropsColumnOf(u: Unit, ref: ObjectRef, columns?: readonly string[]): boolean {
  return u.stmt.effects.some((e) => e.action === 'alter' && e.object.kind === 'table' && e.object.name === ref.name && !!e.columnFacts?.dropped?.some((c) => (!columns || columns.includes(c)) && !e.columnFacts!.cascaded?.includes(c)));
}

/**
 * The tables with a foreign key to `v` that the drop's own set dropped before it: those drops go first, even when
 * a destructive step between passes the file order on to no other (see graph.ts).
 */
function orderDroppedKeys(lifecycle: Lifecycle, v: Version, d: Unit): void {
  for (const fk of foreignKeysTo(lifecycle, v)) {
    if (fk.node.store !== d.store) continue;
    const table = fk.node.stmt.effects.find((e) => (e.action === 'create' || e.action === 'alter') && e.object.kind === 'table')?.object;
    const gone = table && lifecycle.versions.get(lifecycle.key(fk.node.store!, 'postgres', table))?.find((x) => x.node === fk.node || x.users?.has(fk.node))?.dropNode;
    if (gone && gone !== d && !isSynth(gone) && gone.set === d.set && gone.seq < d.seq) lifecycle.dep(gone, d, `drops ${describe(table)}, whose foreign key references ${describe(v.ref)}, before that is dropped`);
  }
}

const keysByVersion = new WeakMap<Lifecycle, Map<Version, Lifecycle['foreignKeys'][number][]>>();

/** The foreign keys that reference version `v`, from one index of them per lifecycle. */
function foreignKeysTo(lifecycle: Lifecycle, v: Version): readonly Lifecycle['foreignKeys'][number][] {
  let index = keysByVersion.get(lifecycle);
  if (!index) {
    index = new Map();
    for (const fk of lifecycle.foreignKeys) pushTo(index, fk.version, fk);
    keysByVersion.set(lifecycle, index);
  }
  return index.get(v) ?? [];
}

/** The tables made with `INHERITS (v)` (not partitions, which go with their parent) that are there when `d` drops it. */
function inheritors(lifecycle: Lifecycle, v: Version, d: Unit, droppedHere: ReadonlySet<string>): Dependent[] {
  const out: Dependent[] = [];
  for (const u of v.users ?? []) {
    if (isSynth(u) || u === d || !u.stmt.effects.some((e) => e.action === 'reference' && e.detail === 'INHERITS' && e.object.name === v.ref.name)) continue;
    const child = u.stmt.effects.find((e) => e.action === 'create' && e.object.kind === 'table')?.object;
    if (!child || droppedHere.has(child.name)) continue;
    const own = lifecycle.versions.get(lifecycle.key(u.store!, 'postgres', child))?.find((x) => x.node === u);
    if (own && !(own.ended && own.ended.by !== 'drop')) out.push({ what: `table ${displayName(child)} (INHERITS ${displayName(v.ref)})`, at: u, version: own });
  }
  return out;
}

/** The object `u` creates in schema `schema` (the schema's users are what is made in it; what is moved there is left out). */
function madeIn(u: Unit, schema: string): Effect | undefined {
  return u.stmt.effects.find((e) => e.action === 'create' && e.object.kind !== 'schema' && e.object.schema === schema);
}

/** What `u` makes with `ref` (a view on it, a table with a column of it, a trigger running it); an ALTER TABLE's table. */
function madeWith(u: Unit, ref: ObjectRef, through: ReadonlySet<string>): Effect | undefined {
  if (!u.stmt.effects.some((e) => e.action === 'reference' && through.has(e.via!) && e.object.name === ref.name)) return undefined;
  if (ref.kind === 'table' || VIEW_KINDS.has(ref.kind)) return u.stmt.effects.find((e) => e.action === 'create' && VIEW_KINDS.has(e.object.kind));
  return u.stmt.effects.find((e) => e.action === 'create' && DEPENDENT_KINDS.has(e.object.kind)) ?? u.stmt.effects.find((e) => e.action === 'alter' && e.object.kind === 'table');
}

/** Whether some statement drops or retypes a column of the table. */
function changesColumns(table: Version): boolean {
  return alteredBy(table, (f) => !!(f.dropped || f.retyped)) !== undefined;
}

/** The version of the table a trigger or index is on (undefined for other objects; null when it cannot be found). */
function hostTable(lifecycle: Lifecycle, u: Unit, ref: ObjectRef): Version | undefined | null {
  if (ref.kind !== 'trigger' && ref.kind !== 'index') return undefined;
  const name = ref.kind === 'trigger' ? ref.table : indexTableOf(u, ref);
  if (!name) return null;
  const table = lifecycle.versions.get(lifecycle.key(u.store!, 'postgres', { kind: 'table', name, schema: ref.schema ?? 'public' }))?.find((x) => x.node === u || x.users?.has(u));
  return table && !(table.ended && table.ended.by !== 'drop') ? table : null;
}

/** A statement that takes a constraint from the table, or the key's columns: it may be how the foreign key goes first. */
function letGo(table: Version, columns: readonly string[]): Unit | undefined {
  return alteredBy(table, (f) => !!f.droppedConstraints?.length || !!f.dropped?.some((c) => columns.includes(c)));
}

/** The first statement using the table whose facts about its columns pass `test`. */
function alteredBy(table: Version, test: (f: ColumnFacts) => boolean): Unit | undefined {
  for (const u of table.users ?? []) {
    if (isSynth(u)) continue;
    if (u.stmt.effects.some((e) => e.object.kind === 'table' && e.object.name === table.ref.name && e.columnFacts !== undefined && test(e.columnFacts))) return u;
  }
  return undefined;
}

/**
 * Gone before the drop (dropped by its own set earlier): nothing to do. Dropped by another set: that drop
 * goes first. Never dropped, or dropped only later in the drop's own set: PostgreSQL refuses the drop.
 */
function blockedOrOrdered(lifecycle: Lifecycle, log: ConflictLog, v: Version, d: Unit, dep: Dependent): void {
  const ends = [dep.version.dropNode, dep.host?.dropNode].filter((n): n is NonNullable<typeof n> => n !== undefined);
  if (ends.some((n) => n === d || isSynth(n))) return;
  // Dropped before by its own set: that drop still goes first (a destructive step passes the file order on to no other).
  const earlier = ends.find((n): n is Unit => !isSynth(n) && n.set === d.set && n.seq < d.seq);
  if (earlier) return lifecycle.dep(earlier, d, `drops ${dep.what}, which depends on ${describe(v.ref)}, before that is dropped`);
  const other = ends.find((n) => !isSynth(n) && n.set !== d.set);
  if (other) return lifecycle.dep(other, d, `drops ${dep.what}, which depends on ${describe(v.ref)}, before that is dropped`);
  const gone = ends[0] as Unit | undefined;
  const after = gone ? `; "${unitPlace(gone)}" drops it only after` : '';
  log.add({
    kind: 'drop_blocked',
    object: describe(v.ref),
    objectName: displayName(v.ref),
    message: `plan: "DROP ${kindWord(v.ref)} ${displayName(v.ref)}" at "${unitPlace(d)}" fails: ${dep.what} ("${unitPlace(dep.at)}") ${v.ref.kind === 'schema' ? 'is in it' : 'depends on it'}${after}, and PostgreSQL refuses to drop what other objects depend on without CASCADE`,
    sources: [{ file: d.file.file, line: d.stmt.line, store: d.store }, { file: dep.at.file.file, line: dep.at.stmt.line, store: dep.at.store }],
    severity: 'error',
    hint: `drop ${dep.what} first, in this file before line ${d.stmt.line} or in a migration of its own; or write DROP ... CASCADE if it is meant to go with it (the plan then names what the cascade removes)`,
  });
}

/**
 * `DROP INDEX users_pkey` of the index a PRIMARY KEY or UNIQUE constraint made: PostgreSQL refuses it ("cannot
 * drop index users_pkey because constraint users_pkey on table users requires it"); the constraint's drop takes
 * the index along. Left alone when some statement drops a constraint of that name, or the table, anywhere.
 */
export function checkConstraintIndexDrops(lifecycle: Lifecycle, nodes: readonly NodeEffects[], log: ConflictLog): void {
  const drops = lifecycle.unmatchedDrops.filter((d) => d.object.kind === 'index' && d.node.engine === 'postgres' && !isSynth(d.node.node));
  if (drops.length === 0) return;
  const made = lifecycle.constraintIndexes(nodes);
  for (const { node, key, object } of drops) {
    const maker = made.get(key);
    const d = node.node as Unit;
    if (!maker || isSynth(maker) || (maker.set === d.set && maker.seq > d.seq)) continue;
    const table = maker.stmt.effects.find((e) => e.columnFacts?.indexes?.includes(object.name))?.object;
    if (!table || letsGoOf(nodes, table, object.name)) continue;
    log.add({
      kind: 'drop_blocked',
      object: describe(object),
      objectName: displayName(object),
      message: `plan: "DROP INDEX ${displayName(object)}" at "${unitPlace(d)}" fails: the index is the one constraint ${object.name} of table ${displayName(table)} made ("${unitPlace(maker)}"), and PostgreSQL refuses to drop it apart from its constraint`,
      sources: [{ file: d.file.file, line: d.stmt.line, store: d.store }, { file: maker.file.file, line: maker.stmt.line, store: maker.store }],
      severity: 'error',
      hint: `drop the constraint, which takes its index along:\nALTER TABLE ${displayName(table)} DROP CONSTRAINT ${object.name};`,
    });
  }
}

/** Whether a statement drops the constraint `name` of `table`, or the table itself. */
function letsGoOf(nodes: readonly NodeEffects[], table: ObjectRef, name: string): boolean {
  return nodes.some((n) => n.effects.some((e) => e.object.kind === 'table' && e.object.name === table.name && (e.action === 'drop' || e.columnFacts?.droppedConstraints?.includes(name))));
}

function kindWord(ref: ObjectRef): string {
  return ref.kind === 'materialized_view' ? 'MATERIALIZED VIEW' : ref.kind.toUpperCase();
}
