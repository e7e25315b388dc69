/**
 * Records an apply as a run in each store it changes (see run-record.ts):
 * before the first step, what the store holds (object by object) and the
 * steps to run there; when the apply ends, which of them it applied. A
 * ledger that holds records but no run yet (written before runs were
 * recorded) first gets one run, `before-runs`, holding those records with
 * the plan's reverts, so `rollback --all` reaches them too.
 *
 * @example
 * const runs = new RunLog(runId);
 * await runs.prepare('nova', session, ledger, stepsToRun, storeSteps);
 * await runs.beforeStep(step); // before each step: the first writes the run's start
 * await runs.finish(results);
 */
import type { EngineSession, LedgerWrite } from '../engines/engine.js';
import { keyString, ledgerKeys } from '../engines/ledger-records.js';
import type { Step } from '../plan/model.js';
import { BEFORE_RUNS, runStep, runWrite, type RunRecord } from './run-record.js';
import { objectFingerprints } from './schema-fingerprint.js';
import type { StepResult } from './step-result.js';
import type { StoreLedger } from './store-ledger.js';

interface Started {
  readonly session: EngineSession;
  readonly run: RunRecord;
  /** The records to write before the store's first step (the run, and a before-runs run). */
  readonly writes: LedgerWrite[];
  /** The write of the start, once begun. */
  written?: Promise<void>;
}

export class RunLog {
  private readonly started = new Map<string, Started>();

  constructor(readonly runId: string) {}

  /** What one store holds before the run, and the steps to run there (nothing when none is to run). */
  async prepare(store: string, session: EngineSession, ledger: StoreLedger, toRun: readonly Step[], storeSteps: readonly Step[]): Promise<void> {
    if (toRun.length === 0) return;
    const writes: LedgerWrite[] = [];
    if (ledger.runs.length === 0 && ledger.records.length > 0) writes.push(runWrite(beforeRuns(store, ledger, storeSteps)));
    const run: RunRecord = {
      format: 'topoplan-run/1',
      id: this.runId,
      store,
      startedAt: new Date().toISOString(),
      status: 'started',
      // A database that did not exist when its ledger was read (under the store's lock) held nothing: no need to look.
      before: ledger.noDatabase ? {} : objectFingerprints(await session.inspect()),
      steps: toRun.map((s) => runStep(s, ledgerKeys(s))),
    };
    writes.push(runWrite(run));
    this.started.set(store, { session, run, writes });
  }

  /**
   * Writes the run's start in the step's store before its first step; a
   * database the run creates is created first (its ledger is inside it).
   * A start that cannot be written fails the step: a run rollback cannot see must not begin.
   */
  async beforeStep(step: Step): Promise<void> {
    const s = this.started.get(step.store);
    if (!s || step.kind === 'create_database') return;
    s.written ??= s.session.record(s.writes);
    await s.written;
  }

  /** Records, in every store the run started in, which steps it applied and how it ended. */
  async finish(results: ReadonlyMap<string, StepResult>): Promise<void> {
    await Promise.all(
      [...this.started.values()].map(async ({ session, run }) => {
        const applied = run.steps.filter((s) => results.get(s.id)?.status === 'applied').map((s) => s.id);
        if (applied.length === 0 && !this.started.get(run.store)?.written) return;
        const failed = run.steps.some((s) => results.get(s.id)?.status === 'failed');
        await session.record([runWrite({ ...run, finishedAt: new Date().toISOString(), status: failed ? 'failed' : 'applied', applied })]).catch(() => undefined);
      }),
    );
  }
}

/** The run of what a ledger held before runs were recorded: every step of the plan it has records of. */
function beforeRuns(store: string, ledger: StoreLedger, storeSteps: readonly Step[]): RunRecord {
  const have = new Set(ledger.records.map(keyString));
  const steps = storeSteps.filter((s) => ledgerKeys(s).some((k) => have.has(keyString(k))));
  const first = ledger.records.map((r) => r.appliedAt).sort()[0] ?? new Date(0).toISOString();
  return {
    format: 'topoplan-run/1',
    id: BEFORE_RUNS,
    store,
    startedAt: first,
    finishedAt: first,
    status: 'applied',
    // What the store held before them is not known: the empty schema, as before the plan's first step.
    before: {},
    steps: steps.map((s) => runStep(s, ledgerKeys(s).filter((k) => have.has(keyString(k))))),
    applied: steps.map((s) => s.id),
  };
}
