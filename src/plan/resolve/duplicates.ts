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

/** Objects that belong to a table: indexes, triggers, the sequence of a serial or identity column. */
function dependent(o: ObjectRef): boolean {
  return o.kind === 'index' || o.kind === 'trigger' || (o.kind === 'sequence' && o.table !== undefined);
}

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
  const skippedKeys = new Map<string, Set<string>>();
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
  skippedKeys: Map<string, Set<string>>,
  kinds: (object: ObjectRef) => boolean,
): void {
  const creators = new Map<string, Creator[]>();
  for (const u of units) {
    for (const e of u.stmt.effects) {
      if (e.action !== 'create' || !kinds(e.object) || e.object.kind === 'database') continue;
      const k = storeKey(topology, u.store!, u.stmt.engine, e.object);
      const list = creators.get(k) ?? [];
      list.push({ unit: u, ref: e.object });
      creators.set(k, list);
    }
  }
  // Nearly every name has one creator: set those aside before sorting.
  const contested = [...creators].filter(([, list]) => list.length > 1 && new Set(list.map((c) => c.unit.set.name)).size > 1);
  for (const [key, list] of contested.sort(([a], [b]) => compareText(a, b))) {
    const ref = list[0]!.ref;
    if (ownership.isShared(ref)) {
      reportShared(list, log);
      continue;
    }
    const subject = ref.kind === 'index' ? indexTables.get(ref.name) ?? ref : (ref.kind === 'trigger' || ref.kind === 'sequence') && ref.table ? { kind: 'table' as const, name: ref.table, schema: ref.schema } : ref;
    const sup = findSupersession(topology, subject, list);
    if (!sup) {
      reportUnresolved(list, ownership, subject, log);
      continue;
    }
    applySupersession(key, list, sup, units, topology, log, skippedKeys);
  }
}

function findSupersession(topology: Topology, subject: ObjectRef, list: readonly Creator[]): Supersession | undefined {
  return topology.supersessions.find((s) => {
    if (!s.objects.some((o) => compilePattern(o).matches(subject))) return false;
    return list.some((c) => c.unit.service === s.by && !c.unit.set.shared);
  });
}

function definitionsCompared(a: Creator, b: Creator): string {
  if (sameDefinition(a.unit.stmt.sql, b.unit.stmt.sql, a.unit.stmt.engine)) return 'the definitions are identical';
  const diff = shapeDiff(statementShape(a.unit.stmt), statementShape(b.unit.stmt));
  const hidden = a.unit.stmt.effects.some((e) => e.ifNotExists) || b.unit.stmt.effects.some((e) => e.ifNotExists)
    ? ' (IF NOT EXISTS would silently keep whichever runs first)'
    : '';
  return `the definitions differ${diff.length ? `: ${diff.join('; ')}` : ''}${hidden}`;
}

function applySupersession(
  key: string,
  list: readonly Creator[],
  sup: Supersession,
  units: readonly Unit[],
  topology: Topology,
  log: ConflictLog,
  skippedKeys: Map<string, Set<string>>,
): void {
  const winner = list.find((c) => c.unit.service === sup.by && !c.unit.set.shared)!;
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
    const drop = units.find(
      (u) => u.set === c.unit.set && u.seq > c.unit.seq && u.stmt.effects.some((e) => e.action === 'drop' && storeKey(topology, u.store!, u.stmt.engine, e.object) === key),
    );
    if (drop) {
      log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: `superseded by "${sup.by}" (${supPlace}); the old definition stays until "${unitPlace(drop)}" drops it, which runs before the new one is created` });
      continue;
    }
    const onlySuperseded = c.unit.stmt.effects.filter((e) => e.action === 'create' && !dependent(e.object)).length === 1;
    if (onlySuperseded) {
      c.unit.skipped = `superseded by "${sup.by}": ${describe(c.ref)} is defined at "${unitPlace(winner.unit)}"${sup.reason ? ` (${sup.reason})` : ''}`;
      const set = skippedKeys.get(c.unit.set.name) ?? new Set<string>();
      set.add(key);
      skippedKeys.set(c.unit.set.name, set);
    }
    log.add({ kind: 'duplicate_create', object: describe(c.ref), message, sources, severity: 'info', resolution: `superseded by "${sup.by}" (${supPlace}): the definition at "${unitPlace(c.unit)}" is skipped` });
  }
}

/** Indexes, triggers and alters of a skipped superseded table in the same set are skipped with it. */
function skipDependents(topology: Topology, units: readonly Unit[], indexTables: ReadonlyMap<string, ObjectRef>, skippedKeys: Map<string, Set<string>>): void {
  for (const u of units) {
    const keys = skippedKeys.get(u.set.name);
    if (!keys || u.skipped) continue;
    const prim = primaryObjects(u, indexTables);
    if (prim.length === 0) continue;
    const all = prim.every((p) => keys.has(storeKey(topology, u.store!, u.stmt.engine, p)));
    const createsOther = u.stmt.effects.some((e) => e.action === 'create' && !dependent(e.object));
    if (all && !createsOther) u.skipped = `superseded with ${prim.map((p) => `"${displayName(p)}"`).join(', ')}: it only changes a skipped definition`;
  }
}

function reportShared(list: readonly Creator[], log: ConflictLog): void {
  const [first, ...rest] = list;
  for (const c of rest) {
    if (c.unit.store !== first!.unit.store) continue;
    const identical = sameDefinition(c.unit.stmt.sql, first!.unit.stmt.sql, c.unit.stmt.engine);
    log.add({
      kind: 'duplicate_create',
      object: describe(c.ref),
      message: `plan: shared ${describe(c.ref)} is created by both "${unitPlace(first!.unit)}" and "${unitPlace(c.unit)}" in store "${c.unit.store}"; ${definitionsCompared(first!, c)}`,
      sources: [first!, c].map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store })),
      severity: identical ? 'info' : 'error',
      resolution: identical ? 'shared object with identical definitions: both run, the second is a no-op' : undefined,
      hint: identical ? undefined : `make the two definitions identical, or give them different names: a shared object must mean the same thing everywhere`,
    });
  }
}

function reportUnresolved(list: readonly Creator[], ownership: Ownership, subject: ObjectRef, log: ConflictLog): void {
  const owner = ownership.ownerOf(subject) ?? list.find((c) => !c.unit.set.shared)?.unit.service ?? list[0]!.unit.service ?? 'my-service';
  const losers = [...new Set(list.filter((c) => c.unit.service !== owner || c.unit.set.shared).map((c) => c.unit.set.name))];
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
