/**
 * What the lifecycle could not resolve inside a store, and what drops do to
 * other objects: cross-store foreign keys (resolved by the topology's
 * `foreignKeys:`), other cross-store references, objects referenced but never
 * created, CASCADE drops that silently remove other tables' foreign keys, and
 * a file that drops what it just created.
 */
import type { ObjectRef } from '../../sql/effects.js';
import type { ForeignKeyResolution, Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, Version } from '../order/lifecycle.js';
import { isSynth } from '../order/nodes.js';
import { describe, displayName, sameNamespace } from '../object-keys.js';
import { nameKey, type Ownership } from '../route/ownership.js';
import { compilePattern } from '../route/patterns.js';
import { unitPlace, type Unit } from '../read/units.js';
import { liveForeignKeys } from './cascade-reach.js';

/** Foreign keys to strip from a statement: referenced table names, with the resolution that allowed it. */
export type FkStrips = Map<Unit, { tables: Set<string>; notes: string[] }>;

/**
 * `unplaced`: statements that are neither skipped nor routed; an object only they create is not
 * "created by no migration": its creator has no store, which routing reports.
 */
export function checkReferences(topology: Topology, lifecycle: Lifecycle, ownership: Ownership, log: ConflictLog, unplaced: readonly Unit[] = []): FkStrips {
  const strips: FkStrips = new Map();
  const unplacedCreators = new Map<string, Unit>();
  for (const u of unplaced) for (const e of u.stmt.effects) if (e.action === 'create' && !unplacedCreators.has(nameKey(e.object))) unplacedCreators.set(nameKey(e.object), u);
  for (const r of lifecycle.unresolved) {
    const ref = r.effect.object;
    if (ownership.isExternal(ref)) continue;
    const u = r.node;
    const elsewhere = [...new Set(r.elsewhere.map((v) => v.store))].sort();
    if (elsewhere.length > 0 && r.effect.via === 'foreign_key') {
      crossStoreForeignKey(topology, u, ref, r.effect.columns ?? [], elsewhere, log, strips);
      continue;
    }
    if (elsewhere.length > 0) {
      log.add({
        kind: 'cross_store_reference',
        object: describe(ref),
        objectName: displayName(ref),
        message: `plan: "${unitPlace(u)}" in store "${u.store}" references ${describe(ref)}, which lives in store ${elsewhere.map((s) => `"${s}"`).join(', ')}`,
        sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, ...r.elsewhere.filter((v) => !isSynth(v.node)).slice(0, 1).map((v) => ({ file: (v.node as Unit).file.file, line: (v.node as Unit).stmt.line, store: v.store }))],
        severity: 'error',
        hint: `keep them in one store (bind both services to the same store), or declare "${ref.name}" shared if every store may have its own copy:\nshared: [${ref.kind}:${ref.name}]`,
      });
      continue;
    }
    const creator = unplacedCreators.get(nameKey(ref));
    if (creator) {
      log.add({
        kind: 'missing_object',
        object: describe(ref),
        message: `plan: "${unitPlace(u)}" references ${describe(ref)}, which "${unitPlace(creator)}" creates, but that statement has no store`,
        sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: creator.file.file, line: creator.stmt.line, set: creator.set.name }],
        severity: 'info',
        resolution: 'follows from the statement without a store (plan.unrouted): give it a store and this reference is met',
      });
      continue;
    }
    const soft = ref.kind === 'function';
    log.add({
      kind: 'missing_object',
      object: describe(ref),
      objectName: displayName(ref),
      message: `plan: "${unitPlace(u)}" references ${describe(ref)}, which no migration creates`,
      sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }],
      severity: soft ? 'warning' : 'error',
      hint: `add the migration that creates it, or declare that it exists already:\nexternal: [${ref.kind}:${ref.name}]`,
    });
  }
  return strips;
}

function crossStoreForeignKey(topology: Topology, u: Unit, ref: ObjectRef, columns: readonly string[], elsewhere: string[], log: ConflictLog, strips: FkStrips): void {
  const table = u.stmt.effects.find((e) => (e.action === 'create' || e.action === 'alter') && e.object.kind === 'table')?.object.name ?? '?';
  const res = findResolution(topology.foreignKeys, table, columns, ref.name);
  const subject = `foreign key ${table}${columns.length ? `(${columns.join(', ')})` : ''} → ${ref.name}`;
  const message = `plan: ${subject} at "${unitPlace(u)}" crosses stores: "${table}" is in "${u.store}", "${ref.name}" in ${elsewhere.map((s) => `"${s}"`).join(', ')}; PostgreSQL cannot enforce it`;
  const sources = [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }];
  const hint = `foreignKeys:\n  - from: ${table}\n    to: ${ref.name}\n    resolution: drop      # or replica, or colocate\n    reason: "..."`;
  if (!res) {
    log.add({ kind: 'cross_store_foreign_key', object: subject, message, sources, severity: 'error', hint });
    return;
  }
  const where = `${res.pos.file}:${res.pos.line}`;
  if (res.resolution === 'drop') {
    const s = strips.get(u) ?? { tables: new Set<string>(), notes: [] };
    s.tables.add(ref.name);
    s.notes.push(`${subject} removed: crosses stores (resolution drop at ${where}${res.reason ? `: ${res.reason}` : ''})`);
    strips.set(u, s);
    log.add({ kind: 'cross_store_foreign_key', object: subject, message, sources, severity: 'warning', resolution: `drop (${where}): the constraint is removed and the service enforces it${res.reason ? ` — ${res.reason}` : ''}` });
    return;
  }
  log.add({
    kind: 'cross_store_foreign_key',
    object: subject,
    message,
    sources,
    severity: 'error',
    hint: res.resolution === 'colocate'
      ? `the topology asks to keep "${table}" and "${ref.name}" together (${where}) but binds them to different stores: bind both owners to one store`
      : `resolution "replica" (${where}) needs the referenced table's definition in a PostgreSQL store; none was found`,
  });
}

export function findResolution(list: readonly ForeignKeyResolution[], table: string, columns: readonly string[], refTable: string): ForeignKeyResolution | undefined {
  return list.find((r) => {
    const [fromTable, fromColumn] = r.from.includes('.') ? [r.from.slice(0, r.from.indexOf('.')), r.from.slice(r.from.indexOf('.') + 1)] : [r.from, undefined];
    const t = compilePattern(`table:${fromTable}`).matches({ kind: 'table', name: table });
    const c = fromColumn === undefined || columns.includes(fromColumn);
    return t && c && compilePattern(`table:${r.to}`).matches({ kind: 'table', name: refTable });
  });
}

/** CASCADE drops that remove other tables' foreign keys or views, and files that drop what they just created. */
export function checkDrops(lifecycle: Lifecycle, log: ConflictLog, ownership?: Ownership): void {
  for (const list of lifecycle.versions.values()) {
    for (const v of list) {
      const d = v.dropNode;
      if (!d || isSynth(d)) continue;
      if (ownership?.isShared(v.ref) && SHARED_DROP_KINDS.has(v.ref.kind)) sharedDrop(list, v, d, log);
      const dropEffect = d.stmt.effects.find((e) => e.action === 'drop' && e.object.name === v.ref.name && sameNamespace(d.stmt.engine, e.object.kind, v.ref.kind));
      if (!dropEffect) continue;
      if (!isSynth(v.node) && v.node.file === d.file) {
        log.add({
          kind: 'drop_after_create',
          object: describe(v.ref),
          objectName: displayName(v.ref),
          message: `plan: "${d.file.file}" drops ${describe(v.ref)} that it created at line ${v.node.stmt.line} (line ${d.stmt.line})`,
          sources: [{ file: d.file.file, line: v.node.stmt.line }, { file: d.file.file, line: d.stmt.line }],
          severity: 'warning',
          hint: 'remove both statements, or split the file if the object is meant to live for a while',
        });
        continue;
      }
      if (dropEffect.cascade) cascade(lifecycle, v, d, log);
    }
  }
}

function cascade(lifecycle: Lifecycle, v: Version, d: Unit, log: ConflictLog): void {
  const droppedHere = new Set(d.stmt.effects.filter((e) => e.action === 'drop').map((e) => e.object.name));
  for (const { fk, table: tableRef } of liveForeignKeys(lifecycle, v, d)) {
    const table = tableRef.name;
    log.add({
      kind: 'cascade_drop',
      object: describe(v.ref),
      objectName: displayName(v.ref),
      message: `plan: "DROP ... CASCADE" at "${unitPlace(d)}" silently removes the foreign key ${table}${fk.effect.columns?.length ? `(${fk.effect.columns.join(', ')})` : ''} → ${v.ref.name} defined at "${unitPlace(fk.node)}"`,
      sources: [{ file: d.file.file, line: d.stmt.line, store: d.store }, { file: fk.node.file.file, line: fk.node.stmt.line, store: fk.node.store }],
      severity: 'error',
      hint: `drop or re-point the foreign key in its own migration first, or accept it:\naccept:\n  - conflict: cascade_drop\n    object: ${v.ref.name}\n    reason: "..."`,
    });
  }
  for (const u of v.users ?? []) {
    if (isSynth(u) || u === d) continue;
    const view = u.stmt.effects.find((e) => e.action === 'create' && (e.object.kind === 'view' || e.object.kind === 'materialized_view'));
    if (!view || droppedHere.has(view.object.name)) continue;
    log.add({
      kind: 'cascade_drop',
      object: describe(v.ref),
      objectName: displayName(v.ref),
      message: `plan: "DROP ... CASCADE" at "${unitPlace(d)}" silently drops ${describe(view.object)} defined at "${unitPlace(u)}"`,
      sources: [{ file: d.file.file, line: d.stmt.line, store: d.store }, { file: u.file.file, line: u.stmt.line, store: u.store }],
      severity: 'error',
      hint: `accept:\n  - conflict: cascade_drop\n    object: ${v.ref.name}\n    reason: "..."`,
    });
  }
}

/** Kinds a shared drop can break: what other objects call or are built from. */
const SHARED_DROP_KINDS: ReadonlySet<string> = new Set(['function', 'type', 'extension', 'schema']);

/**
 * One set drops a shared object that other sets' statements in the same store still use (their triggers call
 * the function, their columns have the type): PostgreSQL refuses the drop, or CASCADE takes their objects with it.
 */
function sharedDrop(list: readonly Version[], v: Version, d: Unit, log: ConflictLog): void {
  const users = new Map<Unit, true>();
  for (const other of list) for (const u of other.users ?? []) if (!isSynth(u) && u.set !== d.set && u !== d) users.set(u, true);
  if (users.size === 0) return;
  const first = [...users.keys()].sort((a, b) => a.seq - b.seq);
  log.add({
    kind: 'shared_drop',
    object: describe(v.ref),
    objectName: displayName(v.ref),
    message: `plan: "${unitPlace(d)}" drops shared ${describe(v.ref)} in store "${d.store}", which ${first.slice(0, 3).map((u) => `"${unitPlace(u)}" (set "${u.set.name}")`).join(', ')}${first.length > 3 ? ` and ${first.length - 3} more` : ''} still use${first.length === 1 ? 's' : ''} there`,
    sources: [{ file: d.file.file, line: d.stmt.line, set: d.set.name, store: d.store }, ...first.slice(0, 3).map((u) => ({ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }))],
    severity: 'error',
    hint: `a shared object belongs to every set that uses it: skip the drop in this store, or accept it if the others stop using it first:\nskip:\n  - set: ${d.set.name}\n    file: ${d.file.name}\n    statements: "${d.stmt.index + 1}"\n    reason: "..."`,
  });
}
