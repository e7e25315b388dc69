import { execFile } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/engines/embedded/start-embedded-postgres.js';
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

  it('falls back to Debian binaries and backs up with a compatible pg_dump', async () => {
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
      expect(file!.path.endsWith('.sql')).toBe(true);
      const dump = await readFile(file!.path, 'utf8');
      expect(dump).toContain('CREATE TABLE public.kept');
      expect(dump).toMatch(/COPY public\.kept \(id\) FROM stdin;\n1\n2\n\\\./);
    } finally {
      await session.close();
    }
  });
});
