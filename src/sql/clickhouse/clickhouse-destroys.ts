/**
 * What a ClickHouse statement destroys, read from its tokens: DROP TABLE /
 * VIEW / DATABASE (not DETACH, which keeps the data, nor a dictionary or a
 * function), TRUNCATE, `CREATE OR REPLACE TABLE` / `REPLACE TABLE` (the old
 * table and its rows go), lightweight `DELETE FROM`, and the ALTER TABLE
 * commands that remove data: DELETE, DROP PARTITION / PART (also detached),
 * REPLACE PARTITION, DROP COLUMN and CLEAR COLUMN. A dropped object that
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
import { alterCommands } from './read-statement.js';
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
  for (const command of alterCommands(withoutSettings(tokens))) {
    const c = new TokenCursor(command);
    if (c.accept('DROP', 'COLUMN') || c.accept('CLEAR', 'COLUMN')) {
      const clear = command[0]!.upper === 'CLEAR';
      c.accept('IF', 'EXISTS');
      const column = c.next()?.value;
      if (!column) continue;
      if (clear) {
        const partition = c.accept('IN', 'PARTITION') ? text(c.rest()) : undefined;
        out.push({ kind: 'rewrite_column', object: table, columns: [column], ...(partition ? { partition } : {}) });
      } else if (dropped) dropped.push(column);
      else out.push({ kind: 'drop_column', object: table, columns: (dropped = [column]) });
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
