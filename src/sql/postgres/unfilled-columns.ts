/**
 * The columns of a CREATE TABLE that a row leaving them out holds NULL in: no
 * default, identity, generation or serial type. Read again from the
 * statement's text when it is needed (only for a table the plan puts rows in
 * and then makes a column NOT NULL of, which few are), kept per statement once
 * read and in the parse cache between plans (see statement-memo.ts).
 *
 * @example
 * await loadPostgresParser();
 * unfilledColumns(stmt) // ['note'] for CREATE TABLE t (id serial, note text, at timestamptz DEFAULT now())
 */
import type { ParsedStatement } from '../effects.js';
import type { AstNode } from './ast.js';
import { fillsItself } from './column-facts.js';
import { reread } from './reread.js';

const read = new WeakMap<ParsedStatement, readonly string[] | undefined>();

/** Undefined for anything but a PostgreSQL CREATE TABLE (and for text the parser rejects). */
export function unfilledColumns(stmt: ParsedStatement): readonly string[] | undefined {
  return reread<readonly string[] | undefined>(stmt, 'CreateStmt', 'unfilled-columns', read, (body) =>
    (body.tableElts ?? []).map((e: AstNode) => e.ColumnDef).filter((d: AstNode) => d && !fillsItself(d)).map((d: AstNode) => d.colname as string), undefined);
}
