/**
 * Effects of the statements that change no definition but act on objects that
 * must exist: `COMMENT ON`, `GRANT` / `REVOKE`, `ALTER ... OWNER TO`,
 * `SECURITY LABEL`, `CREATE` / `ALTER POLICY`, `CREATE RULE`, `ANALYZE` /
 * `VACUUM`. Each references what it acts on, so it is ordered after the object
 * is created and routed to the object's store.
 *
 * @example
 * // COMMENT ON COLUMN posts.body IS 'markdown'
 * // → [{ action: 'reference', object: { kind: 'table', name: 'posts', schema: 'public' }, via: 'comment' }]
 */
import type { ObjectKind, ObjectRef, ReferenceVia } from '../effects.js';
import { names, qualifiedRef, rangeVarRef, type AstNode } from './ast.js';
import { addExpressionRefs, type EffectList } from './expression-refs.js';

/** Object types of COMMENT / SECURITY LABEL / ALTER OWNER / GRANT, as the plan names them. */
const OBJECT_KINDS: Readonly<Record<string, ObjectKind>> = {
  OBJECT_TABLE: 'table', OBJECT_VIEW: 'view', OBJECT_MATVIEW: 'materialized_view', OBJECT_INDEX: 'index', OBJECT_SEQUENCE: 'sequence',
  OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'type', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function', OBJECT_ROUTINE: 'function',
  OBJECT_AGGREGATE: 'function', OBJECT_TRIGGER: 'trigger', OBJECT_EXTENSION: 'extension', OBJECT_SCHEMA: 'schema', OBJECT_FOREIGN_TABLE: 'table',
};

/** Object types named `name ON table` or `table.column`: the statement acts on the table. */
const ON_TABLE: ReadonlySet<string> = new Set(['OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT', 'OBJECT_POLICY', 'OBJECT_RULE']);

/** The object an `object` node of COMMENT / SECURITY LABEL / ALTER OWNER names, or undefined. */
export function namedObject(objtype: string, o: AstNode): ObjectRef | undefined {
  if (!o) return undefined;
  const parts: string[] = o.List ? names(o.List.items) : o.ObjectWithArgs ? names(o.ObjectWithArgs.objname) : o.TypeName ? names(o.TypeName.names) : o.String ? [o.String.sval] : [];
  if (parts.length === 0) return undefined;
  if (ON_TABLE.has(objtype)) return parts.length > 1 ? qualifiedRef(parts.slice(0, -1), 'table') : undefined;
  const kind = OBJECT_KINDS[objtype];
  if (!kind) return undefined;
  if (kind === 'trigger') {
    const table = qualifiedRef(parts.slice(0, -1), 'table');
    return { kind, name: parts[parts.length - 1]!, schema: table.schema, table: table.name };
  }
  if (kind === 'extension' || kind === 'schema') return { kind, name: parts[parts.length - 1]! };
  return qualifiedRef(parts, kind);
}

function refer(out: EffectList, object: ObjectRef | undefined, via: ReferenceVia): void {
  if (object) out.add({ action: 'reference', object, via });
}

/** COMMENT ON ...; SECURITY LABEL ON ... */
export function commentEffects(body: AstNode, out: EffectList): void {
  const object = namedObject(body.objtype, body.object);
  // COMMENT ON COLUMN t.c names a column that must exist by then.
  const column = body.objtype === 'OBJECT_COLUMN' && body.object?.List ? names(body.object.List.items).pop() : undefined;
  if (object && column) out.add({ action: 'reference', object, via: 'comment', columnFacts: { used: [column] } });
  else refer(out, object, 'comment');
}

/** ALTER ... OWNER TO (functions, types, schemas, ...; ALTER TABLE ... OWNER TO is an ALTER TABLE). */
export function ownerEffects(body: AstNode, out: EffectList): void {
  const object = body.relation ? rangeVarRef(body.relation, OBJECT_KINDS[body.objectType] ?? 'table') : namedObject(body.objectType, body.object);
  refer(out, object, 'grant');
}

/** GRANT / REVOKE on objects, or on ALL TABLES / SEQUENCES / FUNCTIONS IN SCHEMA. */
export function grantEffects(body: AstNode, out: EffectList): void {
  if (body.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    for (const s of body.objects ?? []) if (s.String) refer(out, { kind: 'schema', name: s.String.sval }, 'grant');
    return;
  }
  if (body.targtype === 'ACL_TARGET_DEFAULTS') return;
  for (const o of body.objects ?? []) {
    if (o.RangeVar) refer(out, rangeVarRef(o.RangeVar, body.objtype === 'OBJECT_SEQUENCE' ? 'sequence' : 'table'), 'grant');
    else if (body.objtype !== 'OBJECT_DATABASE' && body.objtype !== 'OBJECT_TABLESPACE' && body.objtype !== 'OBJECT_LANGUAGE') refer(out, namedObject(body.objtype, o), 'grant');
  }
}

/** CREATE / ALTER POLICY: the table, and what its USING / WITH CHECK expressions read or call. */
export function policyEffects(body: AstNode, out: EffectList): void {
  out.add({ action: 'alter', object: rangeVarRef(body.table), detail: `POLICY ${body.policy_name}` });
  if (body.qual) addExpressionRefs(body.qual, out, 'data');
  if (body.with_check) addExpressionRefs(body.with_check, out, 'data');
}

/** CREATE RULE: the table it is on, and what its WHERE and actions touch. */
export function ruleEffects(body: AstNode, out: EffectList): void {
  out.add({ action: 'alter', object: rangeVarRef(body.relation), detail: `RULE ${body.rulename}` });
  if (body.whereClause) addExpressionRefs(body.whereClause, out, 'data');
  for (const a of body.actions ?? []) {
    const write = a.InsertStmt ?? a.UpdateStmt ?? a.DeleteStmt;
    if (write?.relation) out.add({ action: 'write', object: rangeVarRef(write.relation) });
    addExpressionRefs(a, out, 'data', write?.relation ? new Set([write.relation]) : undefined);
  }
}

/** ANALYZE / VACUUM: the tables named (none: the whole database, which references nothing in particular). */
export function maintenanceEffects(body: AstNode, out: EffectList): void {
  for (const r of body.rels ?? []) if (r.VacuumRelation?.relation) refer(out, rangeVarRef(r.VacuumRelation.relation), 'maintenance');
}
