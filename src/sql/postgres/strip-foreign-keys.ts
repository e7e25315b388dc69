/**
 * Removes foreign-key constraints from a statement and prints it again, for
 * `foreignKeys: resolution: drop` (a key that would cross databases).
 *
 * @example
 * stripForeignKeys('CREATE TABLE m (id int, user_id int REFERENCES users(id))', (fk) => fk.refTable === 'users').sql
 * // 'CREATE TABLE m (\n  id int,\n  user_id int\n)'
 */
import { postgresParser } from './pg-parser.js';
import { deparse } from './deparse.js';
import { names, type AstNode } from './ast.js';

export interface ForeignKeyInfo {
  readonly table: string;
  readonly columns: string[];
  readonly refTable: string;
  readonly refColumns: string[];
}

export function stripForeignKeys(statementSql: string, predicate: (fk: ForeignKeyInfo) => boolean): { sql: string; removed: ForeignKeyInfo[] } {
  const tree: AstNode = postgresParser().parseSync(statementSql);
  const removed: ForeignKeyInfo[] = [];
  const keep = (table: string, k: AstNode, columns: string[]) => {
    if (k?.contype !== 'CONSTR_FOREIGN') return true;
    const fk = { table, columns, refTable: k.pktable?.relname ?? '', refColumns: names(k.pk_attrs) };
    if (!predicate(fk)) return true;
    removed.push(fk);
    return false;
  };
  for (const raw of tree.stmts ?? []) {
    const create = raw.stmt.CreateStmt;
    if (create) {
      const table = create.relation.relname;
      create.tableElts = (create.tableElts ?? []).filter((elt: AstNode) => {
        if (elt.ColumnDef) {
          elt.ColumnDef.constraints = (elt.ColumnDef.constraints ?? []).filter((c: AstNode) => keep(table, c.Constraint, [elt.ColumnDef.colname]));
          if (elt.ColumnDef.constraints.length === 0) delete elt.ColumnDef.constraints;
          return true;
        }
        return !elt.Constraint || keep(table, elt.Constraint, names(elt.Constraint.fk_attrs));
      });
    }
    const alter = raw.stmt.AlterTableStmt;
    if (alter) {
      const table = alter.relation.relname;
      alter.cmds = (alter.cmds ?? []).filter((c: AstNode) => {
        const def = c.AlterTableCmd?.def;
        if (def?.Constraint) return keep(table, def.Constraint, names(def.Constraint.fk_attrs));
        if (def?.ColumnDef) def.ColumnDef.constraints = (def.ColumnDef.constraints ?? []).filter((x: AstNode) => keep(table, x.Constraint, [def.ColumnDef.colname]));
        return true;
      });
      if (alter.cmds.length === 0) return { sql: '', removed };
    }
  }
  if (removed.length === 0) return { sql: statementSql, removed };
  return { sql: deparse(tree), removed };
}
