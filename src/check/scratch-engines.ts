/**
 * Throwaway engines for a check: one embedded PostgreSQL server and one
 * embedded ClickHouse (chdb) in a new scratch directory, each store in its
 * own database, removed by `stop()`. They never touch a store's real URL.
 * The PostgreSQL server runs without durability (see {@link beginScratch});
 * chdb opens while it starts. Neo4j has no embedded engine: its stores use
 * `neo4jUrl` when given, else they are not checked.
 *
 * @example
 * const scratch = await startScratchEngines(plan, {})
 * try { await applyPlan(plan, { connections: scratch.connections, workDir: scratch.dir }) }
 * finally { await scratch.stop() }
 */
import path from 'node:path';
import { acquireChdb, type ChdbHandle } from '../engines/clickhouse/chdb-registry.js';
import { chdbPath } from '../engines/clickhouse/clickhouse-connection.js';
import { embeddedClickHouseUrl } from '../engines/embedded/embedded-clickhouse-url.js';
import type { EmbeddedPostgres } from '../engines/embedded/start-embedded-postgres.js';
import { TopoplanError } from '../errors.js';
import type { PlanStore } from '../plan/model.js';
import type { EngineName } from '../sql/effects.js';
import { resetScratchClickHouse, resetScratchPostgres } from './reset-scratch.js';
import { beginScratch, type ScratchStart } from './scratch-start.js';

export interface ScratchOptions {
  /** Where the scratch directory is made; default `/dev/shm` when it has a gigabyte free, else the system temp directory. */
  readonly parentDir?: string;
  /** Where the initialised PostgreSQL template is kept between checks; default `<tmp>/topoplan-check-cache`. */
  readonly cacheDir?: string;
  /** A throwaway Neo4j server for Neo4j stores; without it they are not checked. */
  readonly neo4jUrl?: string;
  /** As root, create the `postgres` OS user the scratch server runs as when it is missing (default true; said so in `notes`). */
  readonly createServerUser?: boolean;
  /** Told, as it happens, what is done beyond the scratch engines themselves (an OS user created); also in `notes`. */
  readonly onNote?: (line: string) => void;
  /** The scratch directory and PostgreSQL server begun earlier (see {@link beginScratch}), to finish instead of starting anew. */
  readonly begun?: ScratchStart;
}

interface ScratchSetup extends ScratchOptions {
  /** ClickHouse clusters the plan names: the scratch chdb defines each as a one-node cluster of itself. */
  readonly clusters?: readonly string[];
}

export interface ScratchEngines {
  /** The scratch directory (absolute); removed by stop(). */
  readonly dir: string;
  /** URL per store; undefined for a store that cannot be checked (see `reasons`). */
  readonly connections: Readonly<Record<string, string | undefined>>;
  readonly reasons: Readonly<Record<string, string>>;
  /** One line per engine started. */
  readonly notes: readonly string[];
  /** The engines running and the ClickHouse clusters defined: what another plan needs to be checked on them too. */
  readonly engines: ReadonlySet<EngineName>;
  readonly clusters: readonly string[];
  /** URL per store of any plan whose engines these are (see `engines`). */
  connectionsFor(stores: readonly PlanStore[]): { connections: Record<string, string | undefined>; reasons: Record<string, string> };
  /** Drops every database, role and function a check made (see reset-scratch.ts). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startScratchEngines(stores: readonly PlanStore[], options: ScratchSetup = {}): Promise<ScratchEngines> {
  const engines = new Set(stores.map((s) => s.engine));
  const begun = options.begun ?? (await beginScratch({ ...options, postgres: engines.has('postgres') }));
  const dir = begun.dir;
  const notes: string[] = [...begun.notes];
  let pg: EmbeddedPostgres | undefined;
  let ch: ChdbHandle | undefined;
  const stop = async () => {
    await ch?.release().catch(() => undefined);
    await begun.abandon();
  };
  try {
    const clusters = [...(options.clusters ?? [])];
    const chUrl = engines.has('clickhouse') ? await embeddedClickHouseUrl(path.join(dir, 'clickhouse'), clusters) : undefined;
    // Both engines start at once: PostgreSQL waits on its server process, chdb on loading its library.
    const [pgStarted, chStarted] = await Promise.allSettled([
      engines.has('postgres') ? (begun.postgres ?? Promise.reject(new TopoplanError('check.postgres', 'check: the scratch directory was begun without PostgreSQL, and the plan has PostgreSQL stores'))) : undefined,
      chUrl ? openScratchClickHouse(chUrl, clusters) : undefined,
    ]);
    if (pgStarted.status === 'fulfilled') pg = pgStarted.value;
    if (chStarted.status === 'fulfilled') ch = chStarted.value;
    if (pgStarted.status === 'rejected') throw pgStarted.reason;
    if (chStarted.status === 'rejected') throw chStarted.reason;
    if (pg) notes.push(`scratch PostgreSQL (${pg.source}), durability off`);
    if (ch) notes.push(`scratch ClickHouse (chdb)${clusters.length > 0 ? ` as a one-node cluster ${clusters.map((c) => `"${c}"`).join(', ')}` : ''}`);
    const connectionsFor = (list: readonly PlanStore[]) => {
      const connections: Record<string, string | undefined> = {};
      const reasons: Record<string, string> = {};
      for (const s of list) {
        if (s.engine === 'postgres') connections[s.name] = pg?.url;
        else if (s.engine === 'clickhouse') connections[s.name] = chUrl;
        else if (options.neo4jUrl) connections[s.name] = options.neo4jUrl;
        else {
          connections[s.name] = undefined;
          reasons[s.name] = `store "${s.name}" (neo4j): not checked: Neo4j has no embedded engine; give a throwaway server with --neo4j-url`;
        }
      }
      return { connections, reasons };
    };
    const { connections, reasons } = connectionsFor(stores);
    const reset = async () => {
      await Promise.all([pg ? resetScratchPostgres(pg.url) : undefined, ch ? resetScratchClickHouse(ch) : undefined]);
    };
    const running = new Set<EngineName>([...(pg ? ['postgres' as const] : []), ...(ch ? ['clickhouse' as const] : [])]);
    return { dir, connections, reasons, notes, engines: running, clusters, connectionsFor, reset, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Held for the whole check, so the embedded engine is opened once, not once per session. */
async function openScratchClickHouse(url: string, clusters: readonly string[]): Promise<ChdbHandle> {
  let handle: ChdbHandle | undefined;
  try {
    handle = await acquireChdb(chdbPath(url)!, clusters);
    await handle.run((c) => c.ping());
    return handle;
  } catch (e) {
    await handle?.release().catch(() => undefined);
    throw new TopoplanError('check.clickhouse', `check: cannot start the scratch ClickHouse: ${(e as Error).message}`, [], { cause: e });
  }
}
