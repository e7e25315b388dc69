/**
 * What a CASCADE reaches, as far as the plan knows: for a dropped table, the
 * foreign keys of other tables and the views built on it; for a dropped type,
 * function, extension or view, the tables, views, triggers and indexes that
 * use it; for a dropped schema, everything the plan created in it; for
 * TRUNCATE ... CASCADE, the tables whose foreign keys reference the table
 * (their rows go too). Objects the migrations do not create are unknown here:
 * apply asks the server, which knows them all.
 *
 * @example
 * cascadeReach(lifecycle, unitOf('DROP TABLE users CASCADE'), destruction)
 * // ['foreign key orders(user_id) → users', 'view active_users']
 */
import type { Destruction, ObjectRef } from '../../sql/effects.js';
import type { Lifecycle, Version } from '../order/lifecycle.js';
import { isSynth, type Node } from '../order/nodes.js';
import { describe, displayName } from '../object-keys.js';
import type { Unit } from '../read/units.js';

export function cascadeReach(lifecycle: Lifecycle, u: Unit, d: Destruction): string[] {
  const out = new Set<string>();
  if (d.kind === 'drop' && d.object.kind === 'schema') {
    for (const v of liveIn(lifecycle, u, (ref) => ref.schema === d.object.name && ref.kind !== 'schema')) out.add(v.ref.kind === 'table' ? `${describe(v.ref)} (definition and rows)` : describe(v.ref));
  } else if (d.kind === 'delete_rows') {
    const v = versionUsedBy(lifecycle, u, d.object);
    if (v) referencingTables(lifecycle, v, out, new Set([v]));
  } else {
    const v = d.kind === 'drop' ? versionDroppedBy(lifecycle, u, d.object) : versionUsedBy(lifecycle, u, d.object);
    if (v) dependents(lifecycle, v, u, d, out);
  }
  return [...out].sort();
}

/** The version of `ref` in the unit's store that the unit drops. */
export function versionDroppedBy(lifecycle: Lifecycle, u: Unit, ref: ObjectRef): Version | undefined {
  return lifecycle.versions.get(lifecycle.key(u.store!, u.stmt.engine, ref))?.find((v) => v.dropNode === u);
}

/** The version of `ref` the unit writes or alters. */
function versionUsedBy(lifecycle: Lifecycle, u: Unit, ref: ObjectRef): Version | undefined {
  return lifecycle.versions.get(lifecycle.key(u.store!, u.stmt.engine, ref))?.find((v) => v.users?.has(u));
}

/** Versions of the unit's store alive when it runs, whose object passes `test`. */
function liveIn(lifecycle: Lifecycle, u: Unit, test: (ref: ObjectRef) => boolean): Version[] {
  const prefix = `${u.store}|`;
  const out: Version[] = [];
  for (const [key, list] of lifecycle.versions) {
    if (!key.startsWith(prefix)) continue;
    for (const v of list) if (test(v.ref) && v.node.seq < u.seq && (!v.dropNode || v.dropNode.seq >= u.seq)) out.push(v);
  }
  return out;
}

function referencingTables(lifecycle: Lifecycle, v: Version, out: Set<string>, seen: Set<Version>): void {
  for (const fk of lifecycle.foreignKeys) {
    if (fk.version !== v) continue;
    const table = createdTable(fk.node);
    if (!table) continue;
    const tv = lifecycle.versions.get(lifecycle.key(fk.node.store!, fk.node.stmt.engine, table))?.find((x) => x.node === fk.node || x.users?.has(fk.node));
    out.add(`every row of table "${displayName(table)}" (its foreign key references "${displayName(v.ref)}")`);
    if (tv && !seen.has(tv)) {
      seen.add(tv);
      referencingTables(lifecycle, tv, out, seen);
    }
  }
}

/** Foreign keys to a dropped table, and what other statements built on the object. */
function dependents(lifecycle: Lifecycle, v: Version, dropper: Unit, d: Destruction, out: Set<string>): void {
  const droppedHere = new Set(dropper.stmt.effects.filter((e) => e.action === 'drop').map((e) => e.object.name));
  if (v.ref.kind === 'table') {
    for (const { fk, table } of liveForeignKeys(lifecycle, v, dropper)) {
      if (d.kind === 'drop_column' && !(fk.effect.refColumns ?? []).some((c) => d.columns?.includes(c))) continue;
      out.add(`foreign key ${displayName(table)}${fk.effect.columns?.length ? `(${fk.effect.columns.join(', ')})` : ''} → ${displayName(v.ref)}`);
    }
  }
  for (const user of v.users ?? []) {
    if (user === dropper || isSynth(user)) continue;
    for (const e of user.stmt.effects) {
      if (e.action !== 'create' && e.action !== 'alter') continue;
      if (droppedHere.has(e.object.name)) continue;
      // A dropped table's own indexes and triggers are part of it, not reached by the cascade.
      if (v.ref.kind === 'table' && (e.object.kind === 'index' || e.object.kind === 'trigger')) continue;
      if (e.object.kind === 'table') {
        // A table built on a type, function or extension loses the columns that use it; foreign keys were listed above.
        if (v.ref.kind !== 'table' && v.ref.kind !== 'view') out.add(`columns of ${describe(e.object)} that use it (their values)`);
        continue;
      }
      const label = d.kind === 'drop_column' ? `${describe(e.object)} (if it uses the column)` : describe(e.object);
      out.add(e.object.kind === 'trigger' && e.object.table ? `trigger ${e.object.name} on ${e.object.table}` : label);
    }
  }
}

/**
 * The foreign keys to version `v` that are still there when `dropper` runs:
 * not on a table the same statement drops, nor on one its set dropped before.
 */
export function liveForeignKeys(lifecycle: Lifecycle, v: Version, dropper: Unit): { fk: Lifecycle['foreignKeys'][number]; table: ObjectRef }[] {
  const droppedHere = new Set(dropper.stmt.effects.filter((e) => e.action === 'drop').map((e) => e.object.name));
  const out: { fk: Lifecycle['foreignKeys'][number]; table: ObjectRef }[] = [];
  for (const fk of lifecycle.foreignKeys) {
    if (fk.version !== v) continue;
    const table = createdTable(fk.node);
    if (!table || droppedHere.has(table.name)) continue;
    const own = lifecycle.versions.get(lifecycle.key(fk.node.store!, fk.node.stmt.engine, table))?.find((x) => x.node === fk.node);
    const gone = own?.dropNode;
    if (gone && !isSynth(gone) && gone.seq <= dropper.seq && gone.set.name === dropper.set.name) continue;
    out.push({ fk, table });
  }
  return out;
}

function createdTable(n: Node): ObjectRef | undefined {
  if (isSynth(n)) return undefined;
  return n.stmt.effects.find((e) => (e.action === 'create' || e.action === 'alter') && e.object.kind === 'table')?.object;
}
