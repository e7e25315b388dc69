/**
 * The CLI's only doors to the outside: writing output, printing diagnostics,
 * and exit codes (0 ok, 1 conflicts or invalid input or a failed apply, 2 usage).
 */
import { writeFileSync } from 'node:fs';
import pc from 'picocolors';
import { formatDiagnostic, TopoplanError, type Diagnostic } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export const useColor = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

export function emit(text: string, out?: string): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

export function printDiagnostics(ds: readonly Diagnostic[]): void {
  const c = pc.createColors(Boolean(process.stderr.isTTY) && !process.env.NO_COLOR);
  for (const d of ds) {
    const colour = d.severity === 'error' ? c.red : d.severity === 'warning' ? c.yellow : c.dim;
    process.stderr.write(colour(formatDiagnostic(d)) + '\n');
  }
}

/** Turns a thrown error into output and an exit code; unexpected errors keep their stack. */
export function failure(e: unknown): number {
  if (e instanceof TopoplanError) {
    printDiagnostics(e.diagnostics.length ? e.diagnostics : [{ code: e.code, severity: 'error', message: e.message }]);
    if (e.diagnostics.length) process.stderr.write(`${e.message.split(':')[0]}: failed with ${e.diagnostics.filter((d) => d.severity === 'error').length} error(s)\n`);
    return EXIT_PROBLEMS;
  }
  process.stderr.write(`topoplan: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT_PROBLEMS;
}
