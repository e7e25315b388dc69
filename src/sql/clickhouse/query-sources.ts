/**
 * The tables a ClickHouse query reads: names after `FROM` and `JOIN`, at any
 * depth (subqueries, `IN (SELECT ...)`), minus `FROM` inside functions
 * (`extract(day FROM ts)`), the query's own CTE names,
 * table functions (`numbers(10)`, `remote(...)`) and `ARRAY JOIN`, whose
 * operand is a column.
 *
 * @example
 * querySources(tokenizeClickHouse('WITH x AS (SELECT 1) SELECT * FROM db.a JOIN x ON 1 JOIN b USING id'))
 * // [{ kind: 'table', name: 'a', schema: 'db' }, { kind: 'table', name: 'b' }]
 */
import type { ObjectRef } from '../effects.js';
import type { Token } from './clickhouse-tokens.js';
import { TokenCursor } from './token-cursor.js';

export function querySources(tokens: readonly Token[]): ObjectRef[] {
  const ctes = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    // `name AS (` is a CTE; `expr AS name` is an alias and names no table.
    const t = tokens[i]!;
    if ((t.type === 'word' || t.type === 'ident') && tokens[i + 1]!.upper === 'AS' && tokens[i + 2]!.value === '(' && tokens[i + 2]!.type === 'punct') ctes.add(t.value);
  }
  const out: ObjectRef[] = [];
  // Whether each open parenthesis holds a query: `FROM` inside `extract(day FROM ts)` names a column.
  const query: boolean[] = [true];
  const c = new TokenCursor(tokens);
  while (!c.done) {
    const t = c.next()!;
    if (t.type === 'punct') {
      if (t.value === '(') query.push(c.is('SELECT') || c.is('WITH'));
      else if (t.value === ')' && query.length > 1) query.pop();
      continue;
    }
    if (t.type !== 'word' || (t.upper !== 'FROM' && t.upper !== 'JOIN') || !query[query.length - 1]) continue;
    if (t.upper === 'JOIN' && tokens[c.pos - 2]?.upper === 'ARRAY') continue;
    const n = c.name();
    // A subquery is read as the loop goes on; a table function's name is followed by its arguments.
    if (!n || c.is('(')) continue;
    if (!n.schema && ctes.has(n.name)) continue;
    const ref: ObjectRef = n.schema ? { kind: 'table', name: n.name, schema: n.schema } : { kind: 'table', name: n.name };
    if (!out.some((o) => o.name === ref.name && o.schema === ref.schema)) out.push(ref);
  }
  return out;
}
