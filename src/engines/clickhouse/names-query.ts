/**
 * The names of what several databases hold (tables and views, with a
 * materialized view's definition and data-skipping indexes for `names`), in
 * one query: what name expectations check. Asked for databases of one
 * embedded chdb in the same turn of the event loop (the expectations of an
 * apply's stores, one store per database), the databases are read together:
 * a query costs chdb about a millisecond of its own, and reading
 * `system.tables` about as much again.
 *
 * @example
 * const [logs, meta] = await Promise.all([namesIn(connA, 'obs_logs', 'tables'), namesIn(connB, 'obs_meta', 'tables')]) // one query
 * logs // [{ object: 'logs_local', engine: 'MergeTree', def: '', index: '' }, ...]
 */
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chString } from './clickhouse-sql.js';

/** One name: a table or view (`index` empty), or a data-skipping index of table `object`. */
export interface NameRow {
  readonly object: string;
  readonly engine: string;
  /** A materialized view's CREATE statement (scope `names`), else empty. */
  readonly def: string;
  readonly index: string;
}

export type NamesScope = 'names' | 'tables';

interface Waiting {
  readonly conn: ClickHouseConnection;
  readonly asked: Map<string, { resolve: (rows: NameRow[]) => void; reject: (e: unknown) => void }[]>;
}

/** Databases asked for per embedded data directory and scope, not read yet. */
const waiting = new Map<string, Waiting>();

export function namesIn(conn: ClickHouseConnection, database: string, scope: NamesScope): Promise<NameRow[]> {
  if (conn.embeddedPath === undefined) return readNames(conn, [database], scope).then((rows) => rows.map(({ database: _, ...r }) => r));
  const key = `${scope}\u0000${conn.embeddedPath}`;
  let w = waiting.get(key);
  if (!w) {
    const batch: Waiting = { conn, asked: new Map() };
    waiting.set(key, batch);
    w = batch;
    queueMicrotask(() => {
      waiting.delete(key);
      void flush(batch, scope);
    });
  }
  const asked = w.asked;
  return new Promise((resolve, reject) => asked.set(database, [...(asked.get(database) ?? []), { resolve, reject }]));
}

async function flush(w: Waiting, scope: NamesScope): Promise<void> {
  try {
    const rows = await readNames(w.conn, [...w.asked.keys()], scope);
    for (const [database, callers] of w.asked) {
      const own = rows.filter((r) => r.database === database).map(({ database: _, ...r }) => r);
      for (const c of callers) c.resolve(own);
    }
  } catch (e) {
    for (const callers of w.asked.values()) for (const c of callers) c.reject(e);
  }
}

/** A database that does not exist has no rows, so it is not asked about first. */
function readNames(conn: ClickHouseConnection, databases: readonly string[], scope: NamesScope): Promise<(NameRow & { database: string })[]> {
  const dbs = databases.length === 1 ? `= ${chString(databases[0]!)}` : `IN (${databases.map(chString).join(', ')})`;
  const indexes = scope === 'names';
  // Output names differ from the columns read: an alias would shadow the column it is named after.
  return conn.rows<NameRow & { database: string }>(
    `SELECT database, name AS object, engine, ${indexes ? "if(engine = 'MaterializedView', create_table_query, '')" : "''"} AS def, '' AS index FROM system.tables
      WHERE database ${dbs} AND name NOT LIKE '.inner%' AND name NOT IN ('topoplan_ledger', 'topoplan_ledger_upgrade')` +
      (indexes ? ` UNION ALL SELECT database, table AS object, '' AS engine, '' AS def, name AS index FROM system.data_skipping_indices WHERE database ${dbs}` : ''),
  );
}
