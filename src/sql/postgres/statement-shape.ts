/**
 * The shape of a CREATE TABLE statement, read again from its text when it is
 * needed: only to compare two definitions of one table or to match the
 * columns of a renamed table, which few statements of a system ever are.
 * Kept per statement once read, and in the parse cache between plans (see
 * statement-memo.ts), so a plan of unchanged files needs no parser.
 *
 * @example
 * await loadPostgresParser();
 * statementShape(stmt)?.columns.map((c) => c.name) // ['id', 'post_id', 'user_id']
 */
import { memoized } from '../statement-memo.js';
import { postgresParser } from './pg-parser.js';
import type { ParsedStatement, TableShape } from '../effects.js';
import type { AstNode } from './ast.js';
import { tableShape } from './table-shape.js';

const shapes = new WeakMap<ParsedStatement, TableShape | undefined>();

/** Undefined for anything but a PostgreSQL CREATE TABLE (and for text the parser rejects). */
export function statementShape(stmt: ParsedStatement): TableShape | undefined {
  if (stmt.engine !== 'postgres' || stmt.kind !== 'CreateStmt') return undefined;
  if (shapes.has(stmt)) return shapes.get(stmt);
  const shape = memoized('table-shape', stmt.sql, () => {
    const { parseSync } = postgresParser();
    try {
      const tree: AstNode = parseSync(stmt.sql);
      const body = tree.stmts?.[0]?.stmt?.CreateStmt;
      return body ? tableShape(body) : undefined;
    } catch {
      return undefined;
    }
  });
  shapes.set(stmt, shape);
  return shape;
}
