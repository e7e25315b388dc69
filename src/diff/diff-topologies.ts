/**
 * `diffTopologies()`: compares the plans of two topologies of one system.
 *
 * @example
 * const diff = diffTopologies(await planMigration('a.yaml'), await planMigration('b.yaml'));
 * diff.moves // [{ service: 'social-service', objects: [{ kind: 'table', name: 'likes', from: ['nova'], to: ['nova_social'] }, ...] }]
 */
import type { Plan, PlannedObject } from '../plan/model.js';
import { definitionChanges } from './definition-changes.js';
import type { CrossStoreKey, ServiceDiff, SharedObject, SplitFile, StoreCounts, StoreSummary, TopologyDiff } from './model.js';

const MOVABLE = new Set(['table', 'view', 'materialized_view', 'sequence', 'type', 'function']);
const FK_OPTIONS = [
  'drop: remove the constraint and enforce it in the service',
  'replica: keep a read replica of the referenced table next to the referencing one',
  'colocate: keep both tables in one store',
];

export interface DiffOptions {
  /** Row counts of tables in plan A's stores, keyed `store.table`. */
  readonly rowEstimates?: Readonly<Record<string, number>>;
  /** Tables of plan A's stores whose rows could not be counted, keyed `store.table`, with the reason. */
  readonly rowsNotCounted?: Readonly<Record<string, string>>;
}

const key = (o: Pick<PlannedObject, 'kind' | 'name'>) => `${o.kind}:${o.name}`;
const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);

export function diffTopologies(a: Plan, b: Plan, options: DiffOptions = {}): TopologyDiff {
  const aObjects = new Map(a.objects.map((o) => [key(o), o]));
  const bObjects = new Map(b.objects.map((o) => [key(o), o]));
  const moves = movedObjects(aObjects, bObjects);
  const foreignKeys = crossStoreKeys(a, b);
  const shared = sharedObjects(a, b);
  const services = serviceConnections(a, b);
  const splitFiles = splitLegacyFiles(a, b);
  const { definitions, statements } = definitionChanges(a, b);
  const stores = storeSummaries(a, b, moves, options.rowEstimates, options.rowsNotCounted ?? {});
  const identical = moves.length === 0 && foreignKeys.every((f) => f.a.crosses === f.b.crosses && f.a.resolution === f.b.resolution) && shared.every((s) => same(s.a, s.b)) && services.every((s) => !s.changes) && splitFiles.length === 0 && definitions.length === 0 && statements.changed === 0 && stores.every((s) => JSON.stringify(s.a) === JSON.stringify(s.b));
  return {
    format: 'topoplan-diff/1',
    a: { topology: a.topology, file: a.file },
    b: { topology: b.topology, file: b.file },
    identical,
    moves,
    foreignKeys,
    shared,
    services,
    splitFiles,
    definitions,
    statements,
    stores,
    rowsMeasured: options.rowEstimates !== undefined,
  };
}

function movedObjects(aObjects: Map<string, PlannedObject>, bObjects: Map<string, PlannedObject>): TopologyDiff['moves'] {
  const byService = new Map<string, { kind: string; name: string; from: string[]; to: string[] }[]>();
  for (const [k, ao] of aObjects) {
    const bo = bObjects.get(k);
    if (!bo || !MOVABLE.has(ao.kind) || ao.shared || bo.shared || same(ao.stores, bo.stores)) continue;
    const owner = bo.owner ?? ao.owner ?? '(no owner)';
    const list = byService.get(owner) ?? [];
    list.push({ kind: ao.kind, name: ao.name, from: [...ao.stores], to: [...bo.stores] });
    byService.set(owner, list);
  }
  return [...byService]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([service, objects]) => ({ service, objects: objects.sort((x, y) => x.kind.localeCompare(y.kind) || x.name.localeCompare(y.name)) }));
}

const FK = /^foreign key ([^(\s]+)(?:\(([^)]*)\))? → (\S+)$/;

function crossStoreKeys(a: Plan, b: Plan): CrossStoreKey[] {
  const out = new Map<string, CrossStoreKey>();
  // A table dropped by the end of a plan (a renamed legacy table) is found through the step that created it.
  const storeOf = (plan: Plan, table: string) =>
    plan.objects.find((o) => o.kind === 'table' && o.name === table)?.stores[0] ??
    plan.steps.find((s) => s.changes.some((c) => c.action === 'create' && c.kind === 'table' && c.name === table))?.store;
  const side = (plan: Plan, table: string, ref: string) => {
    const c = plan.conflicts.find((x) => x.kind === 'cross_store_foreign_key' && FK.exec(x.object)?.[1] === table && FK.exec(x.object)?.[3] === ref);
    const fromStore = c?.sources[0]?.store ?? storeOf(plan, table);
    const toStore = storeOf(plan, ref);
    return { ...(fromStore ? { fromStore } : {}), ...(toStore ? { toStore } : {}), crosses: !!c, ...(c ? { resolution: c.resolution ?? 'unresolved' } : {}) };
  };
  for (const plan of [a, b]) {
    for (const c of plan.conflicts) {
      if (c.kind !== 'cross_store_foreign_key') continue;
      const m = FK.exec(c.object);
      if (!m) continue;
      const [, table, cols, ref] = m as unknown as [string, string, string | undefined, string];
      const k = `${table}(${cols ?? ''}) → ${ref}`;
      if (out.has(k)) continue;
      out.set(k, { key: k, table, columns: cols ? cols.split(', ') : [], references: ref, a: side(a, table, ref), b: side(b, table, ref), options: FK_OPTIONS });
    }
  }
  return [...out.values()].sort((x, y) => x.key.localeCompare(y.key));
}

function sharedObjects(a: Plan, b: Plan): SharedObject[] {
  const names = new Set<string>();
  for (const plan of [a, b]) for (const o of plan.objects) if (o.shared || ((o.kind === 'extension' || o.kind === 'function') && o.stores.length > 1)) names.add(key(o));
  const storesOf = (plan: Plan, k: string) => [...(plan.objects.find((o) => key(o) === k)?.stores ?? [])];
  return [...names].sort().map((k) => ({ kind: k.slice(0, k.indexOf(':')), name: k.slice(k.indexOf(':') + 1), a: storesOf(a, k), b: storesOf(b, k) }));
}

function serviceConnections(a: Plan, b: Plan): ServiceDiff[] {
  const names = [...new Set([...a.services, ...b.services].map((s) => s.name))].sort();
  const conn = (plan: Plan, service: string) => {
    const s = plan.services.find((x) => x.name === service);
    const storeName = s?.stores.postgres ?? s?.stores.clickhouse ?? s?.stores.neo4j;
    const store = plan.stores.find((x) => x.name === storeName);
    return { s, conn: { ...(storeName ? { store: storeName } : {}), ...(store ? { database: store.database } : {}), ...(store?.urlTemplate ? { url: store.urlTemplate } : {}) } };
  };
  return names.map((name) => {
    const x = conn(a, name);
    const y = conn(b, name);
    const pgA = a.stores.find((s) => s.name === x.s?.stores.postgres)?.database;
    const pgB = b.stores.find((s) => s.name === y.s?.stores.postgres)?.database;
    const sqlx = (x.s?.ledger === 'sqlx' || y.s?.ledger === 'sqlx') && pgA !== pgB;
    return { service: name, env: y.s?.env ?? x.s?.env ?? 'DATABASE_URL', a: x.conn, b: y.conn, changes: JSON.stringify(x.conn) !== JSON.stringify(y.conn) || JSON.stringify(x.s?.stores) !== JSON.stringify(y.s?.stores), sqlxLedgerMoves: sqlx };
  });
}

function splitLegacyFiles(a: Plan, b: Plan): SplitFile[] {
  const storesByFile = (plan: Plan) => {
    const m = new Map<string, Set<string>>();
    for (const s of plan.steps) {
      if (!s.source) continue;
      const set = m.get(s.source.file) ?? new Set<string>();
      set.add(s.store);
      m.set(s.source.file, set);
    }
    return m;
  };
  const fa = storesByFile(a);
  const fb = storesByFile(b);
  const out: SplitFile[] = [];
  for (const file of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    const x = [...(fa.get(file) ?? [])].sort();
    const y = [...(fb.get(file) ?? [])].sort();
    if ((x.length > 1 || y.length > 1) && x.length !== y.length) out.push({ file, a: x, b: y });
  }
  return out;
}

function counts(plan: Plan, store: string): StoreCounts | undefined {
  if (!plan.stores.some((s) => s.name === store)) return undefined;
  const n = (kind: string) => plan.objects.filter((o) => o.kind === kind && o.stores.includes(store)).length;
  return { tables: n('table'), triggers: n('trigger'), indexes: n('index') };
}

function storeSummaries(a: Plan, b: Plan, moves: TopologyDiff['moves'], rows: Readonly<Record<string, number>> | undefined, notCounted: Readonly<Record<string, string>>): StoreSummary[] {
  const names = [...new Set([...a.stores, ...b.stores].map((s) => s.name))].sort();
  return names.map((name) => {
    const def = b.stores.find((s) => s.name === name) ?? a.stores.find((s) => s.name === name)!;
    let rowsOut: number | undefined;
    let rowsIn: number | undefined;
    const uncounted: { table: string; reason: string }[] = [];
    if (rows) {
      rowsOut = 0;
      rowsIn = 0;
      for (const m of moves) for (const o of m.objects) {
        if (o.kind !== 'table') continue;
        const from = o.from[0];
        const why = from ? notCounted[`${from}.${o.name}`] : undefined;
        if (why !== undefined && o.from.includes(name)) uncounted.push({ table: o.name, reason: why });
        const count = from ? rows[`${from}.${o.name}`] ?? 0 : 0;
        if (o.from.includes(name)) rowsOut += count;
        if (o.to.includes(name)) rowsIn += count;
      }
    }
    const ca = counts(a, name);
    const cb = counts(b, name);
    return { store: name, engine: def.engine, database: def.database, ...(ca ? { a: ca } : {}), ...(cb ? { b: cb } : {}), ...(rowsOut !== undefined ? { rowsOut, rowsIn: rowsIn! } : {}), ...(uncounted.length > 0 ? { rowsNotCounted: uncounted } : {}) };
  });
}
