/**
 * Effects of a `DO` block: its body is read with libpg-query's PL/pgSQL parser,
 * and every SQL statement and expression inside gives the block its effects
 * (a guarded `ALTER TABLE messages ...` makes the block an ALTER of
 * `messages`). What cannot be known before it runs — a dynamic `EXECUTE`, a
 * body in another language or one the parser rejects — is returned as a
 * warning naming the block.
 *
 * @example
 * const out = new EffectList();
 * doBlockEffects(parse("DO $$ BEGIN ALTER TABLE messages ADD COLUMN e int; END $$").stmts[0].stmt.DoStmt, out, statementEffects);
 * out.list // [{ action: 'alter', object: { kind: 'table', name: 'messages', schema: 'public' } }, ...]
 */
import { postgresParser } from './pg-parser.js';
import type { Effect } from '../effects.js';
import type { AstNode } from './ast.js';
import { addExpressionRefs, EffectList } from './expression-refs.js';

/** What the block's statements do, and what could not be read. */
export interface DoBlockReading {
  readonly warnings: string[];
}

/** PL/pgSQL statements whose expression is a whole SQL statement (parseMode 0), not an expression. */
const STATEMENT_EXPRS: ReadonlySet<string> = new Set(['sqlstmt']);

export function doBlockEffects(body: AstNode, out: EffectList, effectsOf: (stmt: AstNode) => readonly Effect[]): DoBlockReading {
  const warnings: string[] = [];
  const args: AstNode[] = body.args ?? [];
  const language = args.find((a) => a.DefElem?.defname === 'language')?.DefElem.arg?.String?.sval ?? 'plpgsql';
  const source: string | undefined = args.find((a) => a.DefElem?.defname === 'as')?.DefElem.arg?.String?.sval;
  if (source === undefined) return { warnings };
  if (language.toLowerCase() !== 'plpgsql') {
    warnings.push(`the DO block is in language "${language}": what it does is not known before it runs`);
    return { warnings };
  }
  const { parsePlPgSQLSync } = postgresParser();
  let tree: AstNode;
  try {
    tree = parsePlPgSQLSync(`DO ${dollarQuote(source)}`);
  } catch (e) {
    warnings.push(`the DO block's body does not parse as PL/pgSQL (${e instanceof Error ? e.message : String(e)}): what it does is not known`);
    return { warnings };
  }
  const dynamic: string[] = [];
  visit(tree, (type, node, key) => {
    if (type === 'PLpgSQL_stmt_dynexecute' || type === 'PLpgSQL_stmt_dynfors' || type === 'PLpgSQL_stmt_open' && node.dynquery) {
      dynamic.push(`line ${node.lineno ?? '?'}`);
      return;
    }
    if (type !== 'PLpgSQL_expr' || typeof node.query !== 'string') return;
    const query: string = node.query;
    if (STATEMENT_EXPRS.has(key) || node.parseMode === 0) {
      for (const stmt of parseOrUndefined(stripInto(query)) ?? []) for (const e of effectsOf(stmt)) out.add(e);
    } else {
      const parsed = parseOrUndefined(`SELECT ${query}`);
      if (parsed) addExpressionRefs(parsed, out, 'data');
    }
  });
  if (dynamic.length > 0) {
    warnings.push(`the DO block runs dynamic SQL (EXECUTE at ${dynamic.join(', ')} of its body): what that SQL touches is not known before it runs, so the plan orders and routes the block only by its other statements`);
  }
  return { warnings };
}

function parseOrUndefined(sql: string): AstNode[] | undefined {
  const { parseSync } = postgresParser();
  try {
    return (parseSync(sql).stmts ?? []).map((s: AstNode) => s.stmt);
  } catch {
    return undefined;
  }
}

/** `SELECT count(*) INTO n FROM t` is PL/pgSQL, not SQL: the INTO target is a variable. */
function stripInto(query: string): string {
  return query.replace(/\bINTO\s+(STRICT\s+)?[A-Za-z_][A-Za-z0-9_.]*(\s*,\s*[A-Za-z_][A-Za-z0-9_.]*)*/i, (m) => (/^\s*(INSERT|MERGE)\b/i.test(query) ? m : ''));
}

function dollarQuote(text: string): string {
  let tag = 'do';
  while (text.includes(`$${tag}$`)) tag += '_';
  return `$${tag}$${text}$${tag}$`;
}

/** Visits every node of the PL/pgSQL tree with its type and the key it is under. */
function visit(node: AstNode, fn: (type: string, body: AstNode, key: string) => void, key = ''): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, fn, key);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const k of Object.keys(node)) {
    const v = node[k];
    if (v === null || typeof v !== 'object') continue;
    if (/^PLpgSQL_/.test(k) && !Array.isArray(v)) fn(k, v, key);
    visit(v, fn, k);
  }
}

export { EffectList };
