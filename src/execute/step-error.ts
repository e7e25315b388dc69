/**
 * The error of a failed step in the user's terms: for a failing statement,
 * its file, its line (the statement's line plus the line of the error inside
 * it, when the engine says) and its number within the file, with the
 * engine's own message and code.
 *
 * @example
 * stepErrorOf(step, e) // { message: 'chat/005.sql:5: statement 1 failed in store "nova": invalid input syntax ...', file: 'chat/005.sql', line: 5, statement: 1, code: '22P02' }
 */
import { StatementError } from '../engines/statement-error.js';
import { TopoplanError } from '../errors.js';
import { maskSecrets } from '../mask-secrets.js';
import type { Step } from '../plan/model.js';
import type { StepResult } from './step-result.js';

export function stepErrorOf(step: Step, e: unknown): NonNullable<StepResult['error']> {
  if (e instanceof StatementError) {
    const i = e.statementIndex;
    const line = step.source ? (step.source.statementLines[i] ?? step.source.line) + ((e.line ?? 1) - 1) : undefined;
    return {
      message: `${step.source ? `${step.source.file}:${line}: ` : ''}statement ${step.source ? step.source.firstStatement + i + 1 : i + 1} failed in store "${step.store}": ${e.message}`,
      ...(step.source ? { file: step.source.file, line: line!, statement: step.source.firstStatement + i + 1 } : {}),
      ...(e.code ? { code: e.code } : {}),
    };
  }
  if (e instanceof TopoplanError) return { message: maskSecrets(e.message), code: e.code };
  return { message: maskSecrets(e instanceof Error ? e.message : String(e)) };
}
