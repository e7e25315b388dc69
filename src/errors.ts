/**
 * Diagnostics and the one error type the library throws.
 *
 * Validation and planning never stop at the first problem: they collect every
 * {@link Diagnostic} and return them together. A {@link TopoplanError} is thrown
 * only when a caller asked for something that cannot go on (for example
 * `planMigration()` on a topology with errors), and it carries all of them.
 *
 * @example
 * try { await planMigration('topologies/nova-plan-a.yaml') }
 * catch (e) { if (e instanceof TopoplanError) for (const d of e.diagnostics) console.error(formatDiagnostic(d)) }
 */

/** How bad a diagnostic is: errors stop planning, warnings are reported, infos explain. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem or remark, always tied to a place.
 * Messages are lowercase and start with the stage (`topology:`, `sql:`, `plan:`, `apply:`).
 */
export interface Diagnostic {
  /** Stable machine-readable code, e.g. `topology.schema`, `sql.parse`, `plan.duplicate_create`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Path relative to the topology's directory (or as given), never absolute in plans. */
  readonly file?: string;
  /** 1-based line and column. */
  readonly line?: number;
  readonly column?: number;
  /** The object the diagnostic is about, e.g. `table public.shares`. */
  readonly object?: string;
  /** How to fix it: a sentence, or a YAML snippet that resolves it. */
  readonly hint?: string;
}

/** Creates a diagnostic, dropping undefined fields so JSON output stays stable. */
export function diagnostic(d: Diagnostic): Diagnostic {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined) out[k] = v;
  return out as unknown as Diagnostic;
}

/** `file:line:column: severity: message (object)` followed by an indented hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint.replace(/\n/g, '\n        ')}` : '';
  return `${where}${d.severity}: ${d.message}${hint}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, line, column, code, message: output is deterministic. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** The library's only thrown error: a code, the diagnostics behind it, and the cause. */
export class TopoplanError extends Error {
  readonly code: string;
  readonly diagnostics: readonly Diagnostic[];
  constructor(code: string, message: string, diagnostics: readonly Diagnostic[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopoplanError';
    this.code = code;
    this.diagnostics = diagnostics;
  }
}
