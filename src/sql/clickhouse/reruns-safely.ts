/**
 * Whether a ClickHouse statement, run a second time right after it ran (or
 * after it was cut off midway), leaves the database as one run does: every
 * `CREATE ... IF NOT EXISTS` that fills no rows, `CREATE OR REPLACE` of a
 * view, dictionary or function, every `DROP ... IF EXISTS`, `RENAME ... IF
 * EXISTS`, an `ALTER` whose every command is guarded (`ADD ... IF NOT
 * EXISTS`, `DROP ... IF EXISTS`, `RENAME COLUMN IF EXISTS`) or sets a value
 * (`MODIFY ...`, `COMMENT COLUMN`), and a `SET`. Writes (`INSERT`, `ALTER
 * UPDATE/DELETE`, partitions), unguarded DDL and `CREATE TABLE ... AS SELECT`
 * / `POPULATE` (a cut-off run leaves some of the rows) do not. The ClickHouse
 * session records such a statement without a `started` row first: after a
 * crash it simply runs again.
 *
 * @example
 * rerunsSafely('CREATE TABLE IF NOT EXISTS obs.spans (a UInt8) ENGINE = MergeTree ORDER BY a') // true
 * rerunsSafely("INSERT INTO obs.owners VALUES ('cart', 'web')") // false
 */
import { tokenizeClickHouse, type Token } from './clickhouse-tokens.js';
import { splitArgs, TokenCursor } from './token-cursor.js';

export function rerunsSafely(sql: string): boolean {
  const tokens = tokenizeClickHouse(sql);
  const c = new TokenCursor(tokens);
  if (c.accept('SET')) return !c.is('ROLE') && !c.is('DEFAULT', 'ROLE');
  if (c.accept('CREATE')) return create(c, tokens);
  if (c.accept('DROP')) {
    c.accept('TEMPORARY');
    return c.acceptAny('TABLE', 'VIEW', 'DICTIONARY', 'DATABASE', 'FUNCTION') !== undefined && c.is('IF', 'EXISTS');
  }
  if (c.accept('RENAME')) return c.acceptAny('TABLE', 'DICTIONARY') !== undefined && c.is('IF', 'EXISTS');
  if (c.accept('ALTER', 'TABLE')) return alter(c);
  return false;
}

function create(c: TokenCursor, tokens: readonly Token[]): boolean {
  const replace = c.accept('OR', 'REPLACE');
  const what = c.acceptAny('DATABASE', 'TABLE', 'MATERIALIZED VIEW', 'VIEW', 'DICTIONARY', 'FUNCTION');
  if (!what) return false;
  if (replace) return what === 'VIEW' || what === 'DICTIONARY' || what === 'FUNCTION';
  if (!c.is('IF', 'NOT', 'EXISTS')) return false;
  if (what === 'MATERIALIZED VIEW') return !tokens.some((t) => t.type === 'word' && t.upper === 'POPULATE');
  if (what !== 'TABLE') return true;
  // `... AS SELECT` fills the table: a run cut off midway leaves a table that the second run keeps as it is.
  if (!c.seek('AS')) return true;
  c.accept('AS');
  return !(c.is('SELECT') || c.is('WITH') || c.is('('));
}

const GUARDED_ADD = ['COLUMN', 'INDEX', 'PROJECTION', 'CONSTRAINT', 'STATISTICS'];

function alter(c: TokenCursor): boolean {
  if (!c.name()) return false;
  c.onCluster();
  const commands = splitArgs(c.rest());
  return commands.length > 0 && commands.every((command) => {
    const k = new TokenCursor(command);
    if (k.accept('ADD')) return k.acceptAny(...GUARDED_ADD) !== undefined && k.is('IF', 'NOT', 'EXISTS');
    if (k.accept('DROP')) return k.acceptAny(...GUARDED_ADD) !== undefined && k.is('IF', 'EXISTS');
    if (k.accept('RENAME', 'COLUMN')) return k.is('IF', 'EXISTS');
    return k.is('MODIFY') || k.is('COMMENT', 'COLUMN');
  });
}
