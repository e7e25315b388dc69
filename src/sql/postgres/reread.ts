/**
 * A reading of one statement made again from its text when the planner needs
 * more than its effects hold (a table's shape, its columns without defaults,
 * an ALTER's type changes), for the few statements that need it: parsed once
 * per statement (kept with it) and kept in the parse cache between plans under
 * its `memo` name (see statement-memo.ts), so a plan of unchanged files needs
 * no parser. `read` gets the statement's parse node (`CreateStmt`, ...).
 *
 * @example
 * const shape = reread(stmt, 'CreateStmt', 'table-shape', shapes, tableShape, undefined);
 */
import { memoized } from '../statement-memo.js';
import { postgresParser } from './pg-parser.js';
import type { ParsedStatement } from '../effects.js';
import type { AstNode } from './ast.js';

/** `none` for anything but a PostgreSQL statement of `kind`, and for text the parser rejects. */
export function reread<T>(stmt: ParsedStatement, kind: string, memo: string, kept: WeakMap<ParsedStatement, T>, read: (body: AstNode) => T, none: T): T {
  if (stmt.engine !== 'postgres' || stmt.kind !== kind) return none;
  if (kept.has(stmt)) return kept.get(stmt)!;
  const value = memoized(memo, stmt.sql, () => {
    const { parseSync } = postgresParser();
    try {
      const tree: AstNode = parseSync(stmt.sql);
      const body = tree.stmts?.[0]?.stmt?.[kind];
      return body ? read(body) : none;
    } catch {
      return none;
    }
  });
  kept.set(stmt, value);
  return value;
}
