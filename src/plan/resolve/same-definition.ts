/**
 * Whether two statements define an object the same way, by meaning: PostgreSQL statements are
 * compared on their parse trees, normalised (positions dropped, `pg_catalog.` type names read as
 * the short ones, so `TIMESTAMP WITH TIME ZONE` is `timestamptz` and `integer` is `int4`; function
 * options in one order, the language in lower case and the body without layout; `IF NOT EXISTS` and
 * `OR REPLACE` left out, since they say how to create, not what). Letter case and white space never
 * count. Other engines compare their text without comments, layout and case.
 *
 * @example
 * sameDefinition(
 *   "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
 *   "create or replace function f() returns trigger as $$begin return new; end$$ language 'plpgsql'",
 *   'postgres') // true
 */
import type { EngineName } from '../../sql/effects.js';
import { normalizeSql } from '../../sql/normalize-sql.js';
import type { AstNode } from '../../sql/postgres/ast.js';
import { postgresParser } from '../../sql/postgres/pg-parser.js';
import { memoized } from '../../sql/statement-memo.js';

const canonical = new Map<string, string>();

export function sameDefinition(a: string, b: string, engine: EngineName): boolean {
  if (normalizeSql(a) === normalizeSql(b)) return true;
  if (engine !== 'postgres') return false;
  const ca = canonicalTree(a);
  return ca !== undefined && ca === canonicalTree(b);
}

/** The normalised parse tree of a statement as JSON, or undefined when it does not parse alone. */
export function canonicalTree(sql: string): string | undefined {
  const hit = canonical.get(sql);
  if (hit !== undefined) return hit;
  const text = memoized('canonical-tree', sql, () => {
    const { parseSync } = postgresParser();
    let tree: AstNode;
    try {
      tree = parseSync(sql).stmts?.[0]?.stmt;
    } catch {
      return undefined;
    }
    return JSON.stringify(normalise(tree));
  });
  // Only contested definitions are compared: the cache stays small.
  if (text !== undefined) canonical.set(sql, text);
  return text;
}

const DROPPED_KEYS = /(^|_)location$|^stmt_len$|_list_(start|end)$|^if_not_exists$|^replace$/;

function normalise(node: AstNode, key = ''): AstNode {
  if (Array.isArray(node)) {
    const items = node.map((n) => normalise(n));
    // Function options (LANGUAGE, AS, IMMUTABLE...) mean the same in any order.
    return key === 'options' ? items.sort((x, y) => optionName(x).localeCompare(optionName(y))) : items;
  }
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, AstNode> = {};
  for (const k of Object.keys(node).sort()) {
    if (DROPPED_KEYS.test(k)) continue;
    out[k] = normalise(node[k], k);
  }
  if (key === 'TypeName' || key === 'typeName' || key === 'returnType' || key === 'argType') dropCatalog(out);
  if (key === 'DefElem') defElem(out);
  return out;
}

/** `pg_catalog.int4` is what `integer` parses to; `int4` written out is the same type. */
function dropCatalog(typeName: Record<string, AstNode>): void {
  const names = typeName.names;
  if (Array.isArray(names) && names.length === 2 && names[0]?.String?.sval === 'pg_catalog') typeName.names = names.slice(1);
}

function defElem(d: Record<string, AstNode>): void {
  if (d.defname === 'language' && d.arg?.String) d.arg = { String: { sval: String(d.arg.String.sval).toLowerCase() } };
  if (d.defname === 'as' && d.arg?.List) {
    d.arg = { List: { items: d.arg.List.items.map((i: AstNode) => (i.String ? { String: { sval: normalizeSql(String(i.String.sval)) } } : i)) } };
  }
}

function optionName(n: AstNode): string {
  return n?.DefElem?.defname ?? '';
}
