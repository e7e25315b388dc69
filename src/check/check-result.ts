/**
 * What `checkPlan()` returns: every statement that failed on the throwaway
 * engines, what was not checked and why, the expectations, and each store's
 * resulting schema compared with its committed file.
 */
import type { StepResult } from '../execute/step-result.js';
import type { VerifyResult } from '../execute/verify.js';
import type { SchemaChange } from '../schema/diff-schemas.js';
import type { StoreSchema } from '../schema/store-schema.js';

/** Where an earlier failure is. */
export interface FailurePlace {
  readonly step: string;
  readonly file?: string;
  readonly line?: number;
  readonly statement?: number;
}

/** One statement that failed (or a step that failed before any statement ran). */
export interface CheckFailure extends FailurePlace {
  readonly store: string;
  /** The engine's own message. */
  readonly message: string;
  /** Engine error code (SQLSTATE, ClickHouse code), when known. */
  readonly code?: string;
  /** The engine's detail and hint, when it gives them. */
  readonly detail?: string;
  readonly hint?: string;
  /** Steps not run because this one failed: they depend on it, directly or through other skipped steps. */
  readonly skipped: readonly string[];
  /**
   * Earlier failures this one may be a consequence of: earlier statements of
   * the same file that failed, and earlier files of its set in the same store
   * that failed (a check runs a file even when one before it failed; a
   * dependency the plan knows of would have skipped it instead).
   */
  readonly mayFollowFrom: readonly FailurePlace[];
}

/** Steps that did not run on a throwaway engine, per store and reason. */
export interface NotChecked {
  readonly store: string;
  readonly steps: number;
  readonly reason: string;
}

export type SchemaFileStatus =
  /** The store's schema is the committed file's. */
  | 'same'
  /** It differs: `changes` says how. */
  | 'changed'
  /** No file is committed for this store. */
  | 'missing'
  /** Written (or rewritten) by `update`. */
  | 'written'
  /** The file was written after the contract phase and this check did not run it (or the other way round). */
  | 'other-phase'
  /** Not compared: some step failed, so the result is not the plan's. */
  | 'not-compared';

export interface SchemaFileResult {
  readonly store: string;
  /** The committed file, relative to the current directory when inside it. */
  readonly file: string;
  readonly status: SchemaFileStatus;
  readonly changes: readonly SchemaChange[];
}

export interface CheckResult {
  /** True when every step ran, every expectation holds, every committed schema matches and every revert brings the schema back. */
  readonly ok: boolean;
  readonly failures: readonly CheckFailure[];
  readonly notChecked: readonly NotChecked[];
  /** One per plan step, in plan order, as apply reports them. */
  readonly steps: readonly StepResult[];
  readonly verification?: VerifyResult;
  /** The schema each checked store ended with. */
  readonly schemas: readonly StoreSchema[];
  /** Each store's schema against its committed file (empty when no schema directory was given). */
  readonly schemaFiles: readonly SchemaFileResult[];
  /** The rollback of the plan on the same engines, when it applied whole (see check-reverts.ts). */
  readonly reverts?: import('./check-reverts.js').RevertCheck;
  /** Whether the contract phase ran. */
  readonly contract: boolean;
  /** The throwaway engines used, one line each, and anything else worth saying. */
  readonly notes: readonly string[];
}
