/**
 * Small readers for libpg-query's JSON AST: names out of `String` lists,
 * object references out of `RangeVar`s, and a generic walk.
 */
import type { ObjectKind, ObjectRef } from '../effects.js';
import { searchedSchemas, unqualifiedSchema } from './search-path.js';

// The AST is JSON of many node types; a loose type keeps the readers short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

/** `[{String:{sval:'public'}},{String:{sval:'users'}}]` → ['public', 'users']. */
export function names(list: AstNode[] | undefined): string[] {
  return (list ?? []).map((n: AstNode) => n?.String?.sval ?? n?.sval ?? '').filter((s: string) => s !== '');
}

/** An unqualified name is in the schema the search path gives (see search-path.ts). */
export function rangeVarRef(rv: AstNode, kind: ObjectKind = 'table'): ObjectRef {
  return rv.schemaname !== undefined ? { kind, name: rv.relname, schema: rv.schemaname } : unqualified(kind, rv.relname);
}

/** A possibly qualified name list as an object: `['s', 'f']` → { schema: 's', name: 'f' }. */
export function qualifiedRef(parts: string[], kind: ObjectKind): ObjectRef {
  const name = parts[parts.length - 1] ?? '';
  return parts.length > 1 ? { kind, name, schema: parts[parts.length - 2]! } : unqualified(kind, name);
}

function unqualified(kind: ObjectKind, name: string): ObjectRef {
  const searched = searchedSchemas();
  return searched ? { kind, name, schema: searched[0]!, searchPath: searched } : { kind, name, schema: unqualifiedSchema() };
}

/** Visits every node object below `node` (depth first), giving each node type and body. */
export function walk(node: AstNode, visit: (type: string, body: AstNode) => void | false): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  // for-in visits a parsed object's keys in Object.keys order without making their array (nodes are plain JSON).
  for (const key in node) {
    const value = node[key];
    if (value === null || typeof value !== 'object') continue;
    // Node types are capitalised keys wrapping a body: { RangeVar: {...} }.
    if (key.charCodeAt(0) >= 65 && key.charCodeAt(0) <= 90 && !Array.isArray(value)) {
      if (visit(key, value) === false) continue;
    }
    walk(value, visit);
  }
}

/** Strips positions so two statements that differ only in layout compare equal. */
export function withoutLocations(node: AstNode): string {
  return JSON.stringify(node, (k, v) => (POSITION_KEY.test(k) ? undefined : v));
}

/** Keys that hold byte positions rather than meaning. */
const POSITION_KEY = /(^|_)location$|^stmt_len$|_list_(start|end)$/;
