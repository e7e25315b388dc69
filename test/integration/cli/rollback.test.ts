/**
 * `topoplan rollback FILE`, run in-process against a real PostgreSQL server:
 * the dry run prints the reverts' SQL, the rollback undoes the last apply and
 * says the store is back as before; --format json prints the envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { startTestPostgres, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let pgServer: TestEngine;
let topologyFile: string;

beforeAll(async () => {
  pgServer = await startTestPostgres();
  ({ topologyFile } = makeProject(
    { 'app/001_t.sql': 'CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n' },
    { stores: { main: { engine: 'postgres', database: 'cli_rollback', url: pgServer.url } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } },
  ));
});
afterAll(async () => {
  await pgServer?.stop();
});

describe('topoplan rollback', () => {
  it('dry run, rollback, then nothing left to roll back; exit codes 0, 0, 0 and 2 on two ways of choosing', async () => {
    expect((await cli(['apply', topologyFile])).code).toBe(0);
    const dry = await cli(['rollback', topologyFile, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^Would roll back run \S+\n/);
    expect(dry.out).toContain('      DROP INDEX public.t_id;\n      DROP TABLE public.t;');
    const done = await cli(['rollback', topologyFile, '--format', 'json']);
    expect(done.code).toBe(0);
    const env = JSON.parse(done.out) as { format: string; ok: boolean; comparisons: { differences: string[] }[] };
    expect(env).toMatchObject({ format: 'topoplan-rollback/1', ok: true, comparisons: [{ store: 'main', differences: [] }] });
    const again = await cli(['rollback', topologyFile]);
    expect(again.out).toBe('rollback: no run to roll back\n');
    expect((await cli(['rollback', topologyFile, '--all', '--to', 'x'])).code).toBe(2);
  });
});
