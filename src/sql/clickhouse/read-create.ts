/**
 * What a ClickHouse `CREATE` (or `ATTACH`, `REPLACE`) statement makes: a
 * database, table, view, materialized view, dictionary or function, with the
 * objects it depends on: a materialized view's `TO` target and sources, a
 * Distributed table's local table, the table a `CREATE TABLE ... AS other`
 * copies, a dictionary's source table.
 *
 * @example
 * readCreate(sql, cursorAfter('CREATE'))
 * // { kind: 'CREATE TABLE', effects: [{ action: 'create', object: { kind: 'table', name: 'events_dist' }, tableEngine: 'Distributed', holdsData: false },
 * //                                    { action: 'reference', object: { kind: 'table', name: 'events', schema: 'obs' }, via: 'distributed_table' }] }
 */
import type { Effect, ObjectKind, ObjectRef } from '../effects.js';
import { tokenizeClickHouse, type Token } from './clickhouse-tokens.js';
import { querySources } from './query-sources.js';
import { engineHoldsData, tableDefinition } from './table-definition.js';
import { splitArgs, TokenCursor, type QualifiedName } from './token-cursor.js';

export interface StatementInfo {
  readonly kind: string;
  readonly effects: Effect[];
  readonly onCluster?: string;
  /** Offset in the statement where ` ON CLUSTER name` belongs when it has none. */
  readonly clusterSlot?: number;
}

export function refOf(n: QualifiedName, kind: ObjectKind): ObjectRef {
  return n.schema !== undefined ? { kind, name: n.name, schema: n.schema } : { kind, name: n.name };
}

/** Reads `[IF NOT EXISTS] name [UUID '...'] [ON CLUSTER c]`. */
function head(c: TokenCursor): { name?: QualifiedName; ifNotExists: boolean; onCluster?: string; slot?: number } {
  const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
  const name = c.name();
  if (!name) return { ifNotExists };
  if (c.accept('UUID')) c.next();
  const slot = c.pos > 0 ? c.tokens[c.pos - 1]!.end : name.end;
  const onCluster = c.onCluster();
  return { name, ifNotExists, ...(onCluster !== undefined ? { onCluster } : { slot }) };
}

function cluster(h: { onCluster?: string; slot?: number }): { onCluster?: string; clusterSlot?: number } {
  return h.onCluster !== undefined ? { onCluster: h.onCluster } : h.slot !== undefined ? { clusterSlot: h.slot } : {};
}

/** `c` stands after `CREATE [OR REPLACE]`, `REPLACE` or `ATTACH`; `verb` is that word. */
export function readCreate(sql: string, c: TokenCursor, verb: string): StatementInfo {
  c.accept('TEMPORARY');
  const what = c.acceptAny('DATABASE', 'TABLE', 'MATERIALIZED VIEW', 'LIVE VIEW', 'WINDOW VIEW', 'VIEW', 'DICTIONARY', 'FUNCTION');
  if (!what) return { kind: `${verb} ${c.peek()?.upper ?? ''}`.trim(), effects: [] };
  const kind = `${verb} ${what}`;
  const h = head(c);
  if (!h.name) return { kind, effects: [] };
  const base = { ...(h.ifNotExists ? { ifNotExists: true } : {}) };
  if (what === 'DATABASE') {
    return { kind, effects: [{ action: 'create', object: { kind: 'database', name: h.name.name }, ...base }], ...cluster(h) };
  }
  if (what === 'FUNCTION') return { kind, effects: [{ action: 'create', object: { kind: 'function', name: h.name.name }, ...base }], ...cluster(h) };
  if (what === 'DICTIONARY') return { kind, effects: [{ action: 'create', object: refOf(h.name, 'dictionary'), ...base, holdsData: false }, ...dictionarySource(c.rest())], ...cluster(h) };
  if (what.endsWith('VIEW')) return { kind, effects: view(c, h.name, what, base), ...cluster(h) };
  return { kind, effects: table(sql, c, h.name, base), ...cluster(h) };
}

function view(c: TokenCursor, name: QualifiedName, what: string, base: object): Effect[] {
  const materialized = what === 'MATERIALIZED VIEW';
  const out: Effect[] = [];
  let target: QualifiedName | undefined;
  let engine: string | undefined;
  while (!c.done && !c.is('AS')) {
    if (materialized && c.accept('TO')) target = c.name();
    else if (c.accept('ENGINE')) {
      c.accept('=');
      engine = c.next()?.value;
    } else c.group() ?? c.next();
  }
  const query = c.accept('AS') ? c.rest() : [];
  if (materialized) {
    out.push({ action: 'create', object: refOf(name, 'materialized_view'), ...base, ...(target ? { holdsData: false } : { tableEngine: engine ?? 'MergeTree', holdsData: true }) });
    if (target) out.push({ action: 'reference', object: refOf(target, 'table'), via: 'mv_target' });
  } else {
    out.push({ action: 'create', object: refOf(name, 'view'), ...base, holdsData: false });
  }
  for (const s of querySources(query)) out.push({ action: 'reference', object: s, via: materialized ? 'mv_source' : 'view_source' });
  return out;
}

function table(sql: string, c: TokenCursor, name: QualifiedName, base: object): Effect[] {
  const rest = c.rest();
  const def = tableDefinition(sql, rest);
  const refs: Effect[] = [];
  if (c.accept('AS')) {
    if (c.is('SELECT') || c.is('WITH') || c.is('(')) {
      for (const s of querySources(c.rest())) refs.push({ action: 'reference', object: s, via: 'data' });
    } else {
      const other = c.name();
      // `AS db.other` copies a table's columns; `AS remote(...)` is a table function.
      if (other && !c.is('(')) refs.push({ action: 'reference', object: refOf(other, 'table'), via: 'structure' });
    }
  } else if (c.seek('AS') && c.accept('AS') && (c.is('SELECT') || c.is('WITH') || c.is('('))) {
    // `CREATE TABLE t [(columns)] ENGINE = ... ORDER BY ... [EMPTY] AS SELECT ...` fills the table from what the query reads.
    for (const s of querySources(c.rest())) refs.push({ action: 'reference', object: s, via: 'data' });
  }
  const engineRef = engineReference(def.engine, rest);
  if (engineRef) refs.push(engineRef);
  const engine = def.engine;
  return [{ action: 'create', object: refOf(name, 'table'), ...base, ...(engine ? { tableEngine: engine } : {}), holdsData: engineHoldsData(engine) }, ...refs];
}

/** `Distributed(cluster, db, table, ...)`, `Buffer(db, table, ...)`, `Dictionary(name)`: the object the engine reads or writes. */
function engineReference(engine: string | undefined, tokens: readonly Token[]): Effect | undefined {
  if (engine !== 'Distributed' && engine !== 'Buffer' && engine !== 'Dictionary') return undefined;
  const c = new TokenCursor(tokens);
  if (!c.seek('ENGINE')) return undefined;
  c.accept('ENGINE');
  c.accept('=');
  c.next();
  const args = splitArgs(c.group() ?? []);
  if (engine === 'Dictionary') {
    const n = args[0] ? nameArg(args[0]) : undefined;
    return n ? { action: 'reference', object: qualified(n, undefined, 'dictionary'), via: 'data' } : undefined;
  }
  const [db, t] = engine === 'Distributed' ? [args[1], args[2]] : [args[0], args[1]];
  const tableName = t ? nameArg(t) : undefined;
  if (!tableName) return undefined;
  const dbName = db ? nameArg(db) : undefined;
  return { action: 'reference', object: qualified(tableName, dbName, 'table'), via: engine === 'Distributed' ? 'distributed_table' : 'data' };
}

function qualified(name: string, db: string | undefined, kind: ObjectKind): ObjectRef {
  if (db === undefined && name.includes('.')) return { kind, name: name.slice(name.indexOf('.') + 1), schema: name.slice(0, name.indexOf('.')) };
  return db !== undefined ? { kind, name, schema: db } : { kind, name };
}

/** An engine argument naming a database or table: a word, a quoted name or a string; `currentDatabase()` is the store's own. */
function nameArg(arg: readonly Token[]): string | undefined {
  const t = arg[0]!;
  if (arg.length === 1 && (t.type === 'word' || t.type === 'ident' || t.type === 'string')) return t.value;
  if (arg.length === 3 && arg[1]!.value === '.' && arg[1]!.type === 'punct') return `${t.value}.${arg[2]!.value}`;
  return undefined;
}

/** `SOURCE(CLICKHOUSE(TABLE 'events' DB 'obs' ...))`: the table a dictionary loads. */
function dictionarySource(tokens: readonly Token[]): Effect[] {
  const c = new TokenCursor(tokens);
  if (!c.seek('SOURCE') || !c.accept('SOURCE')) return [];
  const inner = new TokenCursor(c.group() ?? []);
  if (!inner.accept('CLICKHOUSE')) return [];
  const args = inner.group() ?? [];
  let table: string | undefined;
  let db: string | undefined;
  for (let i = 0; i + 1 < args.length; i++) {
    const key = args[i]!.upper;
    const value = args[i + 1]!;
    if (value.type !== 'string' && value.type !== 'word' && value.type !== 'ident') continue;
    if (key === 'TABLE') table = value.value;
    if (key === 'DB') db = value.value;
    if (key === 'QUERY' && value.type === 'string') {
      return querySources(tokenizeClickHouse(value.value)).map((object) => ({ action: 'reference', object, via: 'dictionary_source' }));
    }
  }
  return table ? [{ action: 'reference', object: qualified(table, db, 'table'), via: 'dictionary_source' }] : [];
}
