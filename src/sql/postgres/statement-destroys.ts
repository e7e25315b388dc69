/**
 * What a parsed PostgreSQL statement destroys: data that lives only in the
 * database and would be gone once the statement ran. DROP TABLE / MATERIALIZED
 * VIEW / SCHEMA / DATABASE, any DROP ... CASCADE, ALTER TABLE ... DROP COLUMN,
 * ALTER COLUMN ... TYPE ... USING, TRUNCATE, and DELETE or UPDATE without WHERE.
 * Dropping what holds no data of its own (a view, an index, a function, a type
 * nothing uses) is not destructive unless CASCADE lets it reach further.
 *
 * @example
 * statementDestroys(parse('TRUNCATE audit.events').stmts[0].stmt)
 * // [{ kind: 'delete_rows', object: { kind: 'table', name: 'events', schema: 'audit' } }]
 */
import type { Destruction, ObjectKind } from '../effects.js';
import { names, qualifiedRef, rangeVarRef, type AstNode } from './ast.js';

/** Object kinds whose drop takes rows with it. */
const HOLDS_DATA: Readonly<Record<string, ObjectKind>> = { OBJECT_TABLE: 'table', OBJECT_MATVIEW: 'materialized_view', OBJECT_SCHEMA: 'schema' };

/** Kinds a DROP ... CASCADE can start from, as the plan names them. */
const DROP_KINDS: Readonly<Record<string, ObjectKind>> = {
  ...HOLDS_DATA,
  OBJECT_VIEW: 'view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'type',
  OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function', OBJECT_EXTENSION: 'extension', OBJECT_FOREIGN_TABLE: 'table',
};

export function statementDestroys(stmt: AstNode): Destruction[] {
  const kind = Object.keys(stmt)[0] ?? '';
  const body = stmt[kind];
  switch (kind) {
    case 'DropStmt':
      return dropped(body);
    case 'DropdbStmt':
      return [{ kind: 'drop', object: { kind: 'database', name: body.dbname }, ...(body.missing_ok ? { ifExists: true } : {}) }];
    case 'AlterTableStmt':
      return alteredColumns(body);
    case 'TruncateStmt': {
      const cascade = body.behavior === 'DROP_CASCADE';
      return (body.relations ?? []).filter((r: AstNode) => r.RangeVar).map((r: AstNode): Destruction => ({ kind: 'delete_rows', object: rangeVarRef(r.RangeVar), ...(cascade ? { cascade } : {}) }));
    }
    case 'DeleteStmt':
    case 'UpdateStmt':
    case 'InsertStmt':
    case 'SelectStmt':
    case 'MergeStmt':
      return dataChanges(kind, body);
    case 'ExplainStmt':
      // EXPLAIN ANALYZE runs the statement it explains.
      return (body.options ?? []).some((o: AstNode) => o.DefElem?.defname === 'analyze' && o.DefElem.arg?.Boolean?.boolval !== false) ? statementDestroys(body.query) : [];
    default:
      return [];
  }
}

/** DELETE or UPDATE without WHERE, also inside the WITH clause of any statement (a data-modifying CTE). */
function dataChanges(kind: string, body: AstNode): Destruction[] {
  const out: Destruction[] = [];
  for (const cte of body.withClause?.ctes ?? []) {
    const q = cte.CommonTableExpr?.ctequery;
    if (q) out.push(...statementDestroys(q));
  }
  if (kind === 'DeleteStmt' && !body.whereClause) out.push({ kind: 'delete_rows', object: rangeVarRef(body.relation) });
  if (kind === 'UpdateStmt' && !body.whereClause) {
    const columns = [...new Set((body.targetList ?? []).map((t: AstNode) => t.ResTarget?.name).filter(Boolean) as string[])];
    out.push({ kind: 'update_rows', object: rangeVarRef(body.relation), columns });
  }
  return out;
}

function dropped(body: AstNode): Destruction[] {
  const cascade = body.behavior === 'DROP_CASCADE';
  const kind = (cascade ? DROP_KINDS : HOLDS_DATA)[body.removeType];
  if (!kind) return [];
  const out: Destruction[] = [];
  for (const o of body.objects ?? []) {
    const parts = o.List ? names(o.List.items) : o.ObjectWithArgs ? names(o.ObjectWithArgs.objname) : o.TypeName ? names(o.TypeName.names) : o.String ? [o.String.sval] : [];
    if (parts.length === 0) continue;
    const object = kind === 'schema' || kind === 'extension' ? { kind, name: parts[parts.length - 1]! } : qualifiedRef(parts, kind);
    out.push({ kind: 'drop', object, ...(cascade ? { cascade } : {}), ...(body.missing_ok ? { ifExists: true } : {}) });
  }
  return out;
}

/** DROP COLUMN and ALTER COLUMN ... TYPE ... USING, one entry per table and kind, columns in the author's order. */
function alteredColumns(body: AstNode): Destruction[] {
  if (body.objtype && body.objtype !== 'OBJECT_TABLE' && body.objtype !== 'OBJECT_FOREIGN_TABLE' && body.objtype !== 'OBJECT_MATVIEW') return [];
  const table = rangeVarRef(body.relation);
  const drops: string[] = [];
  const rewrites: string[] = [];
  let cascade = false;
  let ifExists = false;
  for (const c of body.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype === 'AT_DropColumn') {
      drops.push(cmd.name);
      cascade ||= cmd.behavior === 'DROP_CASCADE';
      ifExists ||= !!cmd.missing_ok;
    } else if (cmd?.subtype === 'AT_AlterColumnType' && cmd.def?.ColumnDef?.raw_default) {
      rewrites.push(cmd.name);
    }
  }
  const out: Destruction[] = [];
  if (drops.length > 0) out.push({ kind: 'drop_column', object: table, columns: drops, ...(cascade ? { cascade } : {}), ...(ifExists || body.missing_ok ? { ifExists: true } : {}) });
  if (rewrites.length > 0) out.push({ kind: 'rewrite_column', object: table, columns: rewrites, ...(body.missing_ok ? { ifExists: true } : {}) });
  return out;
}
