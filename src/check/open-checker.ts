/**
 * `openChecker()`: scratch engines kept running between checks, for a run
 * that checks many plans (a watcher, an editor, a test suite, a benchmark).
 * Each check runs on empty engines, exactly as `checkPlan()` does on new
 * ones: after it, every database, role and ClickHouse function it made is
 * dropped. Engines are made for the first plan and made again only when a
 * plan needs one they lack (another engine, or a ClickHouse cluster chdb was
 * not opened with), or when a plan writes into a database the engine comes
 * with (`postgres`, ClickHouse's `default`), which a reset cannot undo.
 * `close()` removes them.
 *
 * @example
 * const checker = await openChecker()
 * try {
 *   for (const file of files) console.log((await checker.check(await planMigration(file))).ok)
 * } finally { await checker.close() }
 */
import { namedClusters } from '../execute/named-clusters.js';
import type { Plan } from '../plan/model.js';
import type { CheckResult } from './check-result.js';
import { checkOn, storesUsed, type CheckOptions } from './check-plan.js';
import { CLICKHOUSE_OWN_DATABASES, POSTGRES_OWN_DATABASES } from './reset-scratch.js';
import { startScratchEngines, type ScratchEngines, type ScratchOptions } from './scratch-engines.js';
import { separateDatabases } from './separate-databases.js';

export interface Checker {
  /** Checks one plan on the kept engines; the same result `checkPlan(plan, options)` gives. */
  check(plan: Plan, options?: Omit<CheckOptions, keyof ScratchOptions>): Promise<CheckResult>;
  /** Stops the engines and removes their scratch directory. */
  close(): Promise<void>;
}

export async function openChecker(options: ScratchOptions = {}): Promise<Checker> {
  let scratch: ScratchEngines | undefined;
  // One check at a time: they share the engines.
  let queue: Promise<unknown> = Promise.resolve();
  const drop = async () => {
    await scratch?.stop();
    scratch = undefined;
  };
  const check = async (original: Plan, checkOptions: Omit<CheckOptions, keyof ScratchOptions> = {}): Promise<CheckResult> => {
    const { plan } = separateDatabases(original);
    const used = storesUsed(plan);
    const clusters = namedClusters(plan);
    if (scratch && !fits(scratch, used.map((s) => s.engine), clusters)) await drop();
    scratch ??= await startScratchEngines(used, { ...options, clusters });
    try {
      return await checkOn(scratch, original, checkOptions);
    } finally {
      if (used.some((s) => (s.engine === 'postgres' ? POSTGRES_OWN_DATABASES : CLICKHOUSE_OWN_DATABASES).has(s.database))) await drop();
      else await scratch.reset().catch(drop);
    }
  };
  return {
    check: (plan, checkOptions) => {
      const run = queue.then(() => check(plan, checkOptions));
      queue = run.catch(() => undefined);
      return run;
    },
    close: async () => {
      await queue;
      await drop();
    },
  };
}

function fits(scratch: ScratchEngines, engines: readonly string[], clusters: readonly string[]): boolean {
  return engines.every((e) => e === 'neo4j' || scratch.engines.has(e as 'postgres' | 'clickhouse')) && clusters.every((c) => scratch.clusters.includes(c));
}
