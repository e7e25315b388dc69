/**
 * `planMigration()`: topology in, deterministic migration plan out.
 *
 * topology → read and parse every file → route statements to stores →
 * resolve duplicates (supersessions) → object versions and dependencies →
 * renames (row copies), missing extensions, shared copies → conflicts →
 * steps → graph, waves and phases.
 */
import { sortDiagnostics, TopoplanError, type Diagnostic } from '../errors.js';
import { loadPostgresParser, ParserNotLoaded } from '../sql/postgres/pg-parser.js';
import { withStatementMemo } from '../sql/statement-memo.js';
import { ParseCache } from '../sql/parse-cache.js';
import { loadTopology } from '../topology/index.js';
import type { Topology } from '../topology/model.js';
import { ConflictLog } from './resolve/conflict-log.js';
import { resolveDuplicates } from './resolve/duplicates.js';
import { missingExtensions } from './resolve/extensions.js';
import { buildGraph, type StepGraph } from './order/graph.js';
import { Lifecycle, nodeEffects, type Version } from './order/lifecycle.js';
import type { Conflict, Plan, PlannedObject, SkippedStatement, Step } from './model.js';
import type { Dep, Node } from './order/nodes.js';
import { displayName } from './object-keys.js';
import { Ownership } from './route/ownership.js';
import { readMigrations, readMigrationsInParallel, type ReadFile, type ReadResult } from './read/read-migrations.js';
import { checkViewReplacements } from './resolve/view-replacements.js';
import { checkViewOutputNames } from './resolve/view-output-names.js';
import { checkFilledTables } from './resolve/filled-tables.js';
import { checkColumnsInViews } from './resolve/columns-in-views.js';
import { checkConstraintIndexDrops, checkRestrictDrops, orderColumnDrops } from './resolve/restrict-drops.js';
import { checkDrops, checkReferences } from './resolve/references.js';
import { checkLateUses } from './resolve/late-uses.js';
import { checkWrongKinds } from './resolve/wrong-kinds.js';
import { checkForeignKeyTargets } from './resolve/foreign-key-targets.js';
import { markDestructions } from './resolve/destructions.js';
import { planRenames } from './resolve/renames.js';
import { indexTableMap, routeUnits } from './route/route.js';
import { planReplicas } from './resolve/replicas.js';
import { replicateShared } from './resolve/shared-copies.js';
import { finishStep, groupSteps, type DraftStep } from './order/steps.js';
import { sqlxInfo } from './read/sqlx-info.js';
import { checkSqlxLedgers, planSqlx } from './resolve/sqlx-ledgers.js';
import { revertSteps } from './read/reverts.js';
import { withReverts } from './revert/step-reverts.js';
import { reversibility } from './revert/reversibility.js';
import { applyForeignKeyStrips } from './resolve/strip-foreign-keys.js';
import { isSynth } from './order/nodes.js';
import type { Unit } from './read/units.js';
import { compareText } from './compare-text.js';
import { maskSecrets } from '../mask-secrets.js';
import { addOnCluster } from './resolve/on-cluster.js';
import { expectationWarnings } from './expectation-warnings.js';
import { unusedSkips } from './unused-skips.js';
import { checkColumns } from './resolve/columns.js';
import { checkIndexNames } from './resolve/index-names.js';
import { checkRelationNames } from './resolve/relation-names.js';
import { checkPrimaryKeys } from './resolve/primary-keys.js';
import { checkColumnCasts } from './resolve/column-casts.js';
import { checkConstraintNames } from './resolve/constraint-names.js';
import { SetChain } from './order/set-chain.js';
import { Precedence } from './order/precedence.js';
import { StageClock, type PlanStage } from './stage-clock.js';
import { placeNotRun } from './order/not-run.js';

type LoadTopologyOptions = NonNullable<Parameters<typeof loadTopology>[1]>;

export interface PlanOptions extends LoadTopologyOptions {
  /** Return the plan even when it has errors (the CLI shows them); default false: throw a TopoplanError. */
  readonly allowErrors?: boolean;
  /** Reads a migration file; default `fs.readFileSync`. */
  readonly readMigration?: ReadFile;
  /**
   * Worker threads that parse migration files besides the calling thread;
   * default one per spare core (large systems only). 0 parses on the calling thread.
   */
  readonly parseWorkers?: number;
  /**
   * Directory of the parse cache: a file whose bytes (and the way it is read) are
   * unchanged since a plan that used the same directory is not parsed again, and
   * the plan is the same as without it (see sql/parse-cache.ts). The CLI uses
   * `.topoplan/cache/`; default: no cache.
   */
  readonly cacheDir?: string;
  /**
   * Resolves a conflict the topology leaves open: return a sentence saying how
   * (it is shown as the resolution), or undefined to keep it an error.
   */
  readonly resolveConflict?: (conflict: Conflict) => string | undefined;
  /**
   * Called as each stage of planning ends, with its time and the heap in use
   * (see stage-clock.ts), in the order they ran: `topology` (when planMigration
   * loads it), `read` (reading and parsing every file, or taking it from the
   * parse cache), `route`, `duplicates`, `versions`, `references`, `objects`,
   * `graph`, `columns`, `steps`, `reverts`, `finish`, and `cache` (saving the
   * parse cache). The plan is the same with it or without.
   */
  readonly onStage?: (stage: PlanStage) => void;
}

/** Thrown by planMigration when planning fails; carries the partial plan. */
export class PlanError extends TopoplanError {
  constructor(readonly plan: Plan | undefined, diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super('plan.failed', `plan: ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors[0]?.message ?? ''}`, diagnostics);
    this.name = 'PlanError';
  }
}

/**
 * Plans the migration of a whole system.
 *
 * @example
 * import { planMigration } from 'topoplan';
 * const plan = await planMigration('topologies/nova-plan-b.yaml');
 * for (const step of plan.steps) console.log(step.wave, step.store, step.id);
 */
export async function planMigration(input: string | { file: string; raw: unknown } | Topology, options: PlanOptions = {}): Promise<Plan> {
  const clock = new StageClock(options.onStage);
  const { topology, warnings } = isTopology(input) ? { topology: input, warnings: [] } : await load(input, options);
  if (!isTopology(input)) clock.lap('topology');
  const open = () => (options.cacheDir !== undefined ? ParseCache.open(options.cacheDir, topology.file) : undefined);
  let cache = open();
  const readAll = () =>
    readMigrationsInParallel(topology, {
      ...(options.readMigration ? { readFile: options.readMigration } : {}),
      ...(options.parseWorkers !== undefined ? { workers: options.parseWorkers } : {}),
      ...(cache ? { cache } : {}),
    });
  // The parser loads at the first file the cache does not hold; the planner's own readings of single
  // statements come from the cache too. One the cache lacks (the topology changed, not the files) needs
  // the parser: then it is loaded and the files are read and planned again, from the cache.
  const read = await readAll();
  clock.lap('read', () => readDetail(read, cache));
  // Every file is read: what planning still asks of the cache is statement readings.
  cache?.release();
  let planned: Plan;
  try {
    planned = withStatementMemo(cache, () => planWith(topology, options, clock, read));
  } catch (e) {
    if (!(e instanceof ParserNotLoaded)) throw e;
    await loadPostgresParser();
    // Released, the cache no longer holds the files: it is opened again to read them from it.
    cache = open();
    const again = await readAll();
    clock.lap('read', () => `${readDetail(again, cache)} (again: the parse cache lacked a statement reading, so the parser was loaded)`);
    cache?.release();
    planned = withStatementMemo(cache, () => planWith(topology, options, clock, again));
  }
  const unsaved = cache?.save();
  if (cache) clock.lap('cache');
  if (unsaved) planned = { ...planned, diagnostics: sortDiagnostics([...planned.diagnostics, unsaved]) };
  // What loading the topology warned about belongs with the plan's own diagnostics.
  const plan = warnings.length > 0 ? { ...planned, diagnostics: sortDiagnostics([...warnings, ...planned.diagnostics]) } : planned;
  if (!options.allowErrors && plan.diagnostics.some((d) => d.severity === 'error')) throw new PlanError(plan, plan.diagnostics);
  return plan;
}

async function load(input: string | { file: string; raw: unknown }, options: PlanOptions): Promise<{ topology: Topology; warnings: Diagnostic[] }> {
  const { topology, diagnostics } = await loadTopology(input, options);
  if (!topology) throw new PlanError(undefined, diagnostics);
  return { topology, warnings: diagnostics };
}

function readDetail(read: ReadResult, cache: ParseCache | undefined): string {
  const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}`;
  const files = count(read.files.size, read.files.size === 1 ? 'file' : 'files');
  const statements = count(read.units.length, read.units.length === 1 ? 'statement' : 'statements');
  return cache ? `${files} (${count(cache.hits, 'from the parse cache')}, ${count(cache.misses, 'parsed')}), ${statements}` : `${files}, ${statements}`;
}

function isTopology(x: unknown): x is Topology {
  return typeof x === 'object' && x !== null && (x as Topology).stores instanceof Map;
}

/** The synchronous core, for a loaded topology and loaded parsers (and, optionally, its files already read). */
export function planTopology(topology: Topology, options: PlanOptions = {}, preread?: ReadResult): Plan {
  return planWith(topology, options, new StageClock(options.onStage), preread);
}

/** planTopology, timing its stages on the caller's clock. */
function planWith(topology: Topology, options: PlanOptions, clock: StageClock, preread?: ReadResult): Plan {
  const diagnostics: Diagnostic[] = [];
  const read = preread ?? readMigrations(topology, options.readMigration);
  if (!preread) clock.lap('read', () => readDetail(read, undefined));
  diagnostics.push(...read.diagnostics);
  const log = new ConflictLog(topology, options.resolveConflict);
  const ownership = new Ownership(topology, read.units);
  // Routing splits and copies statements but never changes what they create: one map serves both.
  const indexTables = indexTableMap(read.units);
  let units = routeUnits(topology, read.units, ownership, log, diagnostics, indexTables);
  clock.lap('route');
  resolveDuplicates(topology, units, ownership, log, indexTables);
  units = [...units, ...replicateShared(units, ownership)];
  units = [...units, ...planReplicas(topology, units, log)];
  const live = units.filter((u) => !u.skipped && u.store).sort((a, b) => a.seq - b.seq || compareText(a.store!, b.store!));
  diagnostics.push(...addOnCluster(topology, live));
  const extensions = missingExtensions(live, log, (ref) => ownership.isExternal(ref));
  clock.lap('duplicates');
  const lifecycle = new Lifecycle(topology, (ref) => ownership.isShared(ref));
  const nodes: Node[] = [...extensions, ...live];
  const effects = nodes.map((n) => nodeEffects(n, topology));
  lifecycle.register(effects);
  const chain = new SetChain(topology);
  chain.readDrops(lifecycle);
  lifecycle.resolveUses(effects);
  lifecycle.orderDrops();
  chain.checkWrites(effects, lifecycle, log);
  clock.lap('versions');
  const strips = checkReferences(topology, lifecycle, ownership, log, units.filter((u) => !u.skipped && !u.store));
  checkDrops(lifecycle, log, ownership);
  checkRestrictDrops(lifecycle, live, log, (ref) => ownership.isShared(ref));
  orderColumnDrops(lifecycle);
  checkConstraintIndexDrops(lifecycle, effects, log);
  checkLateUses(lifecycle, log);
  checkWrongKinds(lifecycle, log);
  checkForeignKeyTargets(lifecycle, log);
  diagnostics.push(...markDestructions(topology, live, lifecycle));
  chain.orderSets(live, lifecycle);
  applyForeignKeyStrips(strips);
  const renames = planRenames(topology, lifecycle, log);
  clock.lap('references');
  // Objects are attributed before ownership problems are collected: attributing them can find some.
  const objects = plannedObjects(lifecycle, ownership, indexTables);
  diagnostics.push(...ownership.diagnostics, ...unusedSkips(topology, read.units, read.skippedFiles));
  clock.lap('objects', () => `${objects.length.toLocaleString('en-US')} objects`);

  const steppable = live.filter((u) => !u.skipped);
  const synths = [...extensions, ...renames];
  let { drafts, stepOf } = groupSteps(steppable, synths);
  let graph = buildGraph(topology, drafts, stepOf, lifecycle.deps);
  const alone = splitCycles(graph, stepOf, lifecycle.deps);
  if (alone.size > 0) {
    ({ drafts, stepOf } = groupSteps(steppable, synths, alone));
    graph = buildGraph(topology, drafts, stepOf, lifecycle.deps);
  }
  clock.lap('graph', () => `${graph.drafts.length.toLocaleString('en-US')} steps, ${graph.edges.length.toLocaleString('en-US')} edges`);
  // Whether a column exists when a statement names it depends on the order of the steps.
  const precedence = new Precedence(graph, stepOf);
  checkColumns(topology, live, log, precedence);
  checkIndexNames(topology, live, log, precedence);
  checkRelationNames(live, log, precedence);
  checkPrimaryKeys(topology, live, log, precedence);
  checkColumnCasts(topology, live, log);
  checkConstraintNames(topology, live, log, precedence);
  checkColumnsInViews(topology, live, log, precedence);
  checkFilledTables(topology, live, log, precedence);
  checkViewReplacements(topology, live, log, precedence);
  checkViewOutputNames(live, log);
  clock.lap('columns');
  diagnostics.push(...graph.diagnostics);
  const sqlx = sqlxInfo(topology, graph.drafts, read.files);
  const reverts = revertSteps(graph.drafts, read.reverts);
  const finished: Step[] = graph.drafts.map((d) =>
    finishStep(d, topology, {
      dependsOn: [...graph.preds.get(d.id)!].sort(),
      wave: graph.wave.get(d.id)!,
      phase: graph.phase.get(d.id)!,
      ...(sqlx.has(d.id) ? { sqlx: sqlx.get(d.id)! } : {}),
    }),
  );
  finished.sort(stepOrder);
  clock.lap('steps');
  const steps = withReverts(finished, new Map(graph.drafts.map((d) => [d.id, d])), reverts);
  clock.lap('reverts');
  checkSqlxLedgers(topology, steps, log);
  diagnostics.push(...log.diagnostics(), ...log.unusedAccepts(), ...expectationWarnings(topology.expectations, steps));
  const waves: string[][] = [];
  for (const s of steps) (waves[s.wave] ??= []).push(s.id);

  const plan: Plan = {
    format: 'topoplan-plan/1',
    topology: topology.name,
    file: topology.file,
    stores: [...topology.stores.values()].sort((a, b) => compareText(a.name, b.name)).map((s) => ({ name: s.name, engine: s.engine, database: s.database, ...(s.urlTemplate ? { urlTemplate: maskSecrets(s.urlTemplate) } : {}), ...(s.cluster ? { cluster: s.cluster } : {}), ...(s.replicated ? { replicated: true } : {}) })),
    services: [...topology.services.values()].sort((a, b) => compareText(a.name, b.name)).map((s) => { const sqlx = planSqlx(topology, s); return { name: s.name, stores: s.stores, ledger: s.ledger, ...(sqlx ? { sqlx: maskSqlx(sqlx) } : {}), env: s.env, sets: s.sets }; }),
    steps,
    reversibility: reversibility(steps),
    // Dense: map() would keep a hole as a hole (null in JSON) and renderers index every wave.
    waves: Array.from(waves, (w) => w ?? []),
    edges: graph.edges,
    objects,
    conflicts: log.conflicts(),
    skipped: skippedStatements(units, read.skippedFiles),
    notRun: placeNotRun(topology, read.notRun, steps),
    diagnostics: sortDiagnostics(diagnostics),
    expectations: topology.expectations,
  };
  clock.lap('finish');
  return plan;
}

/**
 * A cycle through a step of several statements may be one only because they share a step: the cycle
 * enters the step at a later statement than the one it leaves by (the file's second statement waits for
 * what waits for its first). The statements of such steps are set apart, each a step of its own (noted
 * on it). A cycle that remains runs through the statements themselves, and is reported.
 */
function splitCycles(graph: StepGraph, stepOf: ReadonlyMap<Node, DraftStep>, deps: readonly Dep[]): Set<Node> {
  const alone = new Set<Node>();
  if (graph.cycles.length === 0) return alone;
  const inCycle = new Set(graph.cycles.flat());
  const byId = new Map(graph.drafts.map((d) => [d.id, d]));
  // Per step of the cycle: the first statement the cycle leaves by and the last one it enters at.
  const leaves = new Map<string, number>();
  const enters = new Map<string, number>();
  const mark = (map: Map<string, number>, id: string, at: number, pick: (a: number, b: number) => number) => map.set(id, map.has(id) ? pick(map.get(id)!, at) : at);
  for (const d of deps) {
    const a = stepOf.get(d.from);
    const b = stepOf.get(d.to);
    if (!a || !b || a === b || !inCycle.has(a.id) || !inCycle.has(b.id)) continue;
    mark(leaves, a.id, a.nodes.indexOf(d.from), Math.min);
    mark(enters, b.id, b.nodes.indexOf(d.to), Math.max);
  }
  // The order of a set's files joins whole steps: from the last statement of one to the first of the next.
  for (const e of graph.edges) {
    if (!inCycle.has(e.from) || !inCycle.has(e.to) || !e.reasons.some((r) => r.startsWith('file order'))) continue;
    mark(leaves, e.from, byId.get(e.from)!.nodes.length - 1, Math.min);
    mark(enters, e.to, 0, Math.max);
  }
  for (const id of inCycle) {
    const d = byId.get(id)!;
    if (d.nodes.length < 2 || !((leaves.get(id) ?? Infinity) < (enters.get(id) ?? -1))) continue;
    for (const n of d.nodes) {
      alone.add(n);
      if (!isSynth(n)) n.notes.push(`runs as a step of its own, apart from the rest of "${n.file.file}": as one step, its statements would wait for each other through other steps (a cycle)`);
    }
  }
  return alone;
}

export function stepOrder(a: Step, b: Step): number {
  return (
    a.wave - b.wave ||
    compareText(a.store, b.store) ||
    compareText((a.service ?? ''), b.service ?? '') ||
    compareText((a.source?.file ?? ''), b.source?.file ?? '') ||
    (a.source?.firstStatement ?? -1) - (b.source?.firstStatement ?? -1) ||
    compareText(a.id, b.id)
  );
}

function plannedObjects(lifecycle: Lifecycle, ownership: Ownership, indexTables: ReturnType<typeof indexTableMap>): PlannedObject[] {
  // One object per name across stores, described by its version with the smallest key (the first store by name).
  const first = new Map<string, { version: Version; stores: string[] }>();
  for (const v of lifecycle.survivors()) {
    const bare = v.key.slice(v.key.indexOf('|') + 1);
    const seen = first.get(bare);
    if (!seen) first.set(bare, { version: v, stores: [v.store] });
    else {
      if (!seen.stores.includes(v.store)) seen.stores.push(v.store);
      if (compareText(v.key, seen.version.key) < 0) seen.version = v;
    }
  }
  const objects: [string, PlannedObject][] = [];
  // forEach: no [key, value] pair is made for each of the plan's objects.
  first.forEach(({ version: v, stores }, bare) => {
    const tableOf = v.ref.kind === 'index' ? indexTables.get(v.ref.name) : v.ref.kind === 'trigger' && v.ref.table ? { kind: 'table' as const, name: v.ref.table, schema: v.ref.schema } : undefined;
    const shared = ownership.isShared(v.ref);
    const unit = isSynth(v.node) ? undefined : v.node;
    const owner = shared ? undefined : ownership.ownerOf(tableOf ?? v.ref) ?? unit?.service;
    objects.push([bare, plannedObject(v.ref.kind, displayName(v.ref), owner, stores.length > 1 ? stores.sort() : stores, unit ? `${unit.file.file}:${unit.stmt.line}` : undefined, shared)]);
  });
  return objects
    .sort(([ka, a], [kb, b]) => compareText(a.kind, b.kind) || compareText(a.name, b.name) || compareText(ka, kb))
    .map(([, o]) => o);
}

/**
 * Keys in the plan's order: kind, name, owner, stores, definedAt, shared (a shared object has no owner). Each shape
 * is one literal: a field added to a finished object literal gives every such object a second block of fields.
 */
function plannedObject(kind: PlannedObject['kind'], name: string, owner: string | undefined, stores: string[], definedAt: string | undefined, shared: boolean): PlannedObject {
  if (owner) return definedAt !== undefined ? { kind, name, owner, stores, definedAt } : { kind, name, owner, stores };
  if (shared) return definedAt !== undefined ? { kind, name, stores, definedAt, shared: true } : { kind, name, stores, shared: true };
  return definedAt !== undefined ? { kind, name, stores, definedAt } : { kind, name, stores };
}

function maskSqlx(sqlx: NonNullable<Plan['services'][number]['sqlx']>): NonNullable<Plan['services'][number]['sqlx']> {
  return sqlx.connection ? { ...sqlx, connection: maskSecrets(sqlx.connection) } : sqlx;
}

function skippedStatements(units: readonly Unit[], files: ReadResult['skippedFiles']): SkippedStatement[] {
  const seen = new Set<string>();
  const out: SkippedStatement[] = files.map((f) => ({ set: f.set, file: f.file, reason: f.reason }));
  for (const u of units) {
    if (!u.skipped) continue;
    const k = `${u.file.file}#${u.stmt.index}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ set: u.set.name, file: u.file.file, statement: u.stmt.index, line: u.stmt.line, reason: u.skipped });
  }
  return out.sort((a, b) => compareText(a.file, b.file) || (a.statement ?? -1) - (b.statement ?? -1));
}
