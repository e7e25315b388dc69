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
import type { ParsedStatement, TableShape } from '../effects.js';
import { tableShape } from './table-shape.js';
import { reread } from './reread.js';

const shapes = new WeakMap<ParsedStatement, TableShape | undefined>();

/** Undefined for anything but a PostgreSQL CREATE TABLE (and for text the parser rejects). */
export function statementShape(stmt: ParsedStatement): TableShape | undefined {
  return reread(stmt, 'CreateStmt', 'table-shape', shapes, tableShape, undefined);
}
