/**
 * The error an engine throws when one statement of a step fails.
 *
 * It carries the step, the 0-based statement index within `step.statements`
 * and the database's own message, code and position, so the executor can map
 * it back to a file and line through `step.source` (statement `i` of a step is
 * statement `source.firstStatement + i` of its file).
 *
 * @example
 * try { await session.applyStep(step, ctx) }
 * catch (e) {
 *   if (e instanceof StatementError) console.error(`${step.source?.file}: statement ${e.statementIndex}: ${e.message}`)
 * }
 */
export class StatementError extends Error {
  readonly stepId: string;
  /** 0-based index into `step.statements`. */
  readonly statementIndex: number;
  /** The statement text that failed. */
  readonly sql: string;
  /** Engine error code (PostgreSQL SQLSTATE, ClickHouse code, Neo4j status code), when known. */
  readonly code?: string;
  /** 1-based character offset of the error inside `sql`, when the engine reports one. */
  readonly position?: number;
  /** 1-based line and column inside `sql` derived from `position`. */
  readonly line?: number;
  readonly column?: number;
  /** The engine's detail and hint, when it gives them (PostgreSQL: which objects depend on a dropped one; how to fix it). */
  readonly detail?: string;
  readonly hint?: string;

  constructor(init: {
    stepId: string;
    statementIndex: number;
    sql: string;
    message: string;
    code?: string;
    position?: number;
    detail?: string;
    hint?: string;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.name = 'StatementError';
    this.stepId = init.stepId;
    this.statementIndex = init.statementIndex;
    this.sql = init.sql;
    if (init.code !== undefined) this.code = init.code;
    if (init.detail) this.detail = init.detail;
    if (init.hint) this.hint = init.hint;
    if (init.position !== undefined && init.position > 0) {
      this.position = init.position;
      const before = [...init.sql].slice(0, init.position - 1).join('');
      const lines = before.split('\n');
      this.line = lines.length;
      this.column = (lines[lines.length - 1]?.length ?? 0) + 1;
    }
  }
}

/**
 * Wraps whatever a driver threw for statement `index` of a step into a {@link StatementError}.
 *
 * @example
 * try { await client.query(sql) } catch (e) { throw toStatementError(step.id, i, sql, e) }
 */
export function toStatementError(stepId: string, index: number, sql: string, error: unknown): StatementError {
  if (error instanceof StatementError) return error;
  const e = (error ?? {}) as { message?: unknown; code?: unknown; position?: unknown; type?: unknown; detail?: unknown; hint?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = e.code !== undefined && e.code !== null ? String(e.code) : undefined;
  const position = e.position !== undefined ? Number(e.position) : undefined;
  return new StatementError({
    stepId,
    statementIndex: index,
    sql,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(position !== undefined && Number.isFinite(position) ? { position } : {}),
    ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
    ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
    cause: error,
  });
}
