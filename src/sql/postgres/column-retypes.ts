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
import type { ParsedStatement } from '../effects.js';
import type { AstNode } from './ast.js';
import { typeText } from './table-shape.js';
import { reread } from './reread.js';

export interface ColumnRetype {
  readonly column: string;
  readonly type: string;
  readonly using: boolean;
}

const read = new WeakMap<ParsedStatement, readonly ColumnRetype[]>();

/** Empty for anything but a PostgreSQL ALTER TABLE (and for text the parser rejects). */
export function columnRetypes(stmt: ParsedStatement): readonly ColumnRetype[] {
  return reread<readonly ColumnRetype[]>(stmt, 'AlterTableStmt', 'column-retypes', read, (body) =>
    ((body.cmds ?? []) as AstNode[])
      .map((c) => c.AlterTableCmd)
      .filter((cmd) => cmd?.subtype === 'AT_AlterColumnType' && cmd.name && cmd.def?.ColumnDef?.typeName)
      .map((cmd) => ({ column: cmd.name as string, type: typeText(cmd.def.ColumnDef.typeName), using: cmd.def.ColumnDef.raw_default !== undefined })), []);
}
