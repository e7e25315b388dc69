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
import { memoized } from '../statement-memo.js';
import { postgresParser } from './pg-parser.js';
import type { ParsedStatement } from '../effects.js';
import type { AstNode } from './ast.js';
import { fillsItself } from './column-facts.js';

const read = new WeakMap<ParsedStatement, readonly string[] | undefined>();

/** Undefined for anything but a PostgreSQL CREATE TABLE (and for text the parser rejects). */
export function unfilledColumns(stmt: ParsedStatement): readonly string[] | undefined {
  if (stmt.engine !== 'postgres' || stmt.kind !== 'CreateStmt') return undefined;
  if (read.has(stmt)) return read.get(stmt);
  const columns = memoized('unfilled-columns', stmt.sql, () => {
    const { parseSync } = postgresParser();
    try {
      const tree: AstNode = parseSync(stmt.sql);
      const body = tree.stmts?.[0]?.stmt?.CreateStmt;
      if (!body) return undefined;
      return (body.tableElts ?? []).map((e: AstNode) => e.ColumnDef).filter((d: AstNode) => d && !fillsItself(d)).map((d: AstNode) => d.colname as string);
    } catch {
      return undefined;
    }
  });
  read.set(stmt, columns);
  return columns;
}
