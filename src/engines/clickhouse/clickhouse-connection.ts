/**
 * The few operations the ClickHouse engine needs, over either a real server
 * (HTTP, `http(s)://…`) or embedded chdb (`chdb:///absolute/path`). One
 * statement per request on a server (its HTTP interface takes no more);
 * embedded chdb takes several at once (see `multiStatement`).
 *
 * @example
 * const conn = await openClickHouse('chdb:///tmp/ch')
 * await conn.command('CREATE DATABASE IF NOT EXISTS analytics')
 * const rows = await conn.rows<{ n: string }>('SELECT count() AS n FROM analytics.events')
 * await conn.close()
 */
import type { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { acquireChdb, type ChdbWait } from './chdb-registry.js';
import { onOneNode } from './one-node-cluster.js';

export interface ClickHouseConnection {
  /**
   * Runs one statement; `database` is the current database for unqualified names,
   * `settings` hold for this statement only. Returns rows written when reported.
   */
  command(sql: string, database?: string, settings?: Readonly<Record<string, string>>): Promise<{ writtenRows?: number; notes?: readonly string[] }>;
  rows<T>(sql: string, database?: string): Promise<T[]>;
  /** Streams the raw output of a query that carries its own FORMAT clause. */
  stream(sql: string): Promise<Readable>;
  close(): Promise<void>;
  /**
   * The data directory of embedded chdb, which no other process can open
   * while this connection is open (see chdb-holder.ts); undefined for a server.
   */
  readonly embeddedPath?: string;
  /**
   * Takes several statements, separated by `;`, in one request and runs them
   * in order, stopping at the first that fails (embedded chdb); a server's
   * HTTP interface takes one statement per request.
   */
  readonly multiStatement?: boolean;
}

/** The path of a `chdb://` URL, or undefined for a server URL. */
export function chdbPath(url: string): string | undefined {
  return url.startsWith('chdb://') ? decodeURIComponent(url.slice('chdb://'.length).split('?')[0]!) : undefined;
}

/** The one-node clusters a `chdb://path?clusters=a,b` URL asks for. */
export function chdbClusters(url: string): string[] {
  const q = url.indexOf('?');
  const list = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('clusters');
  return list ? list.split(',').filter(Boolean) : [];
}

/**
 * `cluster`: the store's, which an embedded engine must define. An embedded
 * engine with clusters runs every statement as their one node would (see
 * one-node-cluster.ts) and reports each rewrite in `notes`. `wait`: how long
 * to wait while another process has an embedded engine's directory open.
 */
export async function openClickHouse(url: string, options: { cluster?: string; wait?: ChdbWait } = {}): Promise<ClickHouseConnection> {
  const path = chdbPath(url);
  if (path !== undefined) {
    const clusters = [...new Set([...chdbClusters(url), ...(options.cluster ? [options.cluster] : [])])];
    const handle = await acquireChdb(path, clusters, options.wait);
    // chdb keeps one session: a setting given with a statement stays set after it, so it is reset at once.
    return { ...over((work, database) => handle.run(work, database), () => handle.release(), true, clusters), embeddedPath: path, multiStatement: true };
  }
  const clients = new Map<string, ClickHouseClient>();
  const clientFor = (database?: string): ClickHouseClient => {
    const key = database ?? '';
    let c = clients.get(key);
    if (!c) {
      c = createClient({ url, ...(database !== undefined ? { database } : {}) });
      clients.set(key, c);
    }
    return c;
  };
  return over(
    (work, database) => work(clientFor(database)),
    async () => { await Promise.all([...clients.values()].map((c) => c.close())); },
  );
}

type Runner = <T>(work: (client: ClickHouseClient) => Promise<T>, database?: string) => Promise<T>;

function over(run: Runner, close: () => Promise<void>, resetSettings = false, oneNode: readonly string[] = []): ClickHouseConnection {
  return {
    async command(written, database, settings) {
      const local = oneNode.length > 0 ? onOneNode(written, oneNode) : undefined;
      const sql = local?.sql ?? written;
      const names = Object.keys(settings ?? {});
      const r = await run(async (c) => {
        if (names.length === 0) return c.command({ query: sql });
        try {
          return await c.command({ query: sql, clickhouse_settings: settings as ClickHouseSettings });
        } finally {
          if (resetSettings) await c.command({ query: `SET ${names.map((n) => `${n} = DEFAULT`).join(', ')}` });
        }
      }, database);
      const rows = r.summary?.written_rows;
      return { ...(rows !== undefined ? { writtenRows: Number(rows) } : {}), ...(local?.notes.length ? { notes: local.notes } : {}) };
    },
    rows<T>(sql: string, database?: string) {
      return run(async (c) => (await (await c.query({ query: sql, format: 'JSONEachRow' })).json()) as T[], database);
    },
    stream(sql) {
      return run(async (c) => (await c.exec({ query: sql })).stream);
    },
    close,
  };
}
