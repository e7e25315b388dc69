/**
 * The outcome of one step in an apply: applying never throws midway, it
 * returns one of these per step, with the root cause for skipped steps.
 */
export type StepStatus = 'applied' | 'already-applied' | 'failed' | 'skipped' | 'not-applied';

export interface StepError {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  /** 1-based statement number within the file. */
  readonly statement?: number;
  readonly code?: string;
}

export interface StepResult {
  readonly id: string;
  readonly store: string;
  readonly status: StepStatus;
  /** Why it was not applied, skipped or failed, in words. */
  readonly reason?: string;
  /** For skipped steps: the id of the failed (or unavailable) step at the root. */
  readonly cause?: string;
  readonly error?: StepError;
  readonly durationMs?: number;
  /** Rows moved, for copy steps. */
  readonly rows?: number;
  /** What ran otherwise than written (e.g. ON CLUSTER on a one-node embedded cluster), one line per statement. */
  readonly notes?: readonly string[];
}

export const SUCCEEDED: ReadonlySet<StepStatus> = new Set(['applied', 'already-applied']);
