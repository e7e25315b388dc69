/**
 * Routing: which store each statement runs on. A service's own set goes to the
 * service's store for the statement's engine. A shared (legacy) set is routed
 * statement by statement to the store of the owner of what it touches; a
 * statement that only creates shared objects (a trigger function, an
 * extension) goes to every store that uses them.
 *
 * @example
 * const units = routeUnits(topology, units, ownership, log, diagnostics);
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { EngineName, ObjectRef } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import { identifier } from '../../sql/postgres/quote-ident.js';
import type { ConflictLog } from '../resolve/conflict-log.js';
import { nameKey, type Ownership } from './ownership.js';
import { unitPlace, type Unit } from '../read/units.js';
import { routeByNeighbours } from './route-by-neighbours.js';
import { UnroutedReport } from './unrouted-report.js';

/** Effects that make a statement about an object (references only point at one). */
export const PRIMARY: ReadonlySet<string> = new Set(['create', 'alter', 'drop', 'rename', 'write']);
/** Kinds whose owner follows their users when nobody declares it. */
const INFERRED_KINDS: ReadonlySet<string> = new Set(['function', 'type', 'sequence']);

/** The objects a statement is about, with indexes and triggers replaced by their table. */
export function primaryObjects(u: Unit, indexTables: ReadonlyMap<string, ObjectRef>): ObjectRef[] {
  const out: ObjectRef[] = [];
  const effects = u.stmt.effects;
  const add = (o: ObjectRef, fromStatement: boolean) => {
    if (o.kind === 'index') {
      const t = (fromStatement ? effects.find((x) => x.via === 'index_table')?.object : undefined) ?? indexTables.get(o.name);
      if (t) out.push(t);
    } else if (o.kind === 'trigger' || (o.kind === 'sequence' && o.table)) {
      if (o.table) out.push({ kind: 'table', name: o.table, schema: o.schema });
    } else if (o.kind === 'sequence' && indexTables.has(`sequence:${o.name}`)) {
      out.push(indexTables.get(`sequence:${o.name}`)!);
    } else if (o.kind !== 'database') {
      out.push(o);
    }
  };
  for (const e of effects) if (PRIMARY.has(e.action)) add(e.object, true);
  if (out.length === 0) {
    // Nameless indexes, COMMENT ON, GRANT, ANALYZE, setval(): go where the referenced object lives.
    for (const e of effects) if (e.action === 'reference' && e.via !== 'extension_function' && e.via !== 'function_call') add(e.object, false);
  }
  return out;
}

/**
 * Maps index names to their table, from every CREATE INDEX (so DROP INDEX can be routed), and
 * `sequence:<name>` to the table of a serial or identity column's sequence (so setval() can be).
 */
export function indexTableMap(units: readonly Unit[]): Map<string, ObjectRef> {
  const m = new Map<string, ObjectRef>();
  for (const u of units) {
    for (const e of u.stmt.effects) {
      if (e.action !== 'create') continue;
      if (e.object.kind === 'index') {
        const table = u.stmt.effects.find((x) => x.via === 'index_table');
        if (table && !m.has(e.object.name)) m.set(e.object.name, table.object);
      } else if (e.object.kind === 'sequence' && e.object.table && !m.has(`sequence:${e.object.name}`)) {
        m.set(`sequence:${e.object.name}`, { kind: 'table', name: e.object.table, schema: e.object.schema });
      }
    }
  }
  return m;
}

interface Route {
  stores: Map<string, { service?: string; objects: ObjectRef[] }>;
  shared: ObjectRef[];
  unowned: ObjectRef[];
}

export function routeUnits(
  topology: Topology,
  units: Unit[],
  ownership: Ownership,
  log: ConflictLog,
  diagnostics: Diagnostic[],
  indexTables: ReadonlyMap<string, ObjectRef> = indexTableMap(units),
): Unit[] {
  const storeOf = (service: string, engine: EngineName) => topology.services.get(service)?.stores[engine];
  const missingStore = new Set<string>();
  const report = new UnroutedReport();
  const inferred = inferOwners(units, ownership, indexTables);
  const ownerOf = (ref: ObjectRef) => ownership.ownerOf(ref) ?? inferred.get(nameKey(ref));

  const out: Unit[] = [];
  const deferred: { unit: Unit; shared: ObjectRef[] }[] = [];
  for (const u of units) {
    if (u.skipped) {
      out.push(u);
      continue;
    }
    if (!u.set.shared && u.set.service) {
      u.service = u.set.service;
      u.store = storeOf(u.set.service, u.stmt.engine);
      if (!u.store) reportMissingStore(topology, u, u.set.service, missingStore, diagnostics);
      out.push(u);
      continue;
    }
    const route = routeShared(u, indexTables, ownerOf, ownership, (s) => storeOf(s, u.stmt.engine));
    const fallback = u.set.defaultStores[u.stmt.engine];
    if (fallback && route.unowned.length > 0) {
      // Objects no service owns live in the set's own store for the engine.
      const entry = route.stores.get(fallback) ?? { objects: [] };
      entry.objects.push(...route.unowned.splice(0));
      route.stores.set(fallback, entry);
    }
    for (const ref of route.unowned) report.unowned(u, ref);
    if (route.stores.size === 1) {
      const [store, r] = [...route.stores][0]!;
      u.store = store;
      u.service = r.service;
      out.push(u);
    } else if (route.stores.size > 1) {
      out.push(...splitAcrossStores(u, route, diagnostics));
    } else if (route.shared.length > 0) {
      deferred.push({ unit: u, shared: route.shared });
      out.push(u);
    } else {
      // Nothing owned to route by (SET, SELECT 1, a DO block): follow the file's neighbours.
      out.push(u);
    }
  }
  routeByNeighbours(out, topology, diagnostics);
  const replicated = routeSharedCreators(deferred, out, topology);
  const final = out.flatMap((u) => replicated.get(u) ?? [u]);
  for (const u of final) {
    const fallback = u.set.defaultStores[u.stmt.engine];
    if (!u.skipped && !u.store && fallback) {
      u.store = fallback;
      u.notes.push(`runs in "${fallback}", the store set "${u.set.name}" names for ${u.stmt.engine}: it touches nothing a service owns`);
    }
  }
  report.finish(final, log, diagnostics, missingStore);
  return final;
}

function routeShared(
  u: Unit,
  indexTables: ReadonlyMap<string, ObjectRef>,
  ownerOf: (ref: ObjectRef) => string | undefined,
  ownership: Ownership,
  storeFor: (service: string) => string | undefined,
): Route {
  const route: Route = { stores: new Map(), shared: [], unowned: [] };
  for (const ref of primaryObjects(u, indexTables)) {
    // An extension a service declares in owns: goes to that service's store; others go wherever they are used.
    if (ownership.isShared(ref) && !(ref.kind === 'extension' && ownership.declaredOwnerOf(ref))) {
      route.shared.push(ref);
      continue;
    }
    const owner = ownerOf(ref);
    if (!owner) {
      if (!ownership.isExternal(ref)) route.unowned.push(ref);
      continue;
    }
    const store = storeFor(owner);
    if (!store) continue;
    const entry = route.stores.get(store) ?? { service: owner, objects: [] };
    entry.objects.push(ref);
    route.stores.set(store, entry);
  }
  return route;
}

/**
 * Functions, types and sequences a shared set creates without a declared owner
 * follow the single service whose statements use them (a posts trigger function
 * goes with posts).
 */
function inferOwners(units: readonly Unit[], ownership: Ownership, indexTables: ReadonlyMap<string, ObjectRef>): Map<string, string> {
  const out = new Map<string, string>();
  // Only what shared (or service-less) sets create can lack an owner here: a service's own set makes it the creator.
  const orphans = new Set<string>();
  for (const u of units) {
    if ((!u.set.shared && u.set.service) || u.skipped) continue;
    for (const e of u.stmt.effects) if (e.action === 'create' && INFERRED_KINDS.has(e.object.kind)) orphans.add(nameKey(e.object));
  }
  if (orphans.size === 0) return out;
  const candidates = new Map<string, Set<string>>();
  for (const u of units) {
    if (u.skipped) continue;
    if (!u.stmt.effects.some((e) => e.action === 'reference' && orphans.has(nameKey(e.object)))) continue;
    const owners = new Set<string>();
    if (!u.set.shared && u.set.service) owners.add(u.set.service);
    else for (const p of primaryObjects(u, indexTables)) {
      const o = ownership.ownerOf(p);
      if (o) owners.add(o);
    }
    if (owners.size !== 1) continue;
    const owner = [...owners][0]!;
    for (const e of u.stmt.effects) {
      if (e.action !== 'reference' || !INFERRED_KINDS.has(e.object.kind)) continue;
      if (ownership.ownerOf(e.object) || ownership.isShared(e.object)) continue;
      const k = nameKey(e.object);
      const s = candidates.get(k) ?? new Set<string>();
      s.add(owner);
      candidates.set(k, s);
    }
  }
  for (const [k, s] of candidates) if (s.size === 1) out.set(k, [...s][0]!);
  return out;
}

/** A DROP naming objects of several stores becomes one DROP per store; anything else cannot be split. */
function splitAcrossStores(u: Unit, route: Route, diagnostics: Diagnostic[]): Unit[] {
  const drops = u.stmt.effects.filter((e) => e.action === 'drop');
  if (u.stmt.kind !== 'DropStmt' || drops.length === 0) {
    diagnostics.push(
      diagnostic({
        code: 'plan.split_statement',
        severity: 'error',
        message: `plan: statement ${u.stmt.index + 1} of "${u.file.file}" touches objects of stores ${[...route.stores.keys()].map((s) => `"${s}"`).join(' and ')}`,
        file: u.file.file,
        line: u.stmt.line,
        column: u.stmt.column,
        hint: 'split it into one statement per owning service, or move the objects into one store',
      }),
    );
    return [u];
  }
  const kind = drops[0]!.object.kind.replace('_', ' ').toUpperCase();
  const ifExists = drops.some((d) => d.ifExists) ? ' IF EXISTS' : '';
  const cascade = drops.some((d) => d.cascade) ? ' CASCADE' : '';
  return [...route.stores].sort(([a], [b]) => a.localeCompare(b)).map(([store, r]) => {
    const names = new Set(r.objects.map((o) => o.name));
    const mine = drops.filter((d) => names.has(d.object.name)).map((d) => qualified(d.object));
    return {
      ...u,
      store,
      service: r.service,
      sql: `DROP ${kind}${ifExists} ${mine.join(', ')}${cascade}`,
      notes: [...u.notes, `split from ${unitPlace(u)}: the objects it drops live in different stores`],
      stmt: {
        ...u.stmt,
        effects: u.stmt.effects.filter((e) => e.action !== 'drop' || names.has(e.object.name)),
        ...(u.stmt.destroys ? { destroys: u.stmt.destroys.filter((d) => names.has(d.object.name)) } : {}),
      },
    };
  });
}

function qualified(o: ObjectRef): string {
  return o.schema && o.schema !== 'public' ? `${identifier(o.schema)}.${identifier(o.name)}` : identifier(o.name);
}

/**
 * A shared set's statement that creates only shared objects runs in every store
 * where the same set's statements use them (the legacy `update_updated_at_column()`
 * goes wherever a legacy trigger uses it). Other sets' stores are not reached: a
 * new database does not inherit legacy helpers silently.
 */
function routeSharedCreators(deferred: { unit: Unit; shared: ObjectRef[] }[], units: readonly Unit[], topology: Topology): Map<Unit, Unit[]> {
  const out = new Map<Unit, Unit[]>();
  // Only the sets that hold such statements are searched for their uses.
  const sets = new Set(deferred.map((d) => d.unit.set.name));
  if (sets.size === 0) return out;
  const usedIn = new Map<string, Set<string>>();
  for (const u of units) {
    if (!u.store || u.skipped || !sets.has(u.set.name)) continue;
    for (const e of u.stmt.effects) {
      if (e.action !== 'reference') continue;
      const k = `${u.set.name}|${nameKey(e.object)}`;
      const s = usedIn.get(k) ?? new Set<string>();
      s.add(u.store);
      usedIn.set(k, s);
    }
  }
  for (const { unit, shared } of deferred) {
    const stores = new Set<string>();
    for (const ref of shared) for (const s of usedIn.get(`${unit.set.name}|${nameKey(ref)}`) ?? []) {
      if (topology.stores.get(s)?.engine === unit.stmt.engine) stores.add(s);
    }
    if (stores.size === 0) continue;
    const sorted = [...stores].sort();
    out.set(
      unit,
      sorted.map((store, i) => ({
        ...unit,
        store,
        notes: sorted.length > 1 ? [...unit.notes, `shared: also runs in ${sorted.filter((_, j) => j !== i).map((s) => `"${s}"`).join(', ')}`] : [...unit.notes],
      })),
    );
  }
  return out;
}

function reportMissingStore(topology: Topology, u: Unit, service: string, seen: Set<string>, diagnostics: Diagnostic[]): void {
  const key = `${u.set.name}|${u.stmt.engine}`;
  if (seen.has(key)) return;
  seen.add(key);
  const pos = topology.services.get(service)?.pos;
  diagnostics.push(
    diagnostic({
      code: 'plan.no_store',
      severity: 'error',
      message: `plan: service "${service}" runs ${u.stmt.engine} statements ("${unitPlace(u)}") but declares no ${u.stmt.engine} store`,
      file: u.file.file,
      line: u.stmt.line,
      column: u.stmt.column,
      hint: `services:\n  ${service}:\n    stores: { ${u.stmt.engine}: <store> }${pos ? `   # ${pos.file}:${pos.line}` : ''}`,
    }),
  );
}
