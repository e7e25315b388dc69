/**
 * A unit is one statement as the planner sees it: where it comes from, which
 * store it goes to, its (possibly rewritten) SQL, and whether it is skipped.
 * A statement that touches objects of two stores (e.g. `DROP TABLE a, b`)
 * becomes one unit per store.
 */
import type { ParsedFile, ParsedStatement } from '../../sql/effects.js';
import type { MigrationFile, MigrationSet } from '../../topology/model.js';
import type { StepAllowance, StepDestruction } from '../model.js';

export interface Unit {
  /** Position in the author's order across all sets: set, file, statement. */
  readonly seq: number;
  readonly set: MigrationSet;
  readonly file: MigrationFile;
  readonly fileIndex: number;
  readonly parsed: ParsedFile;
  readonly stmt: ParsedStatement;
  /** The statement's ledger identity within its file (see statement-fingerprints.ts). */
  readonly fingerprint: string;
  /** Service of a non-shared set; for shared sets, the owner the statement was routed by. */
  service?: string;
  store?: string;
  sql: string;
  skipped?: string;
  readonly notes: string[];
  /** True when this unit destroys data (see `destroys`); set by the resolve stage. */
  destructive: boolean;
  destroys: StepDestruction[];
  allowed?: StepAllowance;
}

/** `set/file:line` — how diagnostics and conflicts point at a unit. */
export function unitPlace(u: Pick<Unit, 'file' | 'stmt'>): string {
  return `${u.file.file}:${u.stmt.line}`;
}
