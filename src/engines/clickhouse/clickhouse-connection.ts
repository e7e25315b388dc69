/**
 * The few operations the ClickHouse engine needs, over either a real server
 * (HTTP, `http(s)://…`) or embedded chdb (`chdb:///absolute/path`). One
 * statement per request: a server's HTTP interface takes no more.
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
import { acquireChdb } from './chdb-registry.js';

export interface ClickHouseConnection {
  /**
   * Runs one statement; `database` is the current database for unqualified names,
   * `settings` hold for this statement only. Returns rows written when reported.
   */
  command(sql: string, database?: string, settings?: Readonly<Record<string, string>>): Promise<{ writtenRows?: number }>;
  rows<T>(sql: string, database?: string): Promise<T[]>;
  /** Streams the raw output of a query that carries its own FORMAT clause. */
  stream(sql: string): Promise<Readable>;
  close(): Promise<void>;
}

/** The path of a `chdb://` URL, or undefined for a server URL. */
export function chdbPath(url: string): string | undefined {
  return url.startsWith('chdb://') ? decodeURIComponent(url.slice('chdb://'.length)) : undefined;
}

export async function openClickHouse(url: string): Promise<ClickHouseConnection> {
  const path = chdbPath(url);
  if (path !== undefined) {
    const handle = await acquireChdb(path);
    // chdb keeps one session: a setting given with a statement stays set after it, so it is reset at once.
    return over((work, database) => handle.run(work, database), () => handle.release(), true);
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

function over(run: Runner, close: () => Promise<void>, resetSettings = false): ClickHouseConnection {
  return {
    async command(sql, database, settings) {
      const names = Object.keys(settings ?? {});
      const r = await run(async (c) => {
        if (names.length === 0) return c.command({ query: sql });
        try {
          return await c.command({ query: sql, clickhouse_settings: settings as ClickHouseSettings });
        } finally {
          if (resetSettings) await c.command({ query: `SET ${names.map((n) => `${n} = DEFAULT`).join(', ')}` });
        }
      }, database);
      const written = r.summary?.written_rows;
      return written !== undefined ? { writtenRows: Number(written) } : {};
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
