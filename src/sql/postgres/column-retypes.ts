/**
 * The type changes of an ALTER TABLE (`ALTER COLUMN c TYPE t [USING ...]`):
 * each column, the type it gets (normalised as table shapes are, see
 * table-shape.ts) and whether a USING expression converts it. Read again from
 * the statement's text when it is needed (for the few ALTERs that retype a
 * column), kept per statement once read and in the parse cache between plans
 * (see statement-memo.ts).
 *
 * @example
 * await loadPostgresParser();
 * columnRetypes(stmt) // [{ column: 'amount', type: 'numeric(14,2)', using: false }]
 */
import { memoized } from '../statement-memo.js';
import { postgresParser } from './pg-parser.js';
import type { ParsedStatement } from '../effects.js';
import type { AstNode } from './ast.js';
import { typeText } from './table-shape.js';

export interface ColumnRetype {
  readonly column: string;
  readonly type: string;
  readonly using: boolean;
}

const read = new WeakMap<ParsedStatement, readonly ColumnRetype[]>();

/** Empty for anything but a PostgreSQL ALTER TABLE (and for text the parser rejects). */
export function columnRetypes(stmt: ParsedStatement): readonly ColumnRetype[] {
  if (stmt.engine !== 'postgres' || stmt.kind !== 'AlterTableStmt') return [];
  const known = read.get(stmt);
  if (known) return known;
  const retypes = memoized('column-retypes', stmt.sql, () => {
    const { parseSync } = postgresParser();
    try {
      const tree: AstNode = parseSync(stmt.sql);
      const cmds: AstNode[] = tree.stmts?.[0]?.stmt?.AlterTableStmt?.cmds ?? [];
      return cmds
        .map((c) => c.AlterTableCmd)
        .filter((cmd) => cmd?.subtype === 'AT_AlterColumnType' && cmd.name && cmd.def?.ColumnDef?.typeName)
        .map((cmd) => ({ column: cmd.name as string, type: typeText(cmd.def.ColumnDef.typeName), using: cmd.def.ColumnDef.raw_default !== undefined }));
    } catch {
      return [];
    }
  });
  read.set(stmt, retypes);
  return retypes;
}
