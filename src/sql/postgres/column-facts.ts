/**
 * Which columns a PostgreSQL statement gives a table, takes away or acts on: read from the parse tree
 * while the statement is read, so the planner can tell that an index, a constraint or an ALTER names a
 * column that no statement creates.
 *
 * @example
 * alterColumnFacts(parse('ALTER TABLE t ADD COLUMN a int, ALTER COLUMN b SET NOT NULL').stmts[0].stmt.AlterTableStmt)
 * // { added: ['a'], used: ['b'] }
 */
import type { ColumnFacts } from '../effects.js';
import { names, type AstNode } from './ast.js';

/** Commands of ALTER TABLE that act on an existing column named by `name`. */
const ON_COLUMN: ReadonlySet<string> = new Set([
  'AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_ColumnDefault', 'AT_SetStatistics', 'AT_SetStorage', 'AT_SetCompression',
  'AT_AddIdentity', 'AT_SetIdentity', 'AT_DropIdentity', 'AT_DropExpression', 'AT_SetOptions', 'AT_ResetOptions',
]);

/** CREATE TABLE: its columns; `complete` unless some come from elsewhere (LIKE, INHERITS, PARTITION OF, OF type). */
export function createColumnFacts(body: AstNode): ColumnFacts {
  const added: string[] = [];
  let complete = !(body.inhRelations?.length || body.partbound || body.ofTypename);
  const used: string[] = [];
  for (const elt of body.tableElts ?? []) {
    if (elt.ColumnDef) added.push(elt.ColumnDef.colname);
    else if (elt.TableLikeClause) complete = false;
    else if (elt.Constraint) used.push(...constraintColumns(elt.Constraint));
  }
  return { added, ...(used.length ? { used: [...new Set(used)] } : {}), ...(complete ? { complete } : {}) };
}

export function alterColumnFacts(body: AstNode): ColumnFacts | undefined {
  const added: string[] = [];
  const dropped: string[] = [];
  const used: string[] = [];
  for (const c of body.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) added.push(cmd.def.ColumnDef.colname);
    else if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
      dropped.push(cmd.name);
      // `DROP COLUMN IF EXISTS` of a column nothing made is fine: only a plain DROP COLUMN claims it exists.
      if (!cmd.missing_ok) used.push(cmd.name);
    }
    else if (ON_COLUMN.has(cmd.subtype) && cmd.name) used.push(cmd.name);
    else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint) used.push(...constraintColumns(cmd.def.Constraint));
  }
  const facts = { ...(added.length ? { added } : {}), ...(dropped.length ? { dropped: [...new Set(dropped)] } : {}), ...(used.length ? { used: [...new Set(used)] } : {}) };
  return Object.keys(facts).length ? facts : undefined;
}

/** ALTER TABLE ... RENAME COLUMN a TO b. */
export function renameColumnFacts(body: AstNode): ColumnFacts | undefined {
  if (body.renameType !== 'OBJECT_COLUMN' || !body.subname || !body.newname) return undefined;
  return { used: [body.subname], dropped: [body.subname], added: [body.newname] };
}

/** CREATE INDEX: the plain columns it is on (expressions are not columns by name). */
export function indexColumnFacts(body: AstNode): ColumnFacts | undefined {
  const used = (body.indexParams ?? []).map((p: AstNode) => p.IndexElem?.name).filter((n: unknown): n is string => typeof n === 'string');
  for (const p of body.indexIncludingParams ?? []) if (p.IndexElem?.name) used.push(p.IndexElem.name);
  return used.length ? { used: [...new Set(used)] as string[] } : undefined;
}

function constraintColumns(k: AstNode): string[] {
  return [...names(k.keys), ...names(k.fk_attrs), ...names(k.including)];
}
