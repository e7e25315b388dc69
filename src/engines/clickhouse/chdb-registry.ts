/**
 * One embedded chdb client per data path per process. chdb opens a data
 * directory once per process (a second open of another path, or of the same
 * path from another process, is refused), so every store pointing at the same
 * `chdb://` path shares this client; it is closed when the last user releases it.
 * chdb ignores the client's `database` setting, so the current database is
 * switched with `USE`, and operations are queued so a switch is never
 * interleaved with another store's statement.
 *
 * Clusters: the first open of a path can define one-node clusters (every
 * name in `clusters`, `remote_servers` pointing at this process itself, with
 * `{cluster}`, `{shard}` and `{replica}` macros), so Distributed tables over
 * them read and write locally. chdb takes server configuration only when a
 * data directory is first opened in a process, so a later store needing a
 * cluster the open one lacks is refused with a message saying so.
 *
 * Another process: chdb takes one process per data directory, so while
 * another process has the path open, acquiring waits for it to close it
 * (up to `wait.timeoutMs`), saying once that it waits and for whom.
 *
 * @example
 * const handle = await acquireChdb('/data/ch')
 * await handle.run((client) => client.command({ query: 'SELECT 1' }), 'analytics')
 * await handle.release()
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TopoplanError } from '../../errors.js';
import { chdbHolder } from './chdb-holder.js';
import { chIdent } from './clickhouse-sql.js';

interface Shared {
  client: ClickHouseClient;
  refs: number;
  current: string | undefined;
  queue: Promise<unknown>;
  clusters: readonly string[];
  /** The engine session that holds the configuration; closed with the client. */
  configured?: { close(): void };
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

/** How to wait for another process that has the data directory open. */
export interface ChdbWait {
  /** How long to wait. Default 30 s. */
  readonly timeoutMs?: number;
  /** Stops waiting: the acquire rejects. */
  readonly signal?: AbortSignal;
  /** Told once, when this process starts waiting. */
  readonly onNote?: (message: string) => void;
}

const opening = new Map<string, Promise<Shared>>();

export async function acquireChdb(path: string, clusters: readonly string[] = [], wait: ChdbWait = {}): Promise<ChdbHandle> {
  let shared = open.get(path);
  if (!shared) {
    // Two stores of one process opening the same path at once share one open (and one wait).
    let pending = opening.get(path);
    if (!pending) {
      pending = openShared(path, clusters, wait).finally(() => opening.delete(path));
      opening.set(path, pending);
    }
    shared = await pending;
  }
  const missing = clusters.filter((c) => !shared!.clusters.includes(c));
  if (missing.length > 0) {
    throw new TopoplanError('engine.chdb_cluster', `engine: embedded ClickHouse at "${path}" is already open in this process without cluster${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}: chdb takes its configuration when a data directory is first opened`, [], {});
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
      s.configured?.close();
    },
  };
}

/**
 * Opens `path` in this process, first waiting while another process has it
 * open: chdb takes one process per data directory, and a second open fails.
 */
async function openShared(path: string, clusters: readonly string[], wait: ChdbWait): Promise<Shared> {
  const { createChdbConnection } = await loadChdb();
  const deadline = Date.now() + (wait.timeoutMs ?? 30_000);
  const noted = { value: false };
  for (;;) {
    await waitForOtherProcess(path, deadline, wait, noted);
    let configured: { close(): void } | undefined;
    try {
      configured = clusters.length > 0 ? await configureClusters(path, clusters) : undefined;
      // chdb's connection implements @clickhouse/client's Connection contract; its types come from its own copy of client-common.
      const connection = createChdbConnection({ path }) as NonNullable<Parameters<typeof createClient>[0]>['connection'];
      const shared: Shared = { client: createClient({ ...(connection ? { connection } : {}) }), refs: 0, current: undefined, queue: Promise.resolve(), clusters: [...clusters].sort(), ...(configured ? { configured } : {}) };
      open.set(path, shared);
      return shared;
    } catch (e) {
      configured?.close();
      // Another process opened it between the look and the open: wait for that one too.
      if (chdbHolder(path) === undefined) throw e;
    }
  }
}

async function waitForOtherProcess(path: string, deadline: number, wait: ChdbWait, noted: { value: boolean }): Promise<void> {
  for (;;) {
    const pid = chdbHolder(path);
    if (pid === undefined) return;
    if (wait.signal?.aborted) throw new TopoplanError('engine.chdb_busy', `engine: stopped waiting for pid ${pid}, which has embedded ClickHouse at ${path} open`);
    if (!noted.value) {
      noted.value = true;
      wait.onNote?.(`embedded ClickHouse at ${path} is open in pid ${pid}: waiting for it to end (embedded ClickHouse takes one process at a time)`);
    }
    if (Date.now() >= deadline) {
      throw new TopoplanError(
        'engine.chdb_busy',
        `engine: embedded ClickHouse at ${path} is still open in pid ${pid} after ${Math.round((wait.timeoutMs ?? 30_000) / 1000)} s (embedded ClickHouse takes one process at a time); run again when that process ends, or wait longer with --lock-timeout`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens the data directory with a configuration that defines each cluster as
 * this one node (tcp_port matches the replica's port, so ClickHouse takes the
 * replica for local and queries it in process).
 */
async function configureClusters(path: string, clusters: readonly string[]): Promise<{ close(): void }> {
  const sorted = [...clusters].sort();
  const xml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const config = `<clickhouse>
  <tcp_port>9000</tcp_port>
  <remote_servers>
${sorted.map((c) => `    <${xml(c)}><shard><replica><host>localhost</host><port>9000</port></replica></shard></${xml(c)}>`).join('\n')}
  </remote_servers>
  <macros><cluster>${xml(sorted[0]!)}</cluster><shard>01</shard><replica>embedded</replica></macros>
</clickhouse>
`;
  await mkdir(path, { recursive: true });
  const file = join(path, 'topoplan-clusters.xml');
  await writeFile(file, config);
  let mod: { Session?: new (path: string, opts: { connectionArgs: string[] }) => { close(): void } };
  try {
    mod = (await import('chdb')) as typeof mod;
  } catch (e) {
    throw new TopoplanError('engine.chdb_missing', 'engine: embedded ClickHouse needs the optional package "chdb": install it with `npm install chdb`', [], { cause: e });
  }
  const Session = mod.Session ?? (mod as { default?: typeof mod }).default?.Session;
  if (!Session) throw new TopoplanError('engine.chdb_missing', 'engine: the installed "chdb" has no Session export to configure clusters with', []);
  return new Session(path, { connectionArgs: [`--config-file=${file}`] });
}
