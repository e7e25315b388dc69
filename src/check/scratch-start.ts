/**
 * The first half of a check's throwaway engines: a new scratch directory and
 * its PostgreSQL server, begun before the plan is ready so that the server
 * starts while the plan is made (`topoplan check` plans in the meantime);
 * {@link startScratchEngines} finishes the job with the plan's stores.
 *
 * The PostgreSQL cluster runs without durability (`fsync`, synchronous
 * commits, full-page writes and WAL beyond the minimum are off: a crash only
 * loses a cluster that is deleted anyway) and is copied from an initialised
 * template kept in `cacheDir`, so a check pays `initdb` once per machine
 * rather than once per run. The scratch directory is made in memory
 * (`/dev/shm`) where there is one with room to spare: a check's files are
 * written once and thrown away, so a busy disk need not slow it.
 *
 * @example
 * const begun = await beginScratch({ postgres: true })
 * const plan = await planMigration(topology).catch(async (e) => { await begun.abandon(); throw e })
 * const result = await checkPlan(plan, { begun })
 */
import { access, cp, mkdir, mkdtemp, rename, rm, statfs } from 'node:fs/promises';
import { constants, existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBinaries } from '../engines/embedded/postgres-binaries.js';
import { serverUser } from '../engines/embedded/server-user.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../engines/embedded/start-embedded-postgres.js';
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


export interface ScratchStartOptions {
  /** Where the scratch directory is made; default `/dev/shm` when it has a gigabyte free, else the system temp directory. */
  readonly parentDir?: string;
  /** Where the initialised PostgreSQL template is kept between checks; default `<tmp>/topoplan-check-cache`. */
  readonly cacheDir?: string;
  /** Whether to start the scratch PostgreSQL server (the topology has PostgreSQL stores). */
  readonly postgres: boolean;
  /** As root, create the `postgres` OS user the server runs as when it is missing (default true; said so in `notes`). */
  readonly createServerUser?: boolean;
  /** Told each of `notes` as it happens. */
  readonly onNote?: (line: string) => void;
}

export interface ScratchStart {
  /** The scratch directory (absolute). */
  readonly dir: string;
  /** The scratch PostgreSQL server, starting; absent when it was not asked for. */
  readonly postgres?: Promise<EmbeddedPostgres>;
  /** What was done beyond the scratch engines themselves (an OS user created). */
  readonly notes: readonly string[];
  /** Stops the server and removes the directory. */
  abandon(): Promise<void>;
}

export async function beginScratch(options: ScratchStartOptions): Promise<ScratchStart> {
  const notes: string[] = [];
  // The scratch server's user is settled first, before anything is made: created (and said so) or refused.
  const note = (line: string) => {
    notes.push(line);
    options.onNote?.(line);
  };
  const user = await serverUser({ ...(options.createServerUser === false ? { create: false } : {}), onNote: note });
  const parent = path.resolve(options.parentDir ?? (await defaultParent()));
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, 'topoplan-check-'));
  if (user.uid !== undefined) await chownTree(dir, user);
  const postgres = options.postgres ? startScratchPostgres(path.join(dir, 'postgres'), options.cacheDir ?? path.join(os.tmpdir(), 'topoplan-check-cache')) : undefined;
  // Awaited later by whoever finishes the scratch engines; meanwhile a failure must not go unhandled.
  postgres?.catch(() => undefined);
  return {
    dir,
    ...(postgres ? { postgres } : {}),
    notes,
    abandon: async () => {
      await (await postgres?.catch(() => undefined))?.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
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
