/**
 * What a ClickHouse statement destroys, read from its tokens: DROP TABLE /
 * VIEW / DATABASE (not DETACH, which keeps the data, nor a dictionary or a
 * function), TRUNCATE, `CREATE OR REPLACE TABLE` / `REPLACE TABLE` (the old
 * table and its rows go), lightweight `DELETE FROM`, and the ALTER TABLE
 * commands that remove data: DELETE, DROP PARTITION / PART (also detached),
 * REPLACE PARTITION, DROP COLUMN and CLEAR COLUMN, and UPDATE whose condition
 * is always true (`WHERE 1`, `WHERE true`, `WHERE 1 = 1`: like PostgreSQL's
 * UPDATE without WHERE; an UPDATE with a real condition is not marked, as in
 * PostgreSQL), and a TTL that removes what has expired: `MODIFY TTL` with a
 * DELETE or GROUP BY rule (the expired rows go; a rule that only moves them,
 * TO DISK / TO VOLUME / RECOMPRESS, keeps them) and `MODIFY COLUMN ... TTL`
 * (the expired values are reset to the column's default). Both are read as
 * what expires now, `(expr) <= now()`; later rows go as they expire. A TTL in
 * CREATE TABLE or ADD COLUMN removes nothing that exists. A dropped object that
 * keeps no rows of its own (a Distributed table, a plain view) is found out
 * by the planner, which knows how it was created.
 *
 * @example
 * clickhouseDestroys("ALTER TABLE logs.events ON CLUSTER main DELETE WHERE day < '2020-01-01', DROP COLUMN raw")
 * // [{ kind: 'delete_rows', object: { kind: 'table', name: 'events', schema: 'logs' }, where: "day < '2020-01-01'" },
 * //  { kind: 'drop_column', object: { kind: 'table', name: 'events', schema: 'logs' }, columns: ['raw'] }]
 */
import type { Destruction, ObjectRef } from '../effects.js';
import { tokenizeClickHouse, type Token } from './clickhouse-tokens.js';
import { refOf } from './read-create.js';
import { alterCommandPieces } from './read-statement.js';
import { TokenCursor } from './token-cursor.js';

const DROPPED = { TABLE: 'table', VIEW: 'view', DATABASE: 'database' } as const;

export function clickhouseDestroys(sql: string): Destruction[] {
  const c = new TokenCursor(tokenizeClickHouse(sql));
  const text = (tokens: readonly Token[]) => (tokens.length ? sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end) : '');
  const verb = c.next()?.upper;
  if (verb === 'DROP') {
    c.accept('TEMPORARY');
    const what = c.acceptAny('TABLE', 'VIEW', 'DATABASE') as keyof typeof DROPPED | undefined;
    if (!what) return [];
    const ifExists = c.accept('IF', 'EXISTS') ? { ifExists: true } : {};
    const out: Destruction[] = [];
    do {
      const n = c.name();
      if (!n) break;
      const object: ObjectRef = what === 'DATABASE' ? { kind: 'database', name: n.name } : refOf(n, DROPPED[what]);
      out.push({ kind: 'drop', object, ...ifExists });
    } while (c.accept(','));
    return out;
  }
  if (verb === 'TRUNCATE') {
    c.accept('TEMPORARY');
    const database = c.accept('DATABASE');
    c.accept('TABLE');
    const ifExists = c.accept('IF', 'EXISTS') ? { ifExists: true } : {};
    const n = c.name();
    if (!n) return [];
    return [{ kind: 'delete_rows', object: database ? { kind: 'database', name: n.name } : refOf(n, 'table'), ...ifExists }];
  }
  if ((verb === 'CREATE' && c.accept('OR', 'REPLACE')) || verb === 'REPLACE') {
    c.accept('TEMPORARY');
    if (!c.accept('TABLE')) return [];
    const n = c.name();
    return n ? [{ kind: 'replace', object: refOf(n, 'table') }] : [];
  }
  if (verb === 'DELETE' && c.accept('FROM')) {
    const n = c.name();
    if (!n) return [];
    c.onCluster();
    return [{ kind: 'delete_rows', object: refOf(n, 'table'), ...rowsOf(c.rest(), text) }];
  }
  if (verb === 'ALTER' && c.accept('TABLE')) {
    const n = c.name();
    if (!n) return [];
    c.onCluster();
    return alterDestroys(refOf(n, 'table'), c.rest(), text);
  }
  return [];
}

function alterDestroys(table: ObjectRef, tokens: readonly Token[], text: (t: readonly Token[]) => string): Destruction[] {
  const out: Destruction[] = [];
  let dropped: string[] | undefined;
  for (const commandPieces of alterCommandPieces(withoutSettings(tokens))) {
    const command = commandPieces.flat();
    // The pieces of the command after its first `n` words (`MODIFY TTL`, `UPDATE`).
    const after = (n: number) => [commandPieces[0]!.slice(n), ...commandPieces.slice(1)];
    const c = new TokenCursor(command);
    if (c.accept('MODIFY', 'TTL')) {
      for (const where of expiredRows(after(2), text)) out.push({ kind: 'delete_rows', object: table, where });
    } else if (c.accept('MODIFY', 'COLUMN')) {
      c.accept('IF', 'EXISTS');
      const column = c.next()?.value;
      const rest = c.rest();
      const ttl = rest.findIndex((t, i) => t.type === 'word' && t.upper === 'TTL' && rest[i - 1]?.upper !== 'REMOVE');
      if (column && ttl >= 0) out.push({ kind: 'rewrite_column', object: table, columns: [column], where: `(${text(withoutSettings(rest.slice(ttl + 1)))}) <= now()` });
    } else if (c.accept('DROP', 'COLUMN') || c.accept('CLEAR', 'COLUMN')) {
      const clear = command[0]!.upper === 'CLEAR';
      c.accept('IF', 'EXISTS');
      const column = c.next()?.value;
      if (!column) continue;
      if (clear) {
        const partition = c.accept('IN', 'PARTITION') ? text(c.rest()) : undefined;
        out.push({ kind: 'rewrite_column', object: table, columns: [column], ...(partition ? { partition } : {}) });
      } else if (dropped) dropped.push(column);
      else out.push({ kind: 'drop_column', object: table, columns: (dropped = [column]) });
    } else if (c.accept('UPDATE')) {
      const update = everyRowUpdate(after(1), text);
      if (update) out.push({ kind: 'update_rows', object: table, ...update });
    } else if (c.accept('DELETE')) {
      out.push({ kind: 'delete_rows', object: table, ...rowsOf(c.rest(), text) });
    } else if (c.acceptAny('DROP DETACHED', 'DROP', 'REPLACE')) {
      if (!c.acceptAny('PARTITION', 'PART')) continue;
      const rest = c.rest();
      const from = rest.findIndex((t) => t.type === 'word' && t.upper === 'FROM');
      out.push({ kind: 'delete_rows', object: table, partition: text(from < 0 ? rest : rest.slice(0, from)) });
    }
  }
  return out;
}

/** Always true, as written: `1` (any non-zero number), `true`, `1 = 1`, in parentheses or not. */
const ALWAYS = /^(?:true|0*[1-9]\d*(?:\.\d*)?|(\d+)\s*=\s*\1)$/i;

/**
 * `a = x, b = y [IN PARTITION p] WHERE condition`, as the pieces its commas separate: the columns set, when
 * the condition is always true (every row is overwritten), else undefined.
 */
function everyRowUpdate(pieces: readonly Token[][], text: (t: readonly Token[]) => string): { columns: string[]; partition?: string } | undefined {
  const last = pieces[pieces.length - 1] ?? [];
  const where = last.findIndex((t) => t.type === 'word' && t.upper === 'WHERE');
  if (where < 0) return undefined;
  let condition = text(withoutSettings(last.slice(where + 1))).trim();
  while (/^\(.*\)$/s.test(condition)) condition = condition.slice(1, -1).trim();
  if (!ALWAYS.test(condition)) return undefined;
  const set = last.slice(0, where);
  const assignments = [...pieces.slice(0, -1), set];
  const inPartition = set.findIndex((t, i) => t.type === 'word' && t.upper === 'IN' && set[i + 1]?.upper === 'PARTITION' && depthAt(set, i) === 0);
  const columns = [...new Set(assignments.map((a) => a[0]?.value).filter((v): v is string => !!v))];
  return { columns, ...(inPartition >= 0 ? { partition: text(set.slice(inPartition + 2)) } : {}) };
}

/**
 * The rules of `MODIFY TTL` that remove rows (DELETE, GROUP BY, or no action),
 * each as the condition of the rows expired now.
 *
 * @example expiredRows(pieces of "d + INTERVAL 1 DAY DELETE WHERE x = 1, d + INTERVAL 1 WEEK TO VOLUME 'cold'") // ['(d + INTERVAL 1 DAY) <= now() AND (x = 1)']
 */
function expiredRows(pieces: readonly Token[][], text: (t: readonly Token[]) => string): string[] {
  const at = (rule: readonly Token[], word: string) => rule.findIndex((t, i) => t.type === 'word' && t.upper === word && depthAt(rule, i) === 0);
  const rules: Token[][] = [];
  for (const piece of pieces) {
    // `GROUP BY k SET a = max(a), b = sum(b)`: the commas of SET stay in their rule.
    const last = rules[rules.length - 1];
    if (last && at(last, 'SET') >= 0) last.push(...piece);
    else rules.push([...piece]);
  }
  const out: string[] = [];
  for (const rule of rules) {
    const action = ['DELETE', 'TO', 'RECOMPRESS', 'GROUP', 'WHERE'].map((w) => at(rule, w)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? rule.length;
    const verb = rule[action]?.upper;
    if (action === 0 || verb === 'TO' || verb === 'RECOMPRESS') continue;
    const where = at(rule, 'WHERE');
    const group = at(rule, 'GROUP');
    const condition = where >= 0 ? text(rule.slice(where + 1, group > where ? group : rule.length)) : undefined;
    out.push(`(${text(rule.slice(0, action))}) <= now()${condition ? ` AND (${condition})` : ''}`);
  }
  return out;
}

/** Parenthesis depth before token `i`. */
function depthAt(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (let j = 0; j < i; j++) {
    const t = tokens[j]!;
    if (t.type === 'punct' && t.value === '(') depth++;
    else if (t.type === 'punct' && t.value === ')') depth--;
  }
  return depth;
}

/** `[IN PARTITION p] WHERE condition`: which rows a DELETE removes, as written. */
function rowsOf(tokens: readonly Token[], text: (t: readonly Token[]) => string): { where?: string; partition?: string } {
  const where = tokens.findIndex((t) => t.type === 'word' && t.upper === 'WHERE');
  if (where < 0) return {};
  const head = new TokenCursor(tokens.slice(0, where));
  const partition = head.accept('IN', 'PARTITION') ? text(head.rest()) : undefined;
  return { where: text(withoutSettings(tokens.slice(where + 1))), ...(partition ? { partition } : {}) };
}

/** A trailing `SETTINGS a = 1, ...` belongs to the whole statement, not to its last command or condition. */
function withoutSettings(tokens: readonly Token[]): readonly Token[] {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === '(') depth++;
    else if (t.type === 'punct' && t.value === ')') depth--;
    else if (depth === 0 && t.type === 'word' && t.upper === 'SETTINGS' && tokens[i + 2]?.value === '=') return tokens.slice(0, i);
  }
  return tokens;
}
