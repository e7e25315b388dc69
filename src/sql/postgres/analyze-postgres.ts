/**
 * Reads a PostgreSQL migration file with the real parser (libpg-query): one
 * parse per file, then each statement's exact text, place, effects and
 * transactional needs. A file that does not parse is a diagnostic with the
 * parser's message and position, never an exception.
 *
 * @example
 * await loadPostgresParser();
 * const { statements } = analyzePostgres('CREATE TABLE t (id int);', 'a/001_t.sql');
 * statements[0].effects // [{ action: 'create', object: { kind: 'table', name: 't', schema: 'public' } }]
 */
import { postgresParser } from './pg-parser.js';
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { ParsedStatement } from '../effects.js';
import { SourceText, skipTrivia, trimEnd } from '../source-text.js';
import type { AstNode } from './ast.js';
import { statementDestroys } from './statement-destroys.js';
import { statementEffects } from './statement-effects.js';
import { statementRevert } from './statement-revert.js';
import { searchPathSet, withSearchPath } from './search-path.js';

export { loadPostgresParser } from './pg-parser.js';

export interface Analysis {
  readonly statements: ParsedStatement[];
  readonly diagnostics: Diagnostic[];
}

export function analyzePostgres(sql: string, file: string): Analysis {
  const src = new SourceText(sql);
  // The parser rejects a file of only comments; it simply has no statements.
  if (skipTrivia(sql, 0, sql.length) === sql.length) return { statements: [], diagnostics: [] };
  const { parseSync } = postgresParser();
  let tree: AstNode;
  try {
    tree = parseSync(sql);
  } catch (e) {
    return { statements: [], diagnostics: [parseError(e, src, file)] };
  }
  const statements: ParsedStatement[] = [];
  const diagnostics: Diagnostic[] = [];
  const total = Buffer.byteLength(sql);
  // Set by SET search_path for the statements after it in the file (see search-path.ts).
  let path: readonly string[] | undefined;
  for (const [index, raw] of (tree.stmts ?? []).entries()) {
    const byteStart = raw.stmt_location ?? 0;
    const byteEnd = raw.stmt_len ? byteStart + raw.stmt_len : total;
    const s0 = src.charAt(byteStart);
    const e0 = src.charAt(byteEnd);
    const start = skipTrivia(sql, s0, e0);
    const end = trimEnd(sql, start, e0);
    const { info, destroys, revert } = path ? withSearchPath(path, () => readStatement(raw.stmt)) : readStatement(raw.stmt);
    const from = src.position(start);
    const to = src.position(Math.max(start, end - 1));
    for (const w of info.warnings ?? []) {
      diagnostics.push(diagnostic({ code: 'sql.unknown_effects', severity: 'warning', message: `sql: statement ${index + 1} of "${file}": ${w}`, file, line: from.line, column: from.column, hint: 'write the statements the block runs out in full, or check by hand that it is routed and ordered where its objects are' }));
    }
    statements.push({
      index,
      engine: 'postgres',
      sql: sql.slice(start, end),
      start: src.byteAt(start),
      end: src.byteAt(end),
      line: from.line,
      column: from.column,
      endLine: to.line,
      kind: info.kind,
      effects: info.effects,
      ...(destroys.length > 0 ? { destroys } : {}),
      transactional: info.transactional,
      ...(info.nonTransactionalReason ? { nonTransactionalReason: info.nonTransactionalReason } : {}),
      ...(revert ? { revert } : {}),
      ...(path ? { searchPath: path } : {}),
    });
    const set = searchPathSet(raw.stmt);
    if (set !== undefined) path = set ?? undefined;
  }
  return { statements, diagnostics };
}

function readStatement(stmt: AstNode) {
  return { info: statementEffects(stmt), destroys: statementDestroys(stmt), revert: statementRevert(stmt) };
}

function parseError(e: unknown, src: SourceText, file: string): Diagnostic {
  const details = (e as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (e instanceof Error ? e.message : String(e));
  const pos = details?.cursorPosition !== undefined ? src.position(src.charAt(details.cursorPosition)) : undefined;
  return diagnostic({
    code: 'sql.parse',
    severity: 'error',
    message: `sql: cannot parse "${file}": ${message}`,
    file,
    line: pos?.line,
    column: pos?.column,
    hint: 'fix the statement at this position; if the file is not PostgreSQL, declare its engine in the set (engines: { "<file>": clickhouse })',
  });
}
