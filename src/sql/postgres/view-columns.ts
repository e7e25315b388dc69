/**
 * The columns a view's query reads of each table it names, as PostgreSQL
 * records them: a view depends on every column it reads (in its select list,
 * joins, filters, grouping, ordering), and `*` or `t.*` reads every column the
 * table has when the view is made. PostgreSQL then refuses to change the type
 * of such a column or to drop it without CASCADE while the view is there.
 *
 * Only what is certain is listed: a column written with its table or alias,
 * or written alone in the view's own query over one table. A bare column in
 * a query over several relations (a join, a subquery in FROM) could belong to
 * any of them and is left out; so is one in a subquery (it may be the outer
 * query's) and one an output column is named (`ORDER BY total`).
 *
 * @example
 * viewColumns(parse('CREATE VIEW v AS SELECT i.id, amount FROM invoices i').ViewStmt.query)
 * // Map { 'public|invoices' => Set { 'id', 'amount' } }
 */
import type { ObjectRef } from '../effects.js';
import { rangeVarRef, type AstNode } from './ast.js';

/** Keys of viewColumns(): a table read, as its reference effect names it. */
export function readKey(ref: Pick<ObjectRef, 'schema' | 'name'>): string {
  return `${ref.schema ?? ''}|${ref.name}`;
}

interface Scope {
  readonly parent: Scope | undefined;
  /** Tables of this query's FROM, by the name or alias it is read by. */
  readonly byName: Map<string, string>;
  /** The table key of each table of the FROM. */
  readonly tables: string[];
  /** Whether the FROM also holds what is not a table (a subquery, a function). */
  other: boolean;
  /** The names of the query's output columns (`AS total`), which ORDER BY and GROUP BY may name bare. */
  readonly outputs: Set<string>;
}

export function viewColumns(query: AstNode): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const ctes = new Set<string>();
  collectCtes(query, ctes);
  const read = (key: string, column: string) => {
    let set = out.get(key);
    if (!set) out.set(key, (set = new Set()));
    set.add(column);
  };

  const visit = (node: AstNode, scope: Scope | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, scope);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const key in node) {
      const value = node[key];
      if (value === null || typeof value !== 'object') continue;
      if (key === 'SelectStmt') select(value, scope);
      else if (key === 'ColumnRef') column(value, scope);
      else visit(value, scope);
    }
  };

  const select = (body: AstNode, parent: Scope | undefined): void => {
    if (body.op && body.op !== 'SETOP_NONE') {
      visit(body.larg ? { SelectStmt: body.larg } : undefined, parent);
      visit(body.rarg ? { SelectStmt: body.rarg } : undefined, parent);
      visit(body.withClause, parent);
      return;
    }
    const scope: Scope = { parent, byName: new Map(), tables: [], other: false, outputs: new Set() };
    for (const t of body.targetList ?? []) if (t?.ResTarget?.name) scope.outputs.add(t.ResTarget.name);
    for (const item of body.fromClause ?? []) from(item, scope);
    for (const key in body) if (key !== 'fromClause') visit(body[key], scope);
  };

  /** A FROM item: its tables join the scope; what is inside a join's condition or a subquery is read too. */
  const from = (item: AstNode, scope: Scope): void => {
    if (item?.RangeVar) {
      const rv = item.RangeVar;
      if (!rv.schemaname && ctes.has(rv.relname)) {
        scope.other = true;
        return;
      }
      const key = readKey(rangeVarRef(rv));
      scope.tables.push(key);
      scope.byName.set(rv.alias?.aliasname ?? rv.relname, key);
    } else if (item?.JoinExpr) {
      const j = item.JoinExpr;
      from(j.larg, scope);
      from(j.rarg, scope);
      // JOIN ... USING (c) reads c of the tables on both sides.
      for (const side of [j.larg, j.rarg]) {
        if (!side?.RangeVar || (!side.RangeVar.schemaname && ctes.has(side.RangeVar.relname))) continue;
        for (const c of j.usingClause ?? []) if (c?.String?.sval) read(readKey(rangeVarRef(side.RangeVar)), c.String.sval);
      }
      visit(j.quals, scope);
      if (j.alias) scope.other = true;
    } else {
      // A subquery or function in FROM: its own query reads what it reads.
      scope.other = true;
      visit(item, scope.parent);
    }
  };

  const column = (body: AstNode, scope: Scope | undefined): void => {
    if (!scope) return;
    const fields: AstNode[] = body.fields ?? [];
    const star = fields[fields.length - 1]?.A_Star !== undefined;
    const parts = fields.map((f) => f?.String?.sval as string | undefined);
    if (fields.length === 1) {
      // A bare name in a subquery may be the query's around it; one that an output column has may be that.
      if (scope.other || scope.parent) return;
      if (star) for (const t of scope.tables) read(t, '*');
      else if (scope.tables.length === 1 && parts[0] && !scope.outputs.has(parts[0])) read(scope.tables[0]!, parts[0]);
      return;
    }
    // `t.c`, `t.*`, `s.t.c`: the table by the name (or alias) written before the column.
    const name = parts[fields.length - 2];
    if (!name) return;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const key = s.byName.get(name);
      if (key === undefined) continue;
      read(key, star ? '*' : parts[fields.length - 1] ?? '*');
      return;
    }
  };

  visit(query, undefined);
  return out;
}

function collectCtes(node: AstNode, ctes: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectCtes(n, ctes);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const key in node) {
    const value = node[key];
    if (key === 'CommonTableExpr' && value?.ctename) ctes.add(value.ctename);
    if (value !== null && typeof value === 'object') collectCtes(value, ctes);
  }
}

/**
 * The names of a view's columns, as PostgreSQL gives them: an alias, else a column's own name, a function's
 * name, or a cast's inner name. Undefined when one cannot be told here (`*`, an expression without alias,
 * a set operation), so nothing is claimed about it.
 */
export function outputColumns(query: AstNode): string[] | undefined {
  const select = query?.SelectStmt;
  if (!select || (select.op && select.op !== 'SETOP_NONE')) return undefined;
  const out: string[] = [];
  for (const t of select.targetList ?? []) {
    const name = t?.ResTarget?.name ?? derivedName(t?.ResTarget?.val);
    if (name === undefined) return undefined;
    out.push(name);
  }
  return out.length > 0 ? out : undefined;
}

function derivedName(val: AstNode): string | undefined {
  if (val?.ColumnRef) {
    const last = val.ColumnRef.fields?.[val.ColumnRef.fields.length - 1];
    return last?.String?.sval;
  }
  if (val?.FuncCall) return val.FuncCall.funcname?.[val.FuncCall.funcname.length - 1]?.String?.sval;
  if (val?.TypeCast) return val.TypeCast.arg?.ColumnRef ? derivedName(val.TypeCast.arg) : undefined;
  return undefined;
}
