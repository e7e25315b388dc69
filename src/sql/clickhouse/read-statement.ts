/**
 * Reads one ClickHouse statement: its kind, its effects on databases, tables,
 * views, dictionaries, indexes and projections, its `ON CLUSTER` (or where one
 * belongs), and the settings a `SET` gives. Names stay as written, unquoted;
 * an unqualified name has no schema: the planner gives it the store's database.
 *
 * @example
 * readStatement("RENAME TABLE IF EXISTS obs.a TO obs.b")
 * // { kind: 'RENAME TABLE', effects: [{ action: 'rename', object: { kind: 'table', name: 'a', schema: 'obs' }, renameTo: 'b', ifExists: true }], clusterSlot: 37 }
 */
import type { Effect, ObjectKind } from '../effects.js';
import { tokenizeClickHouse, type Token } from './clickhouse-tokens.js';
import { querySources } from './query-sources.js';
import { readCreate, refOf, type StatementInfo } from './read-create.js';
import { splitArgs, TokenCursor } from './token-cursor.js';

export interface ClickHouseStatement extends StatementInfo {
  /** For `SET a = 1, b = 'x'`: the settings it gives. */
  readonly settings?: Readonly<Record<string, string>>;
}

const KINDS: Record<string, ObjectKind> = { TABLE: 'table', VIEW: 'view', DICTIONARY: 'dictionary', DATABASE: 'database', FUNCTION: 'function' };

/** SYSTEM commands that name a table or dictionary after their keywords. */
const SYSTEM_ON_TABLE = /^(RELOAD DICTIONARY|SYNC REPLICA|RESTART REPLICA|RESTORE REPLICA|FLUSH DISTRIBUTED|(STOP|START) (TTL MERGES|MERGES|MOVES|FETCHES|REPLICATED SENDS|REPLICATION QUEUES|DISTRIBUTED SENDS|PULLING REPLICATION LOG|VIEW)|REFRESH VIEW|CANCEL VIEW|WAIT VIEW)$/;

export function readStatement(sql: string): ClickHouseStatement {
  const tokens = tokenizeClickHouse(sql);
  const c = new TokenCursor(tokens);
  const first = c.next()?.upper ?? '';
  switch (first) {
    case 'CREATE':
      c.accept('OR', 'REPLACE');
      return readCreate(sql, c, 'CREATE');
    case 'REPLACE':
    case 'ATTACH':
      return attach(sql, c, first);
    case 'DROP':
    case 'DETACH':
      return drop(c, first);
    case 'RENAME':
      return rename(c, tokens);
    case 'EXCHANGE':
      return exchange(c, tokens);
    case 'ALTER':
      return alter(c);
    case 'OPTIMIZE':
    case 'TRUNCATE':
      return onTable(c, first);
    case 'INSERT':
      return insert(c);
    case 'DELETE':
      return lightweightDelete(c);
    case 'SYSTEM':
      return system(c);
    case 'SET':
      return set(c);
    default:
      return { kind: /^[A-Z]+$/.test(first) && KNOWN.has(first) ? first : 'UNKNOWN', effects: [] };
  }
}

const KNOWN = new Set(['SELECT', 'WITH', 'USE', 'GRANT', 'REVOKE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'CHECK', 'KILL', 'BACKUP', 'RESTORE', 'UNDROP']);

/** `ATTACH TABLE t` (re-attach) or `ATTACH TABLE t (...) ENGINE = ...`; `REPLACE TABLE` is `CREATE OR REPLACE`. */
function attach(sql: string, c: TokenCursor, verb: string): StatementInfo {
  if (verb === 'ATTACH' && c.is('PARTITION')) return { kind: 'ATTACH', effects: [] };
  return readCreate(sql, c, verb);
}

function drop(c: TokenCursor, verb: string): StatementInfo {
  c.accept('TEMPORARY');
  const what = c.acceptAny('TABLE', 'VIEW', 'DICTIONARY', 'DATABASE', 'FUNCTION');
  if (!what) return { kind: `${verb} ${c.peek()?.upper ?? ''}`.trim(), effects: [] };
  const ifExists = c.accept('IF', 'EXISTS');
  const effects: Effect[] = [];
  let slot: number | undefined;
  do {
    const n = c.name();
    if (!n) break;
    slot = n.end;
    const kind = KINDS[what]!;
    const object = kind === 'database' || kind === 'function' ? { kind, name: n.name } : refOf(n, kind);
    effects.push({ action: 'drop', object, ...(ifExists ? { ifExists: true } : {}), ...(verb === 'DETACH' ? { keepsData: true } : {}) });
  } while (c.accept(','));
  const onCluster = c.onCluster();
  return { kind: `${verb} ${what}`, effects, ...(onCluster !== undefined ? { onCluster } : slot !== undefined ? { clusterSlot: slot } : {}) };
}

/**
 * `RENAME TABLE [IF EXISTS] a TO b, c TO d [ON CLUSTER x]`, and of dictionaries;
 * `RENAME DATABASE a TO b` renames the database, which moves every object in
 * it (the planner moves them: it knows what each database holds).
 */
function rename(c: TokenCursor, tokens: readonly Token[]): StatementInfo {
  const what = c.acceptAny('TABLE', 'DICTIONARY', 'DATABASE') ?? 'TABLE';
  const ifExists = c.accept('IF', 'EXISTS');
  const effects: Effect[] = [];
  do {
    const from = c.name();
    if (!from || !c.accept('TO')) break;
    const to = c.name();
    if (!to) break;
    if (what === 'DATABASE') {
      effects.push({ action: 'rename', object: { kind: 'database', name: from.name }, renameTo: to.name, ...(ifExists ? { ifExists: true } : {}) });
      continue;
    }
    // A rename to another database moves the object there; an unqualified new name is in the current (the store's) database.
    const moves = to.schema !== undefined && to.schema !== from.schema;
    const toStore = to.schema === undefined && from.schema !== undefined;
    effects.push({ action: 'rename', object: refOf(from, what === 'DICTIONARY' ? 'dictionary' : 'table'), renameTo: to.name, ...(moves ? { renameSchema: to.schema } : {}), ...(toStore ? { renameToStoreDatabase: true } : {}), ...(ifExists ? { ifExists: true } : {}) });
  } while (c.accept(','));
  return { kind: `RENAME ${what}`, effects, ...trailingCluster(c, tokens) };
}

function exchange(c: TokenCursor, tokens: readonly Token[]): StatementInfo {
  const what = c.acceptAny('TABLES', 'DICTIONARIES') ?? 'TABLES';
  const kind: ObjectKind = what === 'TABLES' ? 'table' : 'dictionary';
  const a = c.name();
  const b = c.accept('AND') ? c.name() : undefined;
  const effects: Effect[] = [a, b].filter((n) => n !== undefined).map((n) => ({ action: 'alter', object: refOf(n!, kind), detail: 'EXCHANGE' }));
  return { kind: `EXCHANGE ${what}`, effects, ...trailingCluster(c, tokens) };
}

/** `ON CLUSTER` at the end of the statement (RENAME, EXCHANGE), or where it belongs: the end. */
function trailingCluster(c: TokenCursor, tokens: readonly Token[]): { onCluster?: string; clusterSlot?: number } {
  if (c.seek('ON CLUSTER')) {
    const onCluster = c.onCluster();
    if (onCluster !== undefined) return { onCluster };
  }
  const last = tokens[tokens.length - 1];
  return last ? { clusterSlot: last.end } : {};
}

/** `ALTER TABLE t [ON CLUSTER c] command, command, ...`. */
function alter(c: TokenCursor): StatementInfo {
  const what = c.acceptAny('TABLE', 'DATABASE', 'DICTIONARY') ?? 'TABLE';
  const n = c.name();
  if (!n) return { kind: `ALTER ${what}`, effects: [] };
  const onCluster = c.onCluster();
  const cluster = onCluster !== undefined ? { onCluster } : { clusterSlot: n.end };
  if (what === 'DATABASE') return { kind: 'ALTER DATABASE', effects: [], ...cluster };
  const table = refOf(n, what === 'DICTIONARY' ? 'dictionary' : 'table');
  const effects: Effect[] = [];
  for (const command of alterCommands(c.rest())) effects.push(...alterCommand(command, table));
  if (!effects.some((e) => e.action === 'alter' && e.object === table)) effects.unshift({ action: 'alter', object: table });
  return { kind: `ALTER ${what}`, effects, ...cluster };
}

const ALTER_VERBS = ['ADD', 'DROP', 'CLEAR', 'MATERIALIZE', 'MODIFY', 'RENAME', 'COMMENT', 'UPDATE', 'DELETE', 'ATTACH', 'DETACH', 'MOVE', 'REPLACE', 'FREEZE', 'UNFREEZE', 'FETCH', 'REMOVE', 'APPLY', 'RESET'];

/** The commands of an ALTER: split at top-level commas that start a new command (`UPDATE a = 1, b = 2` is one; `MODIFY QUERY` runs to the end). */
export function alterCommands(tokens: readonly Token[]): Token[][] {
  return alterCommandPieces(tokens).map((pieces) => pieces.flat());
}

/**
 * The same commands, each as the pieces its top-level commas separate: `UPDATE a = 1, b = 2 WHERE 1` is one
 * command of the pieces `UPDATE a = 1` and `b = 2 WHERE 1`.
 */
export function alterCommandPieces(tokens: readonly Token[]): Token[][][] {
  const out: Token[][][] = [];
  let current: Token[][] = [];
  for (const arg of splitArgs(tokens)) {
    const starts = arg[0]?.type === 'word' && ALTER_VERBS.includes(arg[0].upper);
    const query = current[0]?.[0]?.upper === 'MODIFY' && current[0]?.[1]?.upper === 'QUERY';
    if (starts && !query && current.length > 0) {
      out.push(current);
      current = [];
    }
    current.push(arg);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function alterCommand(tokens: readonly Token[], table: ReturnType<typeof refOf>): Effect[] {
  const c = new TokenCursor(tokens);
  const verb = c.acceptAny(...ALTER_VERBS);
  const words = (c.rest().slice(0, 2).filter((t) => t.type === 'word').map((t) => t.upper));
  const alterEffect = (detail?: string): Effect => ({ action: 'alter', object: table, ...(detail ? { detail } : {}) });
  if (verb === 'UPDATE' || verb === 'DELETE') return [alterEffect(), { action: 'write', object: table, detail: verb }];
  const target = c.acceptAny('INDEX', 'PROJECTION');
  if (target && (verb === 'ADD' || verb === 'DROP')) {
    const ifx = verb === 'ADD' ? c.accept('IF', 'NOT', 'EXISTS') : c.accept('IF', 'EXISTS');
    const name = c.next();
    if (!name) return [alterEffect()];
    const object = { kind: target === 'INDEX' ? 'index' as const : 'projection' as const, name: name.value, table: table.name, ...(table.schema !== undefined ? { schema: table.schema } : {}) };
    const ifFlag = ifx ? (verb === 'ADD' ? { ifNotExists: true } : { ifExists: true }) : {};
    return [alterEffect(), { action: verb === 'ADD' ? 'create' : 'drop', object, ...ifFlag }, ...(verb === 'ADD' ? [{ action: 'reference' as const, object: table, via: 'index_table' as const }] : [])];
  }
  const out = [alterEffect(verb ? [verb, ...(target ? [target] : words.slice(0, 1))].join(' ') : undefined)];
  // `ATTACH PARTITION ... FROM other`, `REPLACE PARTITION ... FROM other`, `MOVE PARTITION ... TO TABLE other`, `MODIFY QUERY SELECT ...`.
  const rest = new TokenCursor(tokens);
  if ((verb === 'ATTACH' || verb === 'REPLACE') && rest.seek('FROM')) {
    rest.accept('FROM');
    const other = rest.name();
    if (other) out.push({ action: 'reference', object: refOf(other, 'table'), via: 'data' });
  } else if (verb === 'MOVE' && rest.seek('TO TABLE')) {
    rest.accept('TO', 'TABLE');
    const other = rest.name();
    if (other) out.push({ action: 'write', object: refOf(other, 'table') });
  } else if (verb === 'MODIFY' && words[0] === 'QUERY') {
    for (const s of querySources(tokens)) out.push({ action: 'reference', object: s, via: 'mv_source' });
  }
  return out;
}

/** `OPTIMIZE TABLE t [ON CLUSTER c] ...`, `TRUNCATE [TABLE] [IF EXISTS] t [ON CLUSTER c]`: they rewrite or empty a table. */
function onTable(c: TokenCursor, verb: string): StatementInfo {
  c.accept('TEMPORARY');
  c.accept('TABLE');
  const ifExists = c.accept('IF', 'EXISTS');
  const n = c.name();
  if (!n) return { kind: verb, effects: [] };
  const onCluster = c.onCluster();
  return {
    kind: verb === 'OPTIMIZE' ? 'OPTIMIZE TABLE' : 'TRUNCATE',
    effects: [{ action: 'write', object: refOf(n, 'table'), detail: verb, ...(ifExists ? { ifExists: true } : {}) }],
    ...(onCluster !== undefined ? { onCluster } : { clusterSlot: n.end }),
  };
}

/** `INSERT INTO [TABLE] t [(cols)] VALUES | FORMAT | SELECT ...`: writes t and reads the query's sources. */
function insert(c: TokenCursor): StatementInfo {
  c.accept('INTO');
  if (c.is('FUNCTION')) return { kind: 'INSERT', effects: [] };
  c.accept('TABLE');
  const n = c.name();
  if (!n) return { kind: 'INSERT', effects: [] };
  const reads = querySources(c.rest()).map((s): Effect => ({ action: 'reference', object: s, via: 'data' }));
  return { kind: 'INSERT', effects: [{ action: 'write', object: refOf(n, 'table') }, ...reads] };
}

/** `DELETE FROM t [ON CLUSTER c] [IN PARTITION p] WHERE ...`: a lightweight delete writes t. */
function lightweightDelete(c: TokenCursor): StatementInfo {
  if (!c.accept('FROM')) return { kind: 'DELETE', effects: [] };
  const n = c.name();
  if (!n) return { kind: 'DELETE', effects: [] };
  const onCluster = c.onCluster();
  return { kind: 'DELETE', effects: [{ action: 'write', object: refOf(n, 'table'), detail: 'DELETE' }], ...(onCluster !== undefined ? { onCluster } : { clusterSlot: n.end }) };
}

function system(c: TokenCursor): StatementInfo {
  const words: string[] = [];
  while (c.peek()?.type === 'word' && !c.is('ON', 'CLUSTER') && !SYSTEM_ON_TABLE.test(words.join(' '))) words.push(c.next()!.upper);
  const command = words.join(' ');
  const kind = `SYSTEM ${command}`.trim();
  if (!SYSTEM_ON_TABLE.test(command)) return { kind, effects: [] };
  const n = c.name();
  if (!n) return { kind, effects: [] };
  return { kind, effects: [{ action: 'reference', object: refOf(n, command === 'RELOAD DICTIONARY' ? 'dictionary' : 'table'), via: 'data' }] };
}

/** `SET a = 1, b = 'x'`: settings for the statements after it (`SET ROLE` and `SET DEFAULT ROLE` are access control). */
function set(c: TokenCursor): ClickHouseStatement {
  if (c.is('ROLE') || c.is('DEFAULT', 'ROLE')) return { kind: 'SET ROLE', effects: [] };
  const settings: Record<string, string> = {};
  for (const assignment of splitArgs(c.rest())) {
    const [name, eq, ...value] = assignment;
    if (!name || eq?.value !== '=' || value.length === 0) continue;
    settings[name.value] = value.length === 1 ? value[0]!.value : value.map((t) => t.value).join('');
  }
  return { kind: 'SET', effects: [], settings };
}
