/**
 * Objects created by more than one set in the same store. Declared
 * supersessions resolve them: the superseded definition is skipped, or, when
 * its own set drops it later, kept until that drop (which then must run before
 * the winning definition). Shared objects may be created by several sets when
 * the definitions are identical. Anything else is a conflict whose hint is the
 * YAML that resolves it.
 */
import type { Topology, Supersession } from '../../topology/model.js';
import type { ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey, describe, displayName } from '../object-keys.js';
import type { Ownership } from '../route/ownership.js';
import { compilePattern } from '../route/patterns.js';
import { primaryObjects } from '../route/route.js';
import { sameDefinition } from './same-definition.js';
import { statementShape } from '../../sql/postgres/statement-shape.js';
import { shapeDiff } from './shape-diff.js';
import { unitPlace, type Unit } from '../read/units.js';
import { compareText } from '../compare-text.js';
import { SetChain } from '../order/set-chain.js';

/** Objects that belong to a table: indexes, triggers, the sequence of a serial or identity column. */
function dependent(o: ObjectRef): boolean {
  return o.kind === 'index' || o.kind === 'trigger' || (o.kind === 'sequence' && o.table !== undefined);
}

/** Per set, the superseded names it no longer defines, from the sequence number of the skipped creation on. */
type SkippedVersions = Map<string, Map<string, number>>;

interface Creator {
  readonly unit: Unit;
  readonly ref: ObjectRef;
}

export function resolveDuplicates(
  topology: Topology,
  units: readonly Unit[],
  ownership: Ownership,
  log: ConflictLog,
  indexTables: ReadonlyMap<string, ObjectRef>,
): void {
  const live = () => units.filter((u) => !u.skipped && u.store);
  const skippedKeys: SkippedVersions = new Map();
  // Indexes, triggers and a serial column's sequence follow their table: they are resolved once the tables are.
  const primary = (o: ObjectRef) => !dependent(o);
  resolvePass(topology, live(), ownership, log, indexTables, skippedKeys, primary);
  skipDependents(topology, live(), indexTables, skippedKeys);
  resolvePass(topology, live(), ownership, log, indexTables, skippedKeys, (o) => !primary(o));
}

function resolvePass(
  topology: Topology,
  units: readonly Unit[],
  ownership: Ownership,
  log: ConflictLog,
  indexTables: ReadonlyMap<string, ObjectRef>,
  skippedKeys: SkippedVersions,
  kinds: (object: ObjectRef) => boolean,
): void {
  // Most names have one creator: it is kept alone, and a list is made only for a name with a second one.
  const creators = new Map<string, Creator | Creator[]>();
  for (const u of units) {
    for (const e of u.stmt.effects) {
      if (e.action !== 'create' || !kinds(e.object) || e.object.kind === 'database') continue;
      const k = storeKey(topology, u.store!, u.stmt.engine, e.object);
      const known = creators.get(k);
      const c: Creator = { unit: u, ref: e.object };
      if (!known) creators.set(k, c);
      else if (Array.isArray(known)) known.push(c);
      else creators.set(k, [known, c]);
    }
  }
  // Nearly every name has one creator: set those aside before sorting (forEach makes no [key, value] pair for each).
  const chain = new SetChain(topology);
  const contested: [string, Creator[]][] = [];
  const several: [string, Creator[]][] = [];
  creators.forEach((list, key) => {
    if (!Array.isArray(list)) return;
    several.push([key, list]);
    if (new Set(list.map((c) => c.unit.set.name)).size > 1 && !chain.versionsInOrder(key, list, units)) contested.push([key, list]);
  });
  for (const [key, list] of contested.sort(([a], [b]) => compareText(a, b))) {
    const ref = list[0]!.ref;
    if (ownership.isShared(ref)) {
      reportShared(topology, list, log);
      continue;
    }
    const subject = ref.kind === 'index' ? indexTables.get(ref.name) ?? ref : (ref.kind === 'trigger' || ref.kind === 'sequence') && ref.table ? { kind: 'table' as const, name: ref.table, schema: ref.schema } : ref;
    const sup = findSupersession(topology, subject, list);
    if (!sup) {
      reportUnresolved(list, ownership, subject, log);
      continue;
    }
    // A table's index, trigger or column sequence goes with the table: a drop of the table ends it too.
    const ends = new Set([key, storeKey(topology, list[0]!.unit.store!, list[0]!.unit.stmt.engine, subject)]);
    applySupersession(key, ends, list, sup, units, topology, log, skippedKeys);
  }
  // What a supersession skipped is no duplicate any more.
  for (const [key, list] of several) reportWithinSet(topology, key, list.filter((c) => !c.unit.skipped), units, log);
}

function findSupersession(topology: Topology, subject: ObjectRef, list: readonly Creator[]): Supersession | undefined {
  return topology.supersessions.find((s) => {
    if (!s.objects.some((o) => compilePattern(o).matches(subject))) return false;
    return list.some((c) => wins(c, s));
  });
}

/** `by:` names a service (its own sets win) or a set. */
function wins(c: Creator, sup: Supersession): boolean {
  return c.unit.set.name === sup.by || (c.unit.service === sup.by && !c.unit.set.shared);
}

function definitionsCompared(a: Creator, b: Creator): string {
  if (sameDefinition(a.unit.stmt.sql, b.unit.stmt.sql, a.unit.stmt.engine)) return 'the definitions are identical';
  const diff = shapeDiff(statementShape(a.unit.stmt), statementShape(b.unit.stmt));
  const hidden = a.unit.stmt.effects.some((e) => e.ifNotExists) || b.unit.stmt.effects.some((e) => e.ifNotExists)
    ? ' (IF NOT EXISTS would silently keep whichever runs first)'
    : '';
  return `the definitions differ${diff.length ? `: ${diff.join('; ')}` : ''}${hidden}`;
}

/** `ends`: the keys whose drop ends the definition (the object's, and its table's for what belongs to a table). */
function applySupersession(
  key: string,
  ends: ReadonlySet<string>,
  list: readonly Creator[],
  sup: Supersession,
  units: readonly Unit[],
  topology: Topology,
  log: ConflictLog,
  skippedKeys: SkippedVersions,
): void {
  const winner = list.find((c) => wins(c, sup))!;
  const supPlace = `${sup.pos.file}:${sup.pos.line}`;
  for (const c of list) {
    if (c.unit.set === winner.unit.set) continue;
    const comparison = definitionsCompared(winner, c);
    const sources = [winner, c].map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store }));
    const message = `plan: ${describe(c.ref)} is created by both "${unitPlace(winner.unit)}" and "${unitPlace(c.unit)}"; ${comparison}`;
    if (sup.sets.length > 0 && !sup.sets.includes(c.unit.set.name)) {
      log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'error', hint: supersessionHint(sup.by, [c.ref], [c.unit.set.name]) });
      continue;
    }
    // The version this statement starts ends at its own set's next drop of the name, if that comes before the set creates it again.
    const next = list.find((x) => x.unit.set === c.unit.set && x.unit.seq > c.unit.seq)?.unit.seq ?? Infinity;
    const drop = units.find(
      (u) => u.set === c.unit.set && u.seq > c.unit.seq && u.seq < next && u.stmt.effects.some((e) => e.action === 'drop' && ends.has(storeKey(topology, u.store!, u.stmt.engine, e.object))),
    );
    if (drop) {
      log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: `superseded by "${sup.by}" (${supPlace}); the old definition stays until "${unitPlace(drop)}" drops it, and the new one is created after that drop` });
      continue;
    }
    const others = c.unit.stmt.effects.filter((e) => e.action === 'create' && !dependent(e.object) && storeKey(topology, c.unit.store!, c.unit.stmt.engine, e.object) !== key);
    if (others.length > 0) {
      // Skipping the statement would skip the other objects too: only the author can split it.
      log.add({
        kind: 'duplicate_create',
        object: describe(c.ref),
        message: `${message}; "${unitPlace(c.unit)}" also creates ${others.map((e) => describe(e.object)).join(', ')}, so it cannot be skipped for ${describe(c.ref)} alone`,
        sources,
        severity: 'error',
        hint: `split the statement, or skip it whole if "${sup.by}" defines the others too:\nskip:\n  - set: ${c.unit.set.name}\n    file: ${c.unit.file.name}\n    statements: "${c.unit.stmt.index + 1}"\n    reason: "..."`,
      });
      continue;
    }
    c.unit.skipped = `superseded by "${sup.by}": ${describe(c.ref)} is defined at "${unitPlace(winner.unit)}"${sup.reason ? ` (${sup.reason})` : ''}`;
    const versions = skippedKeys.get(c.unit.set.name) ?? new Map<string, number>();
    versions.set(key, Math.min(versions.get(key) ?? Infinity, c.unit.seq));
    skippedKeys.set(c.unit.set.name, versions);
    log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: `superseded by "${sup.by}" (${supPlace}): the definition at "${unitPlace(c.unit)}" is skipped, with every later statement of its set that only acts on it` });
  }
}

/**
 * Indexes, triggers, alters, comments, grants and drops of a skipped superseded definition in the same set are
 * skipped with it: the statements after it. An earlier version the set drops itself (before re-creating the name) is not.
 */
function skipDependents(topology: Topology, units: readonly Unit[], indexTables: ReadonlyMap<string, ObjectRef>, skippedKeys: SkippedVersions): void {
  for (const u of units) {
    const keys = skippedKeys.get(u.set.name);
    if (!keys || u.skipped) continue;
    const prim = primaryObjects(u, indexTables);
    if (prim.length === 0) continue;
    const all = prim.every((p) => u.seq > (keys.get(storeKey(topology, u.store!, u.stmt.engine, p)) ?? Infinity));
    const createsOther = u.stmt.effects.some((e) => e.action === 'create' && !dependent(e.object));
    if (all && !createsOther) u.skipped = `superseded with ${prim.map((p) => `"${displayName(p)}"`).join(', ')}: it only changes a skipped definition`;
  }
}

/** The argument types of the function a creator creates (see function-signature.ts); undefined for other objects. */
function signatureOf(c: Creator): string | undefined {
  return c.ref.kind === 'function' ? c.unit.stmt.effects.find((e) => e.action === 'create' && e.object.kind === 'function' && e.object.name === c.ref.name)?.signature : undefined;
}

/**
 * One set creating a name twice with no drop of it in between: a plain second CREATE fails at apply,
 * and a second `CREATE ... IF NOT EXISTS` is a silent no-op that leaves the first definition live (the
 * plan's model keeps the first as the object's version). `CREATE OR REPLACE` is a new version, not a duplicate.
 */
function reportWithinSet(topology: Topology, key: string, list: readonly Creator[], units: readonly Unit[], log: ConflictLog): void {
  for (let i = 1; i < list.length; i++) {
    const b = list[i]!;
    // Two functions of one name with other argument types are overloads, each an object of its own: the one
    // created twice is the one of the same signature.
    const overload = signatureOf(b);
    const a = [...list.slice(0, i)].reverse().find((x) => x.unit.set === b.unit.set && (overload === undefined || (signatureOf(x) ?? overload) === overload));
    if (!a || b.unit.stmt.effects.some((e) => e.action === 'create' && e.orReplace)) continue;
    const dropped = units.some(
      (u) => u.set === b.unit.set && u.seq > a.unit.seq && u.seq < b.unit.seq && u.stmt.effects.some((e) => (e.action === 'drop' || e.action === 'rename') && storeKey(topology, u.store!, u.stmt.engine, e.object) === key),
    );
    if (dropped) continue;
    const ifNotExists = b.unit.stmt.effects.some((e) => e.action === 'create' && e.ifNotExists);
    const identical = sameDefinition(a.unit.stmt.sql, b.unit.stmt.sql, a.unit.stmt.engine);
    const sources = [a, b].map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store }));
    const message = `plan: ${describe(b.ref)} is created twice in set "${b.unit.set.name}", at "${unitPlace(a.unit)}" and "${unitPlace(b.unit)}", with no drop in between; ${definitionsCompared(a, b)}`;
    const skipHint = `skip:\n  - set: ${b.unit.set.name}\n    file: ${b.unit.file.name}\n    statements: "${b.unit.stmt.index + 1}"\n    reason: "..."`;
    if (ifNotExists && identical) {
      log.add({ kind: 'duplicate_create', object: describe(b.ref), message, sources, severity: 'info', resolution: 'the same definition again with IF NOT EXISTS: the second is a no-op' });
    } else if (ifNotExists) {
      log.add({ kind: 'duplicate_create', object: describe(b.ref), message: `${message}: the second is a silent no-op and the definition at "${unitPlace(a.unit)}" stays live`, sources, severity: 'error', hint: `turn the second into the ALTER statements that give the first definition its new shape, or, if the first shape is what you want, ${skipHint.replace('skip:', 'skip the second:\nskip:')}` });
    } else {
      log.add({ kind: 'duplicate_create', object: describe(b.ref), message: `${message}: the second fails at apply (the object exists already)`, sources, severity: 'error', hint: `drop the object before creating it again, or skip the second:\n${skipHint}` });
    }
  }
}

/**
 * A shared object several sets create: identical definitions are one object. A copy written `IF NOT EXISTS` or
 * `OR REPLACE` runs as a no-op; a plain one would fail once the object exists ("schema app already exists"),
 * so it is skipped, unless its statement makes something else too (then only its author can split it).
 */
function reportShared(topology: Topology, list: readonly Creator[], log: ConflictLog): void {
  const [first, ...rest] = list;
  for (const c of rest) {
    if (c.unit.store !== first!.unit.store) continue;
    const identical = sameDefinition(c.unit.stmt.sql, first!.unit.stmt.sql, c.unit.stmt.engine);
    const message = `plan: shared ${describe(c.ref)} is created by both "${unitPlace(first!.unit)}" and "${unitPlace(c.unit)}" in store "${c.unit.store}"; ${definitionsCompared(first!, c)}`;
    const sources = [first!, c].map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store }));
    if (!identical) {
      log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'error', hint: `make the two definitions identical, or give them different names: a shared object must mean the same thing everywhere` });
      continue;
    }
    const made = c.unit.stmt.effects.find((e) => e.action === 'create' && e.object.kind === c.ref.kind && e.object.name === c.ref.name);
    if (made?.ifNotExists || made?.orReplace) {
      log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: 'shared object with identical definitions: both run, the second is a no-op' });
      continue;
    }
    const key = storeKey(topology, c.unit.store!, c.unit.stmt.engine, c.ref);
    const others = c.unit.stmt.effects.filter((e) => e.action === 'create' && !dependent(e.object) && storeKey(topology, c.unit.store!, c.unit.stmt.engine, e.object) !== key);
    if (others.length > 0) {
      log.add({
        kind: 'duplicate_create',
        object: describe(c.ref),
        message: `${message}; without IF NOT EXISTS the second fails, and "${unitPlace(c.unit)}" also creates ${others.map((e) => describe(e.object)).join(', ')}, so it cannot be skipped for ${describe(c.ref)} alone`,
        sources,
        severity: 'error',
        hint: `write it IF NOT EXISTS, or split the statement`,
      });
      continue;
    }
    c.unit.skipped = `shared ${describe(c.ref)} is made by "${unitPlace(first!.unit)}" with the same definition: run again without IF NOT EXISTS, this copy would fail`;
    log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: `shared object with identical definitions: "${unitPlace(first!.unit)}" makes it, and the copy at "${unitPlace(c.unit)}" (no IF NOT EXISTS, so it would fail) is skipped` });
  }
}

function reportUnresolved(list: readonly Creator[], ownership: Ownership, subject: ObjectRef, log: ConflictLog): void {
  // A shared set's plain CREATE against a service's `IF NOT EXISTS` copy: the shared set holds the base definition.
  const base = list.find((c) => c.unit.set.shared && !c.unit.stmt.effects.some((e) => e.ifNotExists));
  const copies = list.filter((c) => !c.unit.set.shared);
  const baseWins = base && copies.length > 0 && copies.every((c) => c.unit.stmt.effects.some((e) => e.action === 'create' && e.ifNotExists));
  const owner = baseWins ? base.unit.set.name : ownership.ownerOf(subject) ?? copies[0]?.unit.service ?? list[0]!.unit.service ?? 'my-service';
  const losers = [...new Set(list.filter((c) => (baseWins ? c.unit.set !== base.unit.set : c.unit.service !== owner || c.unit.set.shared)).map((c) => c.unit.set.name))];
  const [a, b] = [list[0]!, list.find((c) => c.unit.set !== list[0]!.unit.set)!];
  log.add({
    kind: 'duplicate_create',
    object: describe(a.ref),
    message: `plan: ${describe(a.ref)} is created by both "${unitPlace(a.unit)}" and "${unitPlace(b.unit)}" in store "${a.unit.store}"; ${definitionsCompared(a, b)}`,
    sources: list.map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store })),
    severity: 'error',
    hint: supersessionHint(owner, [subject], losers),
  });
}

export function supersessionHint(by: string, refs: readonly ObjectRef[], sets: readonly string[]): string {
  return `supersessions:\n  - objects: [${refs.map((r) => displayName(r)).join(', ')}]\n    by: ${by}\n    sets: [${sets.join(', ')}]\n    reason: "..."`;
}
