/**
 * `applyPlan()`: runs a plan against real databases with a ledger per store.
 *
 * Each store is locked on its own (lock-stores.ts: a store another apply
 * holds fails its own steps, the others go on), ledgers read (a per-step ledger of an earlier version is upgraded in place, once),
 * and every step classified by what the ledger says of each of its
 * statements: applied already, to run (only the statements not applied yet),
 * changed since applied (an error naming the file, unless re-recorded), or
 * left unfinished (settled by what the database holds; see classify-step.ts).
 * Steps run in dependency order through the walker. A step that destroys
 * data runs only when opted in (`contract: true`, or the topology's
 * `allowDestructive:`), after a backup of what it destroys; otherwise it and
 * its dependants are not applied. Applying never throws midway: the result
 * lists every step and the root causes.
 *
 * @example
 * const result = await applyPlan(plan, { connections: { nova: 'postgres://localhost/postgres' }, workDir: '/tmp/run' });
 * for (const r of result.rootCauses) console.error(r.id, r.error?.message);
 */
import type { BackupFile, Engine, EngineSession, SqlxRow } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { backupDirFor, backupFiles, backupRunId } from '../engines/backup-manifest.js';
import type { EngineName } from '../sql/effects.js';
import type { Plan, Step } from '../plan/model.js';
import type { ApplyEvent } from './events.js';
import { SUCCEEDED, type StepResult } from './step-result.js';
import { verifyExpectations, type VerifyResult } from './verify.js';
import { walk } from './walker.js';
import { lockStores } from './lock-stores.js';
import { maskSecrets } from '../mask-secrets.js';
import { classifyStep } from './classify-step.js';
import { loadStoreLedger, type StoreLedger } from './store-ledger.js';
import { settleSqlxRow } from './sqlx-row-check.js';
import { stepErrorOf } from './step-error.js';
import { mayRun, optInHint } from '../plan/opt-in.js';
import { RunLog } from './record-runs.js';

export interface ApplyOptions {
  /** Server URL per store; undefined (or missing) means the store is not reachable and its steps are not applied. */
  readonly connections: Readonly<Record<string, string | undefined>>;
  /** Why a store has no URL, shown on its steps (e.g. `set NOVA_NEO4J_URL`). */
  readonly unreachableReasons?: Readonly<Record<string, string>>;
  /**
   * Run every destructive step (the contract phase, and any other step that destroys data),
   * after a backup. Without it only the steps the topology allows (`allowDestructive:`) run;
   * the others, and the steps that depend on them, are not applied.
   */
  readonly contract?: boolean;
  /** Accept steps whose source changed since they were applied (and unfinished non-transactional steps) as applied. */
  readonly rerecord?: boolean;
  /** Parallel steps across stores; one store runs one step at a time. Default 4. */
  readonly concurrency?: number;
  /** How long to wait for another apply's lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** The data directory (absolute): backups go to `backups/<run>/<step>/` under it, each with a `manifest.json`. */
  readonly workDir: string;
  /** Check the plan's expectations at the end. Default true. */
  readonly verify?: boolean;
  readonly onEvent?: (event: ApplyEvent) => void;
  /**
   * Stops the apply: no step starts once it is aborted (those left are
   * `not-applied` with cause `interrupted`); a running step finishes or rolls
   * back, so every ledger row stays consistent; locks and sessions are given back.
   */
  readonly signal?: AbortSignal;
  /** Engine per kind; default the built-in engines. */
  readonly engines?: (name: EngineName) => Engine;
  /**
   * The bytes of a migration file (path relative to the topology root), e.g.
   * `(f) => readFileSync(join(topology.root, f))`. With it, an sqlx checksum
   * that no longer matches while every statement reads the same is explained
   * (line endings, a byte-order mark, trailing blanks).
   */
  readonly readSource?: (file: string) => Buffer;
  /** Dependencies that order two steps without stopping the later one when the earlier fails (see walk); default none. */
  readonly softDependency?: (step: Step, dependency: string) => boolean;
}

export interface ApplyResult {
  readonly ok: boolean;
  /** One per plan step, in plan order. */
  readonly steps: readonly StepResult[];
  /** Failed steps (and unreachable stores) that caused every other failure or skip. */
  readonly rootCauses: readonly StepResult[];
  readonly backups: readonly BackupFile[];
  readonly verification?: VerifyResult;
}

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const emit = options.onEvent ?? (() => undefined);
  const engines = options.engines ?? engineFor;
  const storesWithSteps = [...new Set(plan.steps.map((s) => s.store))].sort();
  emit({ type: 'start', steps: plan.steps.length, stores: storesWithSteps });
  const sessions = new Map<string, EngineSession>();
  const releases: (() => Promise<void>)[] = [];
  const preset = new Map<string, StepResult>();
  const backups: BackupFile[] = [];
  const runId = backupRunId();
  const runs = new RunLog(runId);
  try {
    // Connecting is independent per store.
    await Promise.all(
      storesWithSteps.map(async (store) => {
        const url = options.connections[store];
        const sample = plan.steps.find((s) => s.store === store)!;
        if (!url) {
          const reason = options.unreachableReasons?.[store] ?? `store "${store}" (${sample.engine}) has no connection url`;
          for (const s of plan.steps.filter((x) => x.store === store)) preset.set(s.id, { id: s.id, store, status: 'not-applied', reason, cause: `store:${store}` });
          return;
        }
        try {
          const declared = plan.stores.find((s) => s.name === store);
          const cluster = declared?.cluster ? { cluster: declared.cluster, ...(declared.replicated ? { replicated: true } : {}) } : {};
          // An embedded engine another apply has open is waited for as long as a lock would be.
          const wait = { timeoutMs: options.lockTimeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}), onNote: (message: string) => emit({ type: 'engine', store, message }) };
          sessions.set(store, await engines(sample.engine).connect({ store, database: sample.database, url, ...cluster, wait }));
        } catch (e) {
          for (const s of plan.steps.filter((x) => x.store === store)) preset.set(s.id, { id: s.id, store, status: 'failed', reason: 'cannot connect', cause: `store:${store}`, error: { message: maskSecrets((e as Error).message) } });
        }
      }),
    );
    const locked = await lockStores(sessions, {
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
      onLocked: (store) => emit({ type: 'locked', store }),
      onNote: (store, message) => emit({ type: 'engine', store, message }),
    });
    releases.push(...locked.releases);
    for (const [store, error] of locked.failed) {
      // Another apply owns this store: its steps fail, the steps that depend on them are skipped, the rest runs.
      if (options.signal?.aborted) continue;
      for (const s of plan.steps.filter((x) => x.store === store)) preset.set(s.id, { id: s.id, store, status: 'failed', reason: 'locked', cause: `lock:${store}`, error: { message: maskSecrets(error) } });
    }
    // What runs of each step: the whole step, or only its statements not applied yet.
    const runAs = new Map<string, Step>();
    await Promise.all(
      [...sessions].filter(([store]) => !locked.failed.has(store)).map(async ([store, session]) => {
        const steps = plan.steps.filter((s) => s.store === store);
        try {
          const ledger = await loadStoreLedger(session, steps, { store, engine: steps[0]!.engine, upgrade: true });
          const sqlxRows = new SqlxTables(session);
          for (const step of steps) {
            const c = await classifyStep(step, ledger.states(step), session, options);
            const result = c?.result?.status === 'already-applied' ? await withSqlxRow(c.result, step, steps, ledger, sqlxRows, session, options) : c?.result;
            if (result) preset.set(step.id, result);
            else if (c?.run) runAs.set(step.id, c.run);
          }
          // Before the store's first step: what it holds, and the steps this run is to apply there.
          await runs.prepare(store, session, ledger, steps.filter((s) => !preset.has(s.id) && mayRun(s, !!options.contract)), steps).catch((e: Error) => {
            throw new Error(`reading what the store holds, to record the run, failed: ${e.message}`);
          });
        } catch (e) {
          for (const s of steps) if (!preset.has(s.id)) preset.set(s.id, { id: s.id, store, status: 'failed', reason: 'ledger', cause: `ledger:${store}`, error: { message: `apply: reading the ledger of store "${store}" failed: ${(e as Error).message}` } });
        }
      }),
    );
    const ran = new Set<string>();
    const results = await walk(plan.steps, {
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.softDependency ? { soft: options.softDependency } : {}),
      run: async (step) => {
        const r: StepResult =
          preset.get(step.id) ??
          (options.signal?.aborted
            ? { id: step.id, store: step.store, status: 'not-applied', reason: 'interrupted before it started', cause: 'interrupted' }
            : mayRun(step, !!options.contract)
            ? await runs.beforeStep(step).then(
                () => runStep(step, runAs.get(step.id), sessions.get(step.store)!, options, runId, backups, emit),
                (e: Error): StepResult => ({ id: step.id, store: step.store, status: 'failed', reason: 'run', error: { message: `apply: recording the run in store "${step.store}" failed, so no step ran there: ${maskSecrets(e.message)}` } }),
              )
            : held(step));
        emit({ type: 'step-done', result: r });
        ran.add(step.id);
        return r;
      },
    });
    for (const s of plan.steps) if (!ran.has(s.id)) results.set(s.id, heldBehind(s, results.get(s.id)!, !!options.contract));
    const steps = plan.steps.map((s) => results.get(s.id)!);
    for (const r of steps) if (!ran.has(r.id)) emit({ type: 'step-done', result: r });
    await runs.finish(results);
    let verification: VerifyResult | undefined;
    if (options.verify !== false && plan.expectations.length > 0 && !options.signal?.aborted) {
      const contractApplied = plan.steps.filter((s) => s.phase === 'contract').every((s) => SUCCEEDED.has(results.get(s.id)!.status));
      verification = await verifyExpectations(plan.expectations, sessions, { contractApplied });
      emit({ type: 'verify', result: verification });
    }
    return finish(steps, backups, verification, emit);
  } finally {
    // Each store's lock and session are its own: give them back all at once.
    await Promise.all(releases.map((release) => release().catch(() => undefined)));
    await Promise.all([...sessions.values()].map((session) => session.close().catch(() => undefined)));
  }
}

/** A file found applied: its sqlx row is made true to it (see sqlx-row-check.ts), which may fail the step or add a note. */
async function withSqlxRow(result: StepResult, step: Step, steps: readonly Step[], ledger: StoreLedger, tables: SqlxTables, session: EngineSession, options: ApplyOptions): Promise<StepResult> {
  if (!step.sqlx?.completesFile || !step.source) return result;
  const file = steps.filter((s) => s.source?.file === step.source!.file).map((s) => ({ step: s, states: ledger.states(s) }));
  const settled = await settleSqlxRow(step, file, await tables.rows(step.sqlx.table), session, options);
  if (settled?.error) return { id: step.id, store: step.store, status: 'failed', reason: 'changed', error: settled.error };
  if (!settled?.note) return result;
  return { ...result, reason: result.reason ? `${result.reason}; ${settled.note}` : settled.note };
}

/** A store's sqlx ledger tables, each read once per apply. */
class SqlxTables {
  private readonly read = new Map<string, Promise<ReadonlyMap<string, SqlxRow>>>();
  constructor(private readonly session: EngineSession) {}
  rows(table: string | undefined): Promise<ReadonlyMap<string, SqlxRow>> {
    const key = table ?? '';
    if (!this.read.has(key)) this.read.set(key, this.session.readSqlxRows?.(table) ?? Promise.resolve(new Map()));
    return this.read.get(key)!;
  }
}

/** A destructive step nobody opted in to: not applied, with the one line that says how to opt in. */
function held(step: Step): StepResult {
  const what = step.destroys.map((d) => d.summary).join('; ');
  return step.phase === 'contract'
    ? { id: step.id, store: step.store, status: 'not-applied', reason: `contract phase: destroys ${what}: ${optInHint(step)}`, cause: 'contract' }
    : { id: step.id, store: step.store, status: 'not-applied', reason: `destroys ${what}: ${optInHint(step)}`, cause: `destructive:${step.id}` };
}

/**
 * A destructive step not applied because a step it depends on was held back says how to opt in to
 * itself as well (the walker gives it only the other's line), so one round of opt-ins runs both.
 */
function heldBehind(step: Step, result: StepResult, contract: boolean): StepResult {
  if (result.status !== 'not-applied' || mayRun(step, contract) || !(result.cause === 'contract' || result.cause?.startsWith('destructive:'))) return result;
  const own = held(step);
  return { ...own, reason: `${own.reason}; it also waits for a step held back: ${result.reason ?? result.cause}` };
}

function finish(steps: StepResult[], backups: BackupFile[], verification: VerifyResult | undefined, emit: (e: ApplyEvent) => void): ApplyResult {
  // A root cause is a failed step, or a store-level cause (unreachable, locked) that stopped steps.
  const roots = new Map<string, StepResult>();
  for (const s of steps) {
    if (s.status === 'failed' && !s.cause) roots.set(s.id, s);
    else if ((s.status === 'failed' || s.status === 'not-applied') && s.cause?.includes(':') && !roots.has(s.cause)) roots.set(s.cause, s);
  }
  const ok = steps.every((s) => s.status !== 'failed') && (verification?.ok ?? true);
  emit({ type: 'done', ok });
  return { ok, steps, rootCauses: [...roots.values()], backups, ...(verification ? { verification } : {}) };
}

/** Runs a step, or `part` of it (its statements not applied yet), after a backup of what it destroys. */
async function runStep(whole: Step, part: Step | undefined, session: EngineSession, options: ApplyOptions, runId: string, backups: BackupFile[], emit: (e: ApplyEvent) => void): Promise<StepResult> {
  const step = part ?? whole;
  const base = { id: step.id, store: step.store, ...(part ? { reason: `ran ${part.statements.length} of its ${whole.statements.length} statements: the others were applied already` } : {}) };
  emit({ type: 'step-start', step: step.id, store: step.store });
  const started = performance.now();
  try {
    const backupDir = step.destructive ? backupDirFor(options.workDir, runId, step.id) : undefined;
    if (backupDir && !session.capabilities.stepBackups) await copyDroppedTables(step, session, backupDir, backups, emit);
    const outcome = await session.applyStep(step, { workDir: options.workDir, ...(backupDir ? { backupDir } : {}) });
    if (outcome.backup) {
      const files = backupFiles(outcome.backup.dir, outcome.backup.manifest);
      backups.push(...files);
      emit({ type: 'backup', store: step.store, step: step.id, dir: outcome.backup.dir, files, notBackedUp: outcome.backup.manifest.notBackedUp });
    }
    return { ...base, status: 'applied', durationMs: Math.round(performance.now() - started), ...(outcome.rows !== undefined ? { rows: outcome.rows } : {}), ...(outcome.notes?.length ? { notes: outcome.notes } : {}) };
  } catch (e) {
    return { ...base, status: 'failed', durationMs: Math.round(performance.now() - started), error: stepErrorOf(step, e) };
  }
}

/** For engines that do not back up in their steps: the rows of each non-empty table the step drops, as files. */
async function copyDroppedTables(step: Step, session: EngineSession, dir: string, backups: BackupFile[], emit: (e: ApplyEvent) => void): Promise<void> {
  const dropped = step.destroys.filter((d) => d.kind === 'drop' && d.object.kind === 'table').map((d) => (d.object.schema && d.object.schema !== 'public' ? `${d.object.schema}.${d.object.name}` : d.object.name));
  const present: string[] = [];
  for (const t of dropped) {
    // An empty table has no rows to lose; a missing one (never created, already dropped) neither.
    if ((await session.countRows(t).catch(() => 0)) > 0) present.push(t);
  }
  if (present.length === 0) return;
  const files = await session.backupTables(present, dir);
  backups.push(...files);
  emit({ type: 'backup', store: step.store, step: step.id, dir, files, notBackedUp: [] });
}
