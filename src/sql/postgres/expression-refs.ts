/**
 * References inside expressions and queries: tables read (`RangeVar`, minus
 * CTE names), user functions called, sequences in `nextval('...')`, types in
 * casts, and extension functions, each recorded once.
 */
import type { Effect, ReferenceVia } from '../effects.js';
import { names, rangeVarRef, qualifiedRef, walk, type AstNode } from './ast.js';
import { BUILTIN_FUNCTIONS, BUILTIN_TYPES } from './builtins.js';
import { extensionOfFunction, extensionOfType } from './extension-functions.js';

export class EffectList {
  readonly list: Effect[] = [];
  private readonly seen = new Set<string>();
  add(e: Effect): void {
    const k = `${e.action}|${e.object.kind}|${e.object.schema ?? ''}|${e.object.table ?? ''}|${e.object.name}|${e.via ?? ''}|${e.renameTo ?? ''}|${(e.columns ?? []).join(',')}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.list.push(e);
  }
}

/** Collects references below `node`; `tableVia` says what a table read means here (view source, data). */
export function addExpressionRefs(node: AstNode, out: EffectList, tableVia: ReferenceVia, skip?: ReadonlySet<AstNode>): void {
  const ctes = new Set<string>();
  walk(node, (type, body) => {
    if (type === 'CommonTableExpr') ctes.add(body.ctename);
  });
  walk(node, (type, body) => {
    if (skip?.has(body)) return false;
    if (type === 'RangeVar') {
      if (!body.schemaname && ctes.has(body.relname)) return;
      if (isCatalog(body)) return;
      out.add({ action: 'reference', object: rangeVarRef(body), via: tableVia });
    } else if (type === 'FuncCall') {
      addFunctionRef(names(body.funcname), body, out);
    } else if (type === 'TypeName') {
      addTypeRef(body, out);
    }
  });
}

export function addFunctionRef(parts: string[], call: AstNode, out: EffectList): void {
  const name = parts[parts.length - 1];
  if (!name || parts[0] === 'pg_catalog') return;
  const ext = extensionOfFunction(name);
  if (ext) {
    out.add({ action: 'reference', object: { kind: 'extension', name: ext }, via: 'extension_function', detail: name });
    return;
  }
  if (name === 'nextval' || name === 'setval' || name === 'currval') {
    const seq = call?.args?.[0]?.A_Const?.sval?.sval ?? call?.args?.[0]?.TypeCast?.arg?.A_Const?.sval?.sval;
    if (typeof seq === 'string') out.add({ action: 'reference', object: qualifiedRef(seq.split('.'), 'sequence'), via: 'sequence_usage' });
    return;
  }
  if (BUILTIN_FUNCTIONS.has(name)) return;
  out.add({ action: 'reference', object: qualifiedRef(parts, 'function'), via: 'function_call' });
}

export function addTypeRef(typeName: AstNode, out: EffectList): void {
  const parts = names(typeName?.names);
  const name = parts[parts.length - 1];
  if (!name || parts[0] === 'pg_catalog' || BUILTIN_TYPES.has(name)) return;
  const ext = extensionOfType(name);
  if (ext) out.add({ action: 'reference', object: { kind: 'extension', name: ext }, via: 'extension_function', detail: name });
  else out.add({ action: 'reference', object: qualifiedRef(parts, 'type'), via: 'type_usage' });
}

/** `information_schema.columns`, `pg_catalog.pg_class`, `pg_indexes`: the server's catalogs, which no migration creates. */
function isCatalog(rv: AstNode): boolean {
  const schema: string | undefined = rv.schemaname;
  if (schema) return schema === 'pg_catalog' || schema === 'information_schema';
  return typeof rv.relname === 'string' && rv.relname.startsWith('pg_');
}
