/**
 * The schemas an unqualified name is read in. PostgreSQL's default is `public`
 * (`"$user"` first, a schema that migrations seldom have); `SET search_path TO
 * app, public` (or `SET LOCAL`, or `set_config('search_path', ...)`, as pg_dump
 * writes it) changes it for the statements after it in its file, and
 * `RESET` / `SET ... TO DEFAULT` sets it back. A created object goes in the
 * first schema; a use finds its object in the first schema that has it.
 *
 * @example
 * searchPathSet(parse("SET search_path TO app, public")) // ['app', 'public']
 * withSearchPath(['app', 'public'], () => rangeVarRef(users)) // { kind: 'table', name: 'users', schema: 'app', searchPath: ['app', 'public'] }
 */
import type { AstNode } from './ast.js';

const DEFAULT: readonly string[] = ['public'];
let current: readonly string[] = DEFAULT;

/** Runs `run` with unqualified names read in `path` (the default when undefined). */
export function withSearchPath<T>(path: readonly string[] | undefined, run: () => T): T {
  const outer = current;
  current = path && path.length > 0 ? path : DEFAULT;
  try {
    return run();
  } finally {
    current = outer;
  }
}

/** The schema an unqualified name is created in. */
export function unqualifiedSchema(): string {
  return current[0]!;
}

/**
 * The schema a generated revert names an unqualified object by: `public` under the default path; none under
 * one a SET gave (the revert runs under the same path, where the name means what it meant).
 */
export function revertSchema(): string | undefined {
  return current === DEFAULT ? 'public' : undefined;
}

/** The schemas a use of an unqualified name looks in, when there is more than one. */
export function searchedSchemas(): readonly string[] | undefined {
  return current.length > 1 ? current : undefined;
}

/** The path a statement sets: the schemas, `null` for the default again, undefined when it sets none. */
export function searchPathSet(stmt: AstNode): readonly string[] | null | undefined {
  const set = stmt?.VariableSetStmt;
  if (set) {
    if (set.name !== 'search_path') return undefined;
    if (set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT') return null;
    if (set.kind !== 'VAR_SET_VALUE') return undefined;
    return schemas((set.args ?? []).map((a: AstNode) => a?.A_Const?.sval?.sval).filter((s: unknown): s is string => typeof s === 'string'));
  }
  // SELECT [pg_catalog.]set_config('search_path', 'a, b', false)
  const targets = stmt?.SelectStmt?.targetList;
  if (!targets || targets.length !== 1 || stmt.SelectStmt.fromClause) return undefined;
  const call = targets[0]?.ResTarget?.val?.FuncCall;
  const fn = (call?.funcname ?? []).map((n: AstNode) => n?.String?.sval);
  if (fn[fn.length - 1] !== 'set_config' || (fn.length === 2 && fn[0] !== 'pg_catalog')) return undefined;
  const [name, value] = (call.args ?? []).map((a: AstNode) => a?.A_Const?.sval?.sval);
  if (name !== 'search_path' || typeof value !== 'string') return undefined;
  return schemas(value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => (/^".*"$/.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase())));
}

/** `"$user"` names the role's own schema, which a migration's objects are not in: it is left out. */
function schemas(list: readonly string[]): readonly string[] | null {
  const out = list.filter((s) => s !== '$user');
  return out.length > 0 && !(out.length === 1 && out[0] === 'public') ? out : null;
}
