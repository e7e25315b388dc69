/**
 * A run: one apply, as each store's ledger records it, so `topoplan
 * rollback` can undo it later. A run is a ledger record of its own (file
 * empty, fingerprint `run:<id>`, the run as JSON in its `sql`), written
 * before the apply's first step in that store and again when the apply ends.
 * It holds what the store held before (its schema fingerprint, object by
 * object) and every step the apply was to run there, with the step's ledger
 * keys, dependencies and revert, so the rollback is planned at apply time.
 *
 * @example
 * await session.record([runWrite(run)])
 * runsOf((await session.readLedger()).records) // [{ id: '2026-12-02T14-40-00-000Z-4242', status: 'applied', ... }]
 */
import type { LedgerKey, LedgerRecord, LedgerWrite } from '../engines/engine.js';
import type { Step, StepRevert } from '../plan/model.js';

export const RUN_FORMAT = 'topoplan-run/1';
const PREFIX = 'run:';

/** The run id given to the records a ledger held before runs were recorded (see legacy run). */
export const BEFORE_RUNS = 'before-runs';

export interface RunStep {
  readonly id: string;
  readonly phase: Step['phase'];
  readonly kind: Step['kind'];
  /** Its statements' ledger keys, as `file#fingerprint`. */
  readonly keys: readonly string[];
  readonly dependsOn: readonly string[];
  readonly revert?: StepRevert;
  readonly transactional: boolean;
  /** The sqlx row a revert removes (the step completes its file). */
  readonly sqlx?: { readonly version: string; readonly table?: string };
  /** Source file and line, for messages. */
  readonly at?: string;
}

export interface RunRecord {
  readonly format: typeof RUN_FORMAT;
  readonly id: string;
  readonly store: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** `started` while (or if killed while) the apply runs; `applied` or `failed` once it ends; `rolled-back` once undone. */
  readonly status: 'started' | 'applied' | 'failed' | 'rolled-back';
  /** The store's schema before the run: a digest of each object (see objectFingerprints). */
  readonly before: Readonly<Record<string, string>>;
  /** The steps the run was to apply in this store, in plan order. */
  readonly steps: readonly RunStep[];
  /** Ids of the steps it applied, once it ended. */
  readonly applied?: readonly string[];
  readonly rolledBackAt?: string;
}

/** The ledger key of a run's record. */
export function runKey(id: string): LedgerKey {
  return { file: '', fingerprint: `${PREFIX}${id}` };
}

export function isRunRecord(r: LedgerKey): boolean {
  return r.file === '' && r.fingerprint.startsWith(PREFIX);
}

/** The record that stores a run (replacing its earlier one). */
export function runWrite(run: RunRecord): LedgerWrite {
  return { ...runKey(run.id), ordinal: 0, store: run.store, stepId: `${PREFIX}${run.id}`, phase: 'run', status: 'applied', origin: 'apply', durationMs: 0, sql: JSON.stringify(run) };
}

/** The runs among a ledger's records, oldest first; a record that does not read as a run is left out. */
export function runsOf(records: readonly LedgerRecord[]): RunRecord[] {
  const out: RunRecord[] = [];
  for (const r of records) {
    if (!isRunRecord(r)) continue;
    try {
      const run = JSON.parse(r.sql) as RunRecord;
      if (run.format === RUN_FORMAT) out.push(run);
    } catch {
      // Not a run this version can read: it stays in the ledger untouched.
    }
  }
  return out.sort((a, b) => compare(a.startedAt, b.startedAt) || compare(a.id, b.id));
}

/** What a run keeps of a plan step. */
export function runStep(step: Step, keys: readonly LedgerKey[]): RunStep {
  return {
    id: step.id,
    phase: step.phase,
    kind: step.kind,
    keys: keys.map((k) => `${k.file}#${k.fingerprint}`),
    dependsOn: step.dependsOn,
    ...(step.revert ? { revert: step.revert } : {}),
    transactional: step.transactional,
    ...(step.sqlx?.completesFile ? { sqlx: { version: step.sqlx.version, ...(step.sqlx.table ? { table: step.sqlx.table } : {}) } } : {}),
    ...(step.source ? { at: `${step.source.file}:${step.source.line}` } : {}),
  };
}

/** `file#fingerprint` back to a key (a fingerprint never holds `#`; a file may). */
export function keyOf(s: string): LedgerKey {
  const i = s.lastIndexOf('#');
  return { file: s.slice(0, i), fingerprint: s.slice(i + 1) };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
