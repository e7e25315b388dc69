/**
 * What each set of a draft topology creates, read by the planner's own reader
 * (readMigrations: the same parsers and engine detection `plan` uses): the
 * engines its files turn out to be written for, and the objects each service
 * creates, which become its `owns`. An object two services create is owned by
 * neither: that is a conflict for the plan to report, with its hint. A
 * column's own sequence (`serial`) goes with its table and is not listed.
 * Of one service's sets, a set that changes or uses what another creates runs
 * after it (`after:`), as a full schema comes before its deltas.
 *
 * @example
 * const { engines, owns } = inferOwnership(topology);
 * owns.get('social-service') // ['comment_likes', 'comments', 'likes', ...]
 * engines.get('features-ch') // Set { 'clickhouse' }
 */
import type { EngineName, ObjectKind } from '../sql/effects.js';
import type { Topology } from '../topology/model.js';
import { readMigrations, type ParseMemo } from '../plan/read/read-migrations.js';

export interface InferredOwnership {
  /** Engines of each set's statements, by set name. */
  readonly engines: ReadonlyMap<string, ReadonlySet<EngineName>>;
  /** Sets every one of whose SQL files is ClickHouse (so `engines: { "*.sql": clickhouse }` says it). */
  readonly clickhouseSets: ReadonlySet<string>;
  /** Objects each service alone creates, by service, sorted. */
  readonly owns: ReadonlyMap<string, readonly string[]>;
  /** Sets of the same service each set runs after, by set name, sorted. */
  readonly after: ReadonlyMap<string, readonly string[]>;
}

/** Kinds `owns:` names (see route/patterns.ts); extensions and schemas are shared by every store anyway. */
const OWNED_KINDS: ReadonlySet<ObjectKind> = new Set(['table', 'view', 'materialized_view', 'dictionary', 'sequence', 'type', 'function', 'graph_constraint', 'graph_index']);

export function inferOwnership(topology: Topology, memo?: ParseMemo): InferredOwnership {
  const { units } = readMigrations(topology, undefined, memo);
  const engines = new Map<string, Set<EngineName>>();
  const nonClickhouse = new Set<string>();
  const creators = new Map<string, Set<string>>();
  const madeBySet = new Map<string, Set<string>>();
  const usedBySet = new Map<string, Set<string>>();
  for (const u of units) {
    for (const x of u.stmt.effects) {
      const [map, name] = x.action === 'create' ? [madeBySet, x.object.name] : [usedBySet, x.object.name];
      add(map, u.set.name, name);
      if (x.object.table) add(usedBySet, u.set.name, x.object.table);
    }
    let e = engines.get(u.set.name);
    if (!e) engines.set(u.set.name, (e = new Set()));
    e.add(u.stmt.engine);
    if (u.stmt.engine !== 'clickhouse' && /\.sql$/i.test(u.file.name)) nonClickhouse.add(u.set.name);
    if (u.set.shared || !u.set.service) continue;
    const makesTable = u.stmt.effects.some((x) => x.action === 'create' && x.object.kind === 'table');
    for (const x of u.stmt.effects) {
      if (x.action !== 'create' || !OWNED_KINDS.has(x.object.kind)) continue;
      if (x.object.kind === 'sequence' && makesTable) continue;
      let c = creators.get(x.object.name);
      if (!c) creators.set(x.object.name, (c = new Set()));
      c.add(u.set.service);
    }
  }
  const owns = new Map<string, string[]>();
  for (const [name, services] of creators) {
    if (services.size !== 1) continue;
    const [service] = services;
    owns.set(service!, [...(owns.get(service!) ?? []), name]);
  }
  for (const list of owns.values()) list.sort();
  const clickhouseSets = new Set([...engines].filter(([name, e]) => e.has('clickhouse') && !nonClickhouse.has(name)).map(([name]) => name));
  return { engines, clickhouseSets, owns, after: setOrder(topology, madeBySet, usedBySet) };
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(value);
}

/** B after A when B uses what A alone of the two creates and A uses nothing B creates; an edge that would close a cycle is left out. */
function setOrder(topology: Topology, made: ReadonlyMap<string, Set<string>>, used: ReadonlyMap<string, Set<string>>): Map<string, string[]> {
  const after = new Map<string, string[]>();
  const uses = (b: string, a: string) => [...(used.get(b) ?? [])].some((n) => made.get(a)?.has(n) && !made.get(b)?.has(n));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    from === to || (!seen.has(from) && (seen.add(from), (after.get(from) ?? []).some((x) => reaches(x, to, seen))));
  for (const service of topology.services.values()) {
    for (const b of service.sets) {
      for (const a of service.sets) {
        if (a === b || !uses(b, a) || uses(a, b) || reaches(a, b)) continue;
        after.set(b, [...(after.get(b) ?? []), a].sort());
      }
    }
  }
  return after;
}
