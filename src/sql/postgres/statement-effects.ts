/**
 * What one parsed PostgreSQL statement creates, alters, drops, renames,
 * writes and references, and whether it can run inside a transaction.
 */
import type { ColumnFacts, Effect, ObjectKind, ObjectRef } from '../effects.js';
import { names, qualifiedRef, rangeVarRef, type AstNode } from './ast.js';
import { EffectList, addExpressionRefs, addFunctionRef, addTypeRef } from './expression-refs.js';
import { extensionOfOpclass } from './extension-functions.js';
import { doBlockEffects } from './do-block-effects.js';
import { alterColumnFacts, chosenName, createColumnFacts, indexColumnFacts, renameColumnFacts } from './column-facts.js';
import { withSearchPath } from './search-path.js';
import { outputColumns, readKey, viewColumns } from './view-columns.js';
import { functionSignature } from './function-signature.js';
import { commentEffects, grantEffects, maintenanceEffects, ownerEffects, policyEffects, ruleEffects } from './utility-effects.js';

export interface StatementInfo {
  readonly kind: string;
  readonly effects: Effect[];
  readonly transactional: boolean;
  readonly nonTransactionalReason?: string;
  /** What the reader could not tell about the statement (a DO block's dynamic EXECUTE). */
  readonly warnings?: readonly string[];
}

const DROP_KINDS: Record<string, ObjectKind> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized_view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence',
  OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'type', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function', OBJECT_TRIGGER: 'trigger',
  OBJECT_EXTENSION: 'extension', OBJECT_SCHEMA: 'schema',
};

export function statementEffects(stmt: AstNode): StatementInfo {
  const kind = Object.keys(stmt)[0] ?? 'Unknown';
  const body = stmt[kind];
  const out = new EffectList();
  let nonTx: string | undefined;
  let warnings: readonly string[] | undefined;
  let label = kind;
  switch (kind) {
    case 'CreateStmt':
      createTable(body, out);
      break;
    case 'AlterTableStmt':
      alterTable(body, out);
      break;
    case 'IndexStmt': {
      const table = rangeVarRef(body.relation);
      if (body.idxname) out.add({ action: 'create', object: { kind: 'index', name: body.idxname, schema: table.schema }, ifNotExists: !!body.if_not_exists });
      const indexFacts = indexColumnFacts(body);
      out.add({ action: 'reference', object: table, via: 'index_table', ...(indexFacts ? { columnFacts: indexFacts } : {}) });
      for (const p of body.indexParams ?? []) {
        for (const oc of names(p.IndexElem?.opclass)) {
          const ext = extensionOfOpclass(oc);
          if (ext) out.add({ action: 'reference', object: { kind: 'extension', name: ext }, via: 'extension_function', detail: oc });
        }
        if (p.IndexElem?.expr) addExpressionRefs(p.IndexElem.expr, out, 'data');
      }
      if (body.whereClause) addExpressionRefs(body.whereClause, out, 'data');
      if (body.concurrent) nonTx = 'CREATE INDEX CONCURRENTLY';
      break;
    }
    case 'DropStmt':
      drop(body, out);
      if (body.concurrent) nonTx = 'DROP INDEX CONCURRENTLY';
      break;
    case 'RenameStmt':
      rename(body, out);
      break;
    case 'AlterObjectSchemaStmt':
      setSchema(body, out);
      break;
    case 'ViewStmt':
      out.add({ action: 'create', object: rangeVarRef(body.view, 'view'), orReplace: !!body.replace, ...viewOutput(body) });
      addExpressionRefs(body.query, out, 'view_source');
      addReadColumns(body.query, out);
      break;
    case 'CreateTableAsStmt': {
      const k: ObjectKind = body.objtype === 'OBJECT_MATVIEW' ? 'materialized_view' : 'table';
      out.add({ action: 'create', object: rangeVarRef(body.into.rel, k), ifNotExists: !!body.if_not_exists });
      addExpressionRefs(body.query, out, k === 'table' ? 'data' : 'view_source');
      if (k === 'materialized_view') addReadColumns(body.query, out);
      break;
    }
    case 'RefreshMatViewStmt':
      out.add({ action: 'write', object: rangeVarRef(body.relation, 'materialized_view') });
      break;
    case 'CreateSeqStmt':
      out.add({ action: 'create', object: rangeVarRef(body.sequence, 'sequence'), ifNotExists: !!body.if_not_exists });
      ownedBy(body, out);
      break;
    case 'AlterSeqStmt':
      out.add({ action: 'alter', object: rangeVarRef(body.sequence, 'sequence') });
      ownedBy(body, out);
      break;
    case 'CreateEnumStmt':
      out.add({ action: 'create', object: qualifiedRef(names(body.typeName), 'type') });
      break;
    case 'CompositeTypeStmt':
      out.add({ action: 'create', object: rangeVarRef(body.typevar, 'type') });
      for (const c of body.coldeflist ?? []) if (c.ColumnDef) addTypeRef(c.ColumnDef.typeName, out);
      break;
    case 'CreateDomainStmt':
      out.add({ action: 'create', object: qualifiedRef(names(body.domainname), 'type') });
      addTypeRef(body.typeName, out);
      break;
    case 'AlterEnumStmt':
      out.add({ action: 'alter', object: qualifiedRef(names(body.typeName), 'type') });
      if (body.newVal) nonTx = 'ALTER TYPE ... ADD VALUE';
      break;
    case 'CreateFunctionStmt':
      out.add({ action: 'create', object: qualifiedRef(names(body.funcname), 'function'), orReplace: !!body.replace, signature: functionSignature(body.parameters) });
      for (const p of body.parameters ?? []) if (p.FunctionParameter) addTypeRef(p.FunctionParameter.argType, out);
      if (body.returnType) addTypeRef(body.returnType, out);
      break;
    case 'CreateTrigStmt': {
      const table = rangeVarRef(body.relation);
      out.add({ action: 'create', object: { kind: 'trigger', name: body.trigname, schema: table.schema, table: table.name }, orReplace: !!body.replace });
      out.add({ action: 'reference', object: table, via: 'trigger_table' });
      out.add({ action: 'reference', object: qualifiedRef(names(body.funcname), 'function'), via: 'trigger_function' });
      break;
    }
    case 'CreateExtensionStmt':
      out.add({ action: 'create', object: { kind: 'extension', name: body.extname }, ifNotExists: !!body.if_not_exists });
      break;
    case 'CreateSchemaStmt':
      out.add({ action: 'create', object: { kind: 'schema', name: body.schemaname }, ifNotExists: !!body.if_not_exists });
      // `CREATE SCHEMA s CREATE TABLE t ...`: its elements run with s first in the search path.
      if (body.schemaname && body.schemaElts?.length) {
        withSearchPath([body.schemaname, 'public'], () => {
          for (const elt of body.schemaElts) for (const e of statementEffects(elt).effects) out.add(e);
        });
      }
      break;
    case 'CreatePublicationStmt':
    case 'AlterPublicationStmt':
      // A publication names tables (and schemas) that must exist; the publication itself is no object of the plan.
      for (const o of body.pubobjects ?? []) {
        const spec = o.PublicationObjSpec;
        if (spec?.pubtable?.relation) out.add({ action: 'reference', object: rangeVarRef(spec.pubtable.relation), via: 'data' });
        else if (spec?.pubobjtype === 'PUBLICATIONOBJ_TABLES_IN_SCHEMA' && spec.name) out.add({ action: 'reference', object: { kind: 'schema', name: spec.name }, via: 'schema' });
      }
      break;
    case 'CreateStatsStmt':
      for (const r of body.relations ?? []) if (r.RangeVar) out.add({ action: 'reference', object: rangeVarRef(r.RangeVar), via: 'data' });
      break;
    case 'CreatedbStmt':
      out.add({ action: 'create', object: { kind: 'database', name: body.dbname } });
      nonTx = 'CREATE DATABASE';
      break;
    case 'DropdbStmt':
      out.add({ action: 'drop', object: { kind: 'database', name: body.dbname }, ifExists: !!body.missing_ok });
      nonTx = 'DROP DATABASE';
      break;
    case 'InsertStmt':
      out.add({ action: 'write', object: rangeVarRef(body.relation), ...(body.selectStmt?.SelectStmt?.valuesLists?.length ? { columnFacts: insertFacts(body) } : {}) });
      addExpressionRefs(body, out, 'data', new Set([body.relation]));
      break;
    case 'UpdateStmt':
    case 'DeleteStmt':
      out.add({ action: 'write', object: rangeVarRef(body.relation) });
      addExpressionRefs(body, out, 'data', new Set([body.relation]));
      break;
    case 'TruncateStmt':
      for (const r of body.relations ?? []) out.add({ action: 'write', object: rangeVarRef(r.RangeVar) });
      break;
    case 'CopyStmt':
      if (body.relation) out.add({ action: body.is_from ? 'write' : 'reference', object: rangeVarRef(body.relation), ...(body.is_from ? {} : { via: 'data' as const }) });
      if (body.query) addExpressionRefs(body.query, out, 'data');
      break;
    case 'SelectStmt':
      addExpressionRefs(body, out, 'data');
      break;
    case 'CommentStmt':
    case 'SecLabelStmt':
      commentEffects(body, out);
      break;
    case 'GrantStmt':
      grantEffects(body, out);
      break;
    case 'AlterOwnerStmt':
      ownerEffects(body, out);
      break;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      policyEffects(body, out);
      break;
    case 'RuleStmt':
      ruleEffects(body, out);
      break;
    case 'AlterFunctionStmt':
      out.add({ action: 'alter', object: qualifiedRef(names(body.func?.objname), 'function') });
      break;
    case 'VacuumStmt':
      // The parser leaves is_vacuumcmd out for ANALYZE: only VACUUM must run outside a transaction.
      maintenanceEffects(body, out);
      if (body.is_vacuumcmd) nonTx = 'VACUUM';
      else label = 'AnalyzeStmt';
      break;
    case 'ReindexStmt':
      // REINDEX TABLE acts on the table it names, REINDEX INDEX on the index (made by a CREATE INDEX or by a
      // constraint, as `t_pkey`: it runs after the statement that makes it); SCHEMA, DATABASE and SYSTEM on what
      // is there then.
      if (body.relation && body.kind === 'REINDEX_OBJECT_TABLE') out.add({ action: 'reference', object: rangeVarRef(body.relation), via: 'maintenance' });
      if (body.relation && body.kind === 'REINDEX_OBJECT_INDEX') out.add({ action: 'reference', object: rangeVarRef(body.relation, 'index'), via: 'maintenance' });
      if ((body.params ?? []).some((p: AstNode) => p.DefElem?.defname === 'concurrently')) nonTx = 'REINDEX CONCURRENTLY';
      break;
    case 'ClusterStmt':
      if (body.relation) {
        const table = rangeVarRef(body.relation);
        out.add({ action: 'reference', object: table, via: 'maintenance' });
        // `USING i` names an index that must exist by then; PostgreSQL finds it in the table's schema.
        if (body.indexname) out.add({ action: 'reference', object: { ...table, kind: 'index', name: body.indexname }, via: 'maintenance' });
      }
      break;
    case 'AlterSystemStmt':
      nonTx = 'ALTER SYSTEM';
      break;
    case 'TransactionStmt':
      nonTx = `transaction control (${String(body.kind ?? '').replace('TRANS_STMT_', '')}) in the file`;
      break;
    case 'DoStmt':
      warnings = doBlockEffects(body, out, (inner) => statementEffects(inner).effects).warnings;
      break;
  }
  return { kind: label, effects: out.list, transactional: nonTx === undefined, ...(nonTx ? { nonTransactionalReason: nonTx } : {}), ...(warnings?.length ? { warnings } : {}) };
}

const SERIAL_TYPES: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

function columnRefs(col: AstNode, table: { name: string; schema?: string }, out: EffectList): void {
  const type = names(col.typeName?.names);
  const identity = (col.constraints ?? []).some((c: AstNode) => c.Constraint?.contype === 'CONSTR_IDENTITY');
  if (identity || (type.length === 1 && SERIAL_TYPES.has(type[0]!))) {
    // The sequence PostgreSQL creates for the column belongs to the table (setval('posts_id_seq', ...) needs it).
    out.add({ action: 'create', object: { kind: 'sequence', name: implicitSequenceName(table.name, col.colname), schema: table.schema, table: table.name } });
  } else addTypeRef(col.typeName, out);
  for (const c of col.constraints ?? []) {
    const k = c.Constraint;
    if (!k) continue;
    if (k.contype === 'CONSTR_FOREIGN') {
      out.add({ action: 'reference', object: rangeVarRef(k.pktable), via: 'foreign_key', columns: [col.colname], refColumns: names(k.pk_attrs) });
    } else if (k.raw_expr) {
      addExpressionRefs(k.raw_expr, out, 'data');
    }
  }
}

/** The name PostgreSQL gives a serial or identity column's sequence: `table_column_seq`, cut to 63 bytes as it does. */
function implicitSequenceName(table: string, column: string): string {
  return chosenName(table, column, 'seq');
}

function tableConstraintRefs(k: AstNode, out: EffectList): void {
  if (k.contype === 'CONSTR_FOREIGN') out.add({ action: 'reference', object: rangeVarRef(k.pktable), via: 'foreign_key', columns: names(k.fk_attrs), refColumns: names(k.pk_attrs) });
  else if (k.raw_expr) addExpressionRefs(k.raw_expr, out, 'data');
}

function createTable(body: AstNode, out: EffectList): void {
  const table = rangeVarRef(body.relation);
  out.add({ action: 'create', object: table, ifNotExists: !!body.if_not_exists, columnFacts: createColumnFacts(body) });
  for (const elt of body.tableElts ?? []) {
    if (elt.ColumnDef) columnRefs(elt.ColumnDef, table, out);
    else if (elt.Constraint) tableConstraintRefs(elt.Constraint, out);
    else if (elt.TableLikeClause) out.add({ action: 'reference', object: rangeVarRef(elt.TableLikeClause.relation), via: 'data' });
  }
  // A child of INHERITS (not a partition, which its parent's drop takes along) keeps its parent from being dropped.
  for (const p of body.inhRelations ?? []) if (p.RangeVar) out.add({ action: 'reference', object: rangeVarRef(p.RangeVar), via: 'data', ...(body.partbound ? {} : { detail: 'INHERITS' }) });
}

function alterTable(body: AstNode, out: EffectList): void {
  const k: ObjectKind = body.objtype === 'OBJECT_INDEX' ? 'index' : body.objtype === 'OBJECT_VIEW' ? 'view' : body.objtype === 'OBJECT_MATVIEW' ? 'materialized_view' : body.objtype === 'OBJECT_SEQUENCE' ? 'sequence' : 'table';
  const target = rangeVarRef(body.relation, k);
  const facts = k === 'table' ? alterColumnFacts(body) : undefined;
  out.add({ action: 'alter', object: target, ifExists: !!body.missing_ok, ...(facts ? { columnFacts: facts } : {}) });
  for (const c of body.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd?.def) continue;
    if (cmd.def.ColumnDef) columnRefs(cmd.def.ColumnDef, target, out);
    else if (cmd.def.Constraint) tableConstraintRefs(cmd.def.Constraint, out);
    else if (cmd.subtype === 'AT_AlterColumnType' && cmd.def.ColumnDef) addTypeRef(cmd.def.ColumnDef.typeName, out);
  }
}

function drop(body: AstNode, out: EffectList): void {
  const kind = DROP_KINDS[body.removeType];
  if (!kind) return;
  const cascade = body.behavior === 'DROP_CASCADE';
  for (const o of body.objects ?? []) {
    let parts: string[];
    if (o.List) parts = names(o.List.items);
    else if (o.ObjectWithArgs) parts = names(o.ObjectWithArgs.objname);
    else if (o.TypeName) parts = names(o.TypeName.names);
    else if (o.String) parts = [o.String.sval];
    else continue;
    if (kind === 'trigger') {
      const name = parts[parts.length - 1]!;
      const table = qualifiedRef(parts.slice(0, -1), 'table');
      out.add({ action: 'drop', object: { kind, name, schema: table.schema, table: table.name }, ifExists: !!body.missing_ok, cascade });
      continue;
    }
    const ref = kind === 'extension' || kind === 'schema' ? { kind, name: parts[parts.length - 1]! } : qualifiedRef(parts, kind);
    out.add({ action: 'drop', object: ref, ifExists: !!body.missing_ok, cascade });
  }
}

/** `OWNED BY t.c` of a sequence: the table must exist first (`OWNED BY NONE` names none). */
function ownedBy(body: AstNode, out: EffectList): void {
  for (const o of body.options ?? []) {
    if (o.DefElem?.defname !== 'owned_by') continue;
    const parts = names(o.DefElem.arg?.List?.items ?? []);
    if (parts.length >= 2) out.add({ action: 'reference', object: qualifiedRef(parts.slice(0, -1), 'table'), via: 'data', detail: 'OWNED BY' });
  }
}

/**
 * `ALTER TABLE t SET SCHEMA s` moves t into schema s under its own name: a rename to the same name in another
 * schema (what goes along with a table, its indexes, owned sequences and triggers, the lifecycle moves too).
 * An extension's objects move with `ALTER EXTENSION ... SET SCHEMA`; the extension itself keeps its name.
 */
function setSchema(body: AstNode, out: EffectList): void {
  const kind = DROP_KINDS[body.objectType];
  if (!kind || !body.newschema || kind === 'schema' || kind === 'index' || kind === 'trigger') return;
  if (kind === 'extension') {
    if (body.object?.String) out.add({ action: 'alter', object: { kind, name: body.object.String.sval } });
    return;
  }
  let ref: ObjectRef | undefined;
  if (body.relation) ref = rangeVarRef(body.relation, kind);
  else if (body.object?.List) ref = qualifiedRef(names(body.object.List.items), kind);
  else if (body.object?.ObjectWithArgs) ref = qualifiedRef(names(body.object.ObjectWithArgs.objname), kind);
  if (!ref || ref.schema === body.newschema) return;
  out.add({ action: 'rename', object: ref, renameTo: ref.name, renameSchema: body.newschema, ifExists: !!body.missing_ok });
}

function rename(body: AstNode, out: EffectList): void {
  const kind = DROP_KINDS[body.renameType];
  if (body.relation && (kind === 'table' || kind === 'view' || kind === 'index' || kind === 'sequence' || kind === 'materialized_view')) {
    out.add({ action: 'rename', object: rangeVarRef(body.relation, kind), renameTo: body.newname });
    return;
  }
  const facts = renameColumnFacts(body);
  if (body.relation) out.add({ action: 'alter', object: rangeVarRef(body.relation), ...(facts ? { columnFacts: facts } : {}) });
}

export { addFunctionRef };

/** The columns a view reads of each table, on its `view_source` references (see view-columns.ts). */
function addReadColumns(query: AstNode, out: EffectList): void {
  const read = viewColumns(query);
  if (read.size === 0) return;
  out.list.forEach((e, i) => {
    const columns = e.via === 'view_source' ? read.get(readKey(e.object)) : undefined;
    if (columns) out.list[i] = { ...e, readColumns: [...columns].sort() };
  });
}

/** A view's column names, when they can be told (see outputColumns()); an explicit list `v (a, b)` names the first ones. */
function viewOutput(body: AstNode): { outputColumns?: string[] } {
  const derived = outputColumns(body.query);
  if (!derived) return {};
  const listed = names(body.aliases);
  return { outputColumns: [...listed, ...derived.slice(listed.length)] };
}

/** An `INSERT ... VALUES`: it fills the table, with the columns it lists (`INSERT INTO t (a, b)`) as the ones it names. */
function insertFacts(body: AstNode): ColumnFacts {
  const listed = (body.cols ?? []).map((c: AstNode) => c.ResTarget?.name).filter((n: unknown): n is string => typeof n === 'string');
  return listed.length > 0 ? { fills: true, used: [...new Set<string>(listed)] } : { fills: true };
}
