/**
 * One embedded chdb client per data path per process. chdb opens a data
 * directory once per process (a second open of another path, or of the same
 * path from another process, is refused), so every store pointing at the same
 * `chdb://` path shares this client; it is closed when the last user releases it.
 * chdb ignores the client's `database` setting, so the current database is
 * switched with `USE`, and operations are queued so a switch is never
 * interleaved with another store's statement.
 *
 * @example
 * const handle = await acquireChdb('/data/ch')
 * await handle.run((client) => client.command({ query: 'SELECT 1' }), 'analytics')
 * await handle.release()
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { TopoplanError } from '../../errors.js';
import { chIdent } from './clickhouse-sql.js';

interface Shared {
  client: ClickHouseClient;
  refs: number;
  current: string | undefined;
  queue: Promise<unknown>;
}

const open = new Map<string, Shared>();

export interface ChdbHandle {
  /** Runs `work` alone on the shared client, with `database` as the current database when given. */
  run<T>(work: (client: ClickHouseClient) => Promise<T>, database?: string): Promise<T>;
  release(): Promise<void>;
}

/** Loads `chdb/connection`, or explains how to install it. */
export async function loadChdb(): Promise<{ createChdbConnection: (o: { path: string }) => unknown }> {
  try {
    const mod = (await import('chdb/connection')) as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
    const create = (mod.createChdbConnection ?? mod.default?.createChdbConnection) as ((o: { path: string }) => unknown) | undefined;
    if (!create) throw new Error('chdb/connection has no createChdbConnection export');
    return { createChdbConnection: create };
  } catch (e) {
    throw new TopoplanError('engine.chdb_missing', 'engine: embedded ClickHouse needs the optional package "chdb": install it with `npm install chdb`', [], { cause: e });
  }
}

export async function acquireChdb(path: string): Promise<ChdbHandle> {
  let shared = open.get(path);
  if (!shared) {
    const { createChdbConnection } = await loadChdb();
    shared = open.get(path);
    if (!shared) {
      // chdb's connection implements @clickhouse/client's Connection contract; its types come from its own copy of client-common.
      const connection = createChdbConnection({ path }) as NonNullable<Parameters<typeof createClient>[0]>['connection'];
      shared = { client: createClient({ ...(connection ? { connection } : {}) }), refs: 0, current: undefined, queue: Promise.resolve() };
      open.set(path, shared);
    }
  }
  shared.refs++;
  const s = shared;
  let released = false;
  return {
    run<T>(work: (client: ClickHouseClient) => Promise<T>, database?: string): Promise<T> {
      const next = s.queue.then(async () => {
        if (database !== undefined && database !== s.current) {
          await s.client.command({ query: `USE ${chIdent(database)}` });
          s.current = database;
        }
        return work(s.client);
      });
      s.queue = next.catch(() => undefined);
      return next;
    },
    async release() {
      if (released) return;
      released = true;
      if (--s.refs > 0) return;
      open.delete(path);
      await s.queue;
      await s.client.close();
    },
  };
}
