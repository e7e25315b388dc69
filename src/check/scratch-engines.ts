/**
 * Throwaway engines for a check: one embedded PostgreSQL server and one
 * embedded ClickHouse (chdb) in a new scratch directory, each store in its
 * own database, removed by `stop()`. They never touch a store's real URL.
 *
 * The PostgreSQL cluster runs without durability (`fsync`, synchronous
 * commits, full-page writes and WAL beyond the minimum are off: a crash only
 * loses a cluster that is deleted anyway) and is copied from an initialised
 * template kept in `cacheDir`, so a check pays `initdb` once per machine
 * rather than once per run. The scratch directory is made in memory
 * (`/dev/shm`) where there is one with room to spare: a check's files are
 * written once and thrown away, so a busy disk need not slow it. Neo4j has no embedded engine: its stores use
 * `neo4jUrl` when given, else they are not checked.
 *
 * @example
 * const scratch = await startScratchEngines(plan, {})
 * try { await applyPlan(plan, { connections: scratch.connections, workDir: scratch.dir }) }
 * finally { await scratch.stop() }
 */
import { access, cp, mkdir, mkdtemp, rename, rm, statfs } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { acquireChdb, type ChdbHandle } from '../engines/clickhouse/chdb-registry.js';
import { chdbPath } from '../engines/clickhouse/clickhouse-connection.js';
import { embeddedClickHouseUrl } from '../engines/embedded/embedded-clickhouse-url.js';
import { findPostgresBinaries } from '../engines/embedded/postgres-binaries.js';
import { serverUser } from '../engines/embedded/server-user.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../engines/embedded/start-embedded-postgres.js';
import { TopoplanError } from '../errors.js';
import type { PlanStore } from '../plan/model.js';
import { chownTree } from './chown-tree.js';

const run = promisify(execFile);

/** Settings of the throwaway PostgreSQL cluster: nothing it does needs to survive a crash. */
export const SCRATCH_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  autovacuum: 'off',
  checkpoint_timeout: '1h',
};

export interface ScratchOptions {
  /** Where the scratch directory is made; default `/dev/shm` when it has a gigabyte free, else the system temp directory. */
  readonly parentDir?: string;
  /** Where the initialised PostgreSQL template is kept between checks; default `<tmp>/topoplan-check-cache`. */
  readonly cacheDir?: string;
  /** A throwaway Neo4j server for Neo4j stores; without it they are not checked. */
  readonly neo4jUrl?: string;
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
  stop(): Promise<void>;
}

export async function startScratchEngines(stores: readonly PlanStore[], options: ScratchSetup = {}): Promise<ScratchEngines> {
  const parent = path.resolve(options.parentDir ?? (await defaultParent()));
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, 'topoplan-check-'));
  const user = await serverUser();
  if (user.uid !== undefined) await chownTree(dir, user);
  const connections: Record<string, string | undefined> = {};
  const reasons: Record<string, string> = {};
  const notes: string[] = [];
  let pg: EmbeddedPostgres | undefined;
  let ch: ChdbHandle | undefined;
  const stop = async () => {
    await Promise.all([ch?.release().catch(() => undefined), pg?.stop().catch(() => undefined)]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const engines = new Set(stores.map((s) => s.engine));
    const clusters = [...(options.clusters ?? [])];
    const chUrl = engines.has('clickhouse') ? await embeddedClickHouseUrl(path.join(dir, 'clickhouse'), clusters) : undefined;
    // Both engines start at once: PostgreSQL waits on its server process, chdb on loading its library.
    const [pgStarted, chStarted] = await Promise.allSettled([
      engines.has('postgres') ? startScratchPostgres(path.join(dir, 'postgres'), options.cacheDir ?? path.join(os.tmpdir(), 'topoplan-check-cache')) : undefined,
      chUrl ? openScratchClickHouse(chUrl, clusters) : undefined,
    ]);
    if (pgStarted.status === 'fulfilled') pg = pgStarted.value;
    if (chStarted.status === 'fulfilled') ch = chStarted.value;
    if (pgStarted.status === 'rejected') throw pgStarted.reason;
    if (chStarted.status === 'rejected') throw chStarted.reason;
    if (pg) notes.push(`scratch PostgreSQL (${pg.source}), durability off`);
    if (ch) notes.push(`scratch ClickHouse (chdb)${clusters.length > 0 ? ` as a one-node cluster ${clusters.map((c) => `"${c}"`).join(', ')}` : ''}`);
    for (const s of stores) {
      if (s.engine === 'postgres') connections[s.name] = pg!.url;
      else if (s.engine === 'clickhouse') connections[s.name] = chUrl;
      else if (options.neo4jUrl) connections[s.name] = options.neo4jUrl;
      else {
        connections[s.name] = undefined;
        reasons[s.name] = `store "${s.name}" (neo4j): not checked: Neo4j has no embedded engine; give a throwaway server with --neo4j-url`;
      }
    }
    return { dir, connections, reasons, notes, stop };
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

async function startScratchPostgres(dir: string, cacheDir: string): Promise<EmbeddedPostgres> {
  await copyTree(await postgresTemplate(cacheDir), dir);
  return startEmbeddedPostgres({ dir, settings: SCRATCH_POSTGRES_SETTINGS, stopMode: 'immediate', stopWaitMs: 0 });
}

/**
 * An initialised, cleanly stopped cluster for the binaries found, made once:
 * in a directory of its own, then renamed into place, so two checks making
 * it at once each get a complete one.
 */
async function postgresTemplate(cacheDir: string): Promise<string> {
  const bins = await findPostgresBinaries();
  const template = path.join(path.resolve(cacheDir), `postgres-${bins.source}-${bins.major}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  // The server's own user must be able to enter it.
  await mkdir(path.dirname(template), { recursive: true, mode: 0o755 });
  const building = await mkdtemp(`${template}.building-`);
  try {
    // One-megabyte WAL segments: the template, and so every copy of it, is 16 MB smaller.
    const server = await startEmbeddedPostgres({ dir: building, stopWaitMs: 0, initdbArgs: ['--wal-segsize=1'], settings: { min_wal_size: '2MB', max_wal_size: '32MB' } });
    await server.stop();
    await rm(path.join(building, 'topoplan-server.log'), { force: true });
    await rename(building, template).catch(async (e: NodeJS.ErrnoException) => {
      // Another check made it first: use theirs.
      if (!existsSync(path.join(template, 'PG_VERSION'))) throw e;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

/** `cp -a` keeps owners and modes and is several times faster than copying file by file from Node; elsewhere, copy and hand the tree to the server's user. */
async function copyTree(from: string, to: string): Promise<void> {
  if (process.platform !== 'win32') {
    try {
      await run('cp', ['-a', from, to]);
      return;
    } catch {
      await rm(to, { recursive: true, force: true });
    }
  }
  await cp(from, to, { recursive: true });
  await chownTree(to, await serverUser());
}

/** Memory where the system has a tmpfs with room to spare, else the temp directory. */
async function defaultParent(): Promise<string> {
  const shm = '/dev/shm';
  try {
    const fs = await statfs(shm);
    await access(shm, constants.W_OK);
    if (fs.bavail * fs.bsize > 1024 ** 3) return shm;
  } catch {
    // No /dev/shm here.
  }
  return os.tmpdir();
}
