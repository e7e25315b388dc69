import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { access, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/engines/embedded/start-embedded-postgres.js';
import { readPostmasterPid } from '../../../src/engines/embedded/postmaster-pid.js';
import { startLockFile } from '../../../src/engines/embedded/start-lock.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { tempDir } from '../../helpers/engines.js';
import { makeStep } from '../../helpers/steps.js';

const run = promisify(execFile);
const root = await tempDir('embedded');
const started: EmbeddedPostgres[] = [];

afterAll(async () => {
  for (const s of started.reverse()) await s.stop();
  await rm(root, { recursive: true, force: true });
});

/** The port the server at `url` says it listens on: proves it still answers. */
async function serverPort(url: string): Promise<number> {
  const c = new pg.Client(url);
  await c.connect();
  try { return Number((await c.query<{ port: string }>(`SELECT current_setting('port') AS port`)).rows[0]!.port); }
  finally { await c.end(); }
}

/** A second process using the server on `dir`: it joins, then runs a query and lets go when told ('go' on its stdin). */
function secondProcess(dir: string) {
  const script = `import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('src/engines/embedded/start-embedded-postgres.ts'))};
    import pg from 'pg'; import { createInterface } from 'node:readline';
    const s = await startEmbeddedPostgres({ dir: ${JSON.stringify(dir)}, stopWaitMs: 0 });
    console.log(JSON.stringify({ joined: !s.started }));
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) if (line === 'go') break;
    const c = new pg.Client(s.url); await c.connect();
    const r = await c.query('SELECT count(*)::int AS n FROM pg_class'); await c.end();
    console.log(JSON.stringify({ queried: r.rows[0].n > 0 }));
    await s.stop(); console.log(JSON.stringify({ stopped: true })); process.stdin.destroy();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    next: async () => JSON.parse(((await lines.next()).value as string | undefined) ?? 'null') as Record<string, boolean> | null,
    go: () => child.stdin!.write('go\n'),
    exited: once(child, 'exit'),
  };
}

describe('startEmbeddedPostgres', () => {
  it('lets a second process attach to the server the first started on the same directory', async () => {
    const dir = path.join(root, 'shared');
    const first = await startEmbeddedPostgres({ dir, stopWaitMs: 2_000 });
    started.push(first);
    expect(first.started).toBe(true);
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(path.resolve('src/engines/embedded/start-embedded-postgres.ts'))};
      const s = await startEmbeddedPostgres({ dir: ${JSON.stringify(dir)} }); console.log(JSON.stringify({ url: s.url, started: s.started, source: s.source })); await s.stop();`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
    const second = JSON.parse(stdout.trim().split('\n').pop()!) as { url: string; started: boolean; source: string };
    expect(second).toEqual({ url: first.url, started: false, source: first.source });
    // The attaching process's stop() must not stop the server it did not start.
    expect(await serverPort(first.url)).toBe(Number(new URL(first.url).port));
  });

  it('two processes on one directory: the one that started the server ends first, the other finishes and stops it', async () => {
    const dir = path.join(root, 'two-users');
    const first = await startEmbeddedPostgres({ dir, stopWaitMs: 0 });
    expect(first.started).toBe(true);
    const second = secondProcess(dir);
    expect(await second.next()).toEqual({ joined: true });
    await first.stop();
    expect(await serverPort(first.url)).toBe(Number(new URL(first.url).port));
    second.go();
    expect(await second.next()).toEqual({ queried: true });
    expect(await second.next()).toEqual({ stopped: true });
    await second.exited;
    expect((await readPostmasterPid(dir))?.alive ?? false).toBe(false);
  });

  it('one process: a handle opened while another is letting go keeps the server', async () => {
    const dir = path.join(root, 'rejoin');
    const first = await startEmbeddedPostgres({ dir, stopWaitMs: 10_000 });
    // A client that is not a run holds the first stop() in its wait for other clients.
    const client = new pg.Client(first.url);
    await client.connect();
    const stopping = first.stop();
    const second = await startEmbeddedPostgres({ dir, stopWaitMs: 0 });
    await client.end();
    await stopping;
    expect(await serverPort(second.url)).toBe(Number(new URL(second.url).port));
    await second.stop();
    expect((await readPostmasterPid(dir))?.alive ?? false).toBe(false);
  });

  it('a user that died without letting go does not keep the server running', async () => {
    const dir = path.join(root, 'dead-user');
    const server = await startEmbeddedPostgres({ dir, stopWaitMs: 0 });
    const users = JSON.parse(await readFile(path.join(dir, 'topoplan-users.json'), 'utf8')) as Array<Record<string, unknown>>;
    const dead = Number((await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])).stdout);
    writeFileSync(path.join(dir, 'topoplan-users.json'), JSON.stringify([...users, { ...users[0], pid: dead }]));
    await server.stop();
    expect((await readPostmasterPid(dir))?.alive ?? false).toBe(false);
  });

  it('a run killed during initdb leaves its half-built cluster and password file, which the next run removes', async () => {
    const dir = path.join(root, 'killed-initdb');
    const dead = Number((await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])).stdout);
    const building = `${dir}.initdb-${dead}`;
    await mkdir(building);
    writeFileSync(path.join(building, 'PG_VERSION'), '15\n');
    writeFileSync(`${building}.pw`, 'topoplan\n');
    const server = await startEmbeddedPostgres({ dir, stopWaitMs: 0 });
    started.push(server);
    expect((await readdir(root)).filter((n) => n.startsWith('killed-initdb.'))).toEqual([]);
  });

  it('a run killed while starting the server leaves a lock the next run takes over at once', async () => {
    const dir = path.join(root, 'killed-start');
    const script = `import { withStartLock } from ${JSON.stringify(path.resolve('src/engines/embedded/start-lock.ts'))};
      await withStartLock(${JSON.stringify(dir)}, async () => { console.log('locked'); await new Promise(() => setInterval(() => undefined, 1000)); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(createInterface({ input: child.stdout! }), 'line');
    child.kill('SIGKILL');
    await once(child, 'exit');
    await access(startLockFile(dir));
    const notes: string[] = [];
    const began = Date.now();
    const server = await startEmbeddedPostgres({ dir, stopWaitMs: 0, onNote: (n) => notes.push(n) });
    started.push(server);
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^took over the start lock of embedded PostgreSQL on ${dir} from .* pid ${child.pid} that no longer runs`))]);
  });

  it('falls back to Debian binaries and backs a table up with its definition and rows', async () => {
    const hasDebian = await access('/usr/lib/postgresql/15/bin/pg_ctl').then(() => true, () => false);
    if (!hasDebian) { console.info('embedded: debian PostgreSQL 15 not installed, fallback not exercised'); return; }
    const server = await startEmbeddedPostgres({ dir: path.join(root, 'debian'), prefer: 'debian', stopWaitMs: 2_000 });
    started.push(server);
    expect(server.source).toBe('debian-postgresql-15');
    const session = await postgresEngine.connect({ store: 'old', database: 'postgres', url: server.url });
    try {
      await session.applyStep(makeStep({ id: 'old:001', statements: ['CREATE TABLE kept (id int)', 'INSERT INTO kept VALUES (1), (2)'], database: 'postgres' }), { workDir: root });
      const [file] = await session.backupTables(['public.kept'], path.join(root, 'backup'));
      expect(file).toMatchObject({ table: 'public.kept', rows: 2 });
      expect(await readFile(file!.path, 'utf8')).toBe('id\n1\n2\n');
      const manifest = JSON.parse(await readFile(file!.manifest!, 'utf8'));
      expect(manifest.objects[0].create).toEqual(['CREATE TABLE "public"."kept" (\n  "id" integer\n)']);
    } finally {
      await session.close();
    }
  });
});
