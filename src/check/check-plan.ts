/**
 * `checkPlan()`: proves a plan on throwaway engines before it touches real
 * ones. The whole plan is applied, in plan order, to fresh embedded engines
 * (one PostgreSQL server and one chdb, each store in its own database, in a
 * scratch directory removed afterwards; never the stores' real URLs). Every
 * statement that fails is reported, not only the first: a failed step still
 * skips the steps that depend on it, as apply does, but the author's file
 * order is soft, so later files of the same set still run, and the other
 * statements of a failed file run too; each later failure says which earlier
 * ones it may follow from. Then the expectations are checked, and each
 * store's resulting schema is compared with its committed file (or written).
 * Last, the plan is rolled back there and every revert that fails, or leaves
 * a store's schema other than before, is reported (see check-reverts.ts).
 *
 * @example
 * const plan = await planMigration('topologies/nova-plan-a.yaml')
 * const result = await checkPlan(plan, { schemaDir: 'topologies/schema/nova-plan-a' })
 * for (const f of result.failures) console.error(`${f.file}:${f.line}: ${f.message}`)
 */
import type { ApplyEvent } from '../execute/events.js';
import { applyPlan } from '../execute/apply-plan.js';
import { namedClusters } from '../execute/named-clusters.js';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import type { Plan, PlanStore } from '../plan/model.js';
import { storeSchema, type StoreSchema } from '../schema/store-schema.js';
import type { CheckResult, NotChecked } from './check-result.js';
import { collectFailures } from './collect-failures.js';
import { continuingEngines, fileOrderOnly, type StatementFailures } from './continuing-engines.js';
import { startScratchEngines, type ScratchEngines, type ScratchOptions } from './scratch-engines.js';
import { schemaFiles } from './schema-files.js';
import { separateDatabases } from './separate-databases.js';
import { checkReverts } from './check-reverts.js';

export interface CheckOptions extends ScratchOptions {
  /** Also run the contract phase (drops of data-holding tables), as `apply --contract` would. */
  readonly contract?: boolean;
  /** Directory of the committed schema files (`<store>.json`); without it no schema is compared. */
  readonly schemaDir?: string;
  /** Write the schema files instead of comparing (only when every step applied). */
  readonly update?: boolean;
  /** Parallel steps across stores. Default 4. */
  readonly concurrency?: number;
  /** Roll the plan back afterwards and report the reverts that fail or leave a schema different. Default true. */
  readonly reverts?: boolean;
  readonly onEvent?: (event: ApplyEvent) => void;
  /** Stops the check: no step starts once it is aborted, and the scratch engines are removed. */
  readonly signal?: AbortSignal;
}

export async function checkPlan(original: Plan, options: CheckOptions = {}): Promise<CheckResult> {
  const { plan } = separateDatabases(original);
  const scratch = await startScratchEngines(storesUsed(plan), { ...options, clusters: namedClusters(plan) });
  try {
    return await checkOn(scratch, original, options);
  } finally {
    await scratch.stop();
  }
}

/** The stores a plan has steps in: the ones a check needs engines for. */
export function storesUsed(plan: Plan): PlanStore[] {
  return plan.stores.filter((s) => plan.steps.some((st) => st.store === s.name));
}

/** Checks a plan on scratch engines that are running and empty (made for it, or reset after another check). */
export async function checkOn(scratch: ScratchEngines, original: Plan, options: Omit<CheckOptions, keyof ScratchOptions> = {}): Promise<CheckResult> {
  const { plan, notes: renamed } = separateDatabases(original);
  const used = storesUsed(plan);
  const { connections, reasons } = scratch.connectionsFor(used);
  const statementFailures: StatementFailures = new Map();
  const applied = await applyPlan(plan, {
    connections,
    unreachableReasons: reasons,
    workDir: scratch.dir,
    ...(options.contract ? { contract: true } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    engines: continuingEngines(statementFailures),
    softDependency: fileOrderOnly(plan),
  });
  const failures = collectFailures(plan, applied.steps, statementFailures);
  const notChecked = notCheckedSteps(plan, applied.steps);
  const contractStores = new Set(plan.steps.filter((s) => s.phase === 'contract').map((s) => s.store));
  const reachable = used.filter((s) => connections[s.name]);
  const schemas = await inspectStores(reachable, connections, original, (store) => (options.contract && contractStores.has(store) ? 'contract' : 'apply'));
  const files = options.schemaDir
    ? await schemaFiles(schemas, options.schemaDir, { update: !!options.update, comparable: failures.length === 0, contractStores })
    : [];
  // A missing file fails the check only once the team commits schema files (some other store has one).
  // Reverts are proven only on a plan that applied whole: otherwise the rollback would start from a state no apply leaves.
  const reverts = options.reverts !== false && failures.length === 0 && applied.ok && !options.signal?.aborted ? await checkReverts(plan, connections, scratch.dir) : undefined;
  const adopted = files.some((f) => f.status !== 'missing');
  const schemaOk = files.every((f) => f.status === 'same' || f.status === 'written' || f.status === 'other-phase' || (f.status === 'missing' && !adopted));
  return {
    ok: failures.length === 0 && applied.ok && schemaOk && (reverts?.ok ?? true),
    failures,
    notChecked,
    steps: applied.steps.map(({ durationMs: _, ...rest }) => rest),
    ...(applied.verification ? { verification: applied.verification } : {}),
    schemas,
    schemaFiles: files,
    ...(reverts ? { reverts } : {}),
    contract: !!options.contract,
    notes: [...scratch.notes, ...renamed],
  };
}

/** Steps that did not run, grouped by store and reason: a store without an engine, or the contract phase. */
function notCheckedSteps(plan: Plan, results: CheckResult['steps']): NotChecked[] {
  const groups = new Map<string, { store: string; reason: string; steps: number }>();
  for (const r of results) {
    if (r.status !== 'not-applied') continue;
    const reason = r.cause === 'contract' || r.reason?.startsWith('contract phase') ? 'contract phase: add --contract to check it' : r.reason ?? 'not applied';
    const key = `${r.store}\u0000${reason}`;
    const g = groups.get(key) ?? { store: r.store, reason, steps: 0 };
    g.steps++;
    groups.set(key, g);
  }
  const order = new Map(plan.stores.map((s, i) => [s.name, i]));
  return [...groups.values()].sort((a, b) => order.get(a.store)! - order.get(b.store)! || (a.reason < b.reason ? -1 : 1));
}

/** Each store's schema, named as the original plan names its database. */
async function inspectStores(stores: readonly PlanStore[], connections: Readonly<Record<string, string | undefined>>, original: Plan, after: (store: string) => 'apply' | 'contract'): Promise<StoreSchema[]> {
  const sessions = await openSessions(stores, connections);
  try {
    // Each store has a session of its own, so they are inspected at once; the result keeps the stores' order.
    const schemas = await Promise.all(stores.map(async (s) => {
      const session = sessions.get(s.name);
      if (!session) return undefined;
      const database = original.stores.find((o) => o.name === s.name)?.database ?? s.database;
      return storeSchema(await session.inspect(), { store: s.name, engine: s.engine, database, after: after(s.name) });
    }));
    return schemas.filter((x): x is StoreSchema => x !== undefined);
  } finally {
    await closeSessions(sessions);
  }
}
