/**
 * The shape of a CREATE TABLE statement, read again from its text when it is
 * needed: only to compare two definitions of one table or to match the
 * columns of a renamed table, which few statements of a system ever are.
 * Kept per statement once read.
 *
 * @example
 * await loadPostgresParser();
 * statementShape(stmt)?.columns.map((c) => c.name) // ['id', 'post_id', 'user_id']
 */
import { parseSync } from 'libpg-query';
import type { ParsedStatement, TableShape } from '../effects.js';
import type { AstNode } from './ast.js';
import { tableShape } from './table-shape.js';

const shapes = new WeakMap<ParsedStatement, TableShape | undefined>();

/** Undefined for anything but a PostgreSQL CREATE TABLE (and for text the parser rejects). */
export function statementShape(stmt: ParsedStatement): TableShape | undefined {
  if (stmt.engine !== 'postgres' || stmt.kind !== 'CreateStmt') return undefined;
  if (shapes.has(stmt)) return shapes.get(stmt);
  let shape: TableShape | undefined;
  try {
    const tree: AstNode = parseSync(stmt.sql);
    const body = tree.stmts?.[0]?.stmt?.CreateStmt;
    shape = body ? tableShape(body) : undefined;
  } catch {
    shape = undefined;
  }
  shapes.set(stmt, shape);
  return shape;
}
