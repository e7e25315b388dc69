/**
 * `topoplan url` and `topoplan stop` against the real embedded PostgreSQL:
 * the URL connects after the command has ended, and stop ends the server.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readPostmasterPid } from '../../../src/engines/embedded/postmaster-pid.js';
import { cli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

const { dir, topologyFile } = makeProject(
  { 'app/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO accounts VALUES (1, \'ada\');\n', 'events/001_e.sql': 'CREATE TABLE e (id UInt8) ENGINE = MergeTree ORDER BY id;\n' },
  {
    stores: { main: { engine: 'postgres', database: 'url_main' }, events: { engine: 'clickhouse', database: 'url_events' } },
    sets: { app: { dir: 'app' }, events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } },
    services: { app: { stores: { postgres: 'main', clickhouse: 'events' }, sets: ['app', 'events'] } },
  },
);
const pgDir = join(dir, '.topoplan', 'postgres');
// The server runs as the postgres user when the tests run as root: it must reach its data directory.
chmodSync(dir, 0o755);

afterAll(async () => {
  await cli(['stop', topologyFile]);
});

describe('topoplan url / stop', () => {
  it('prints a URL that connects after the command ended; stop ends the server', async () => {
    const apply = await cli(['apply', topologyFile]);
    expect(apply.code, apply.err + apply.out).toBe(0);
    expect(existsSync(pgDir)).toBe(true);
    expect(apply.err).toContain('topoplan: embedded PostgreSQL');
    expect(apply.out).not.toContain('embedded PostgreSQL');
    expect(apply.out).toMatch(/^applied +main:app\/001_accounts\.sql#1-2/m);

    const again = await cli(['apply', topologyFile]);
    expect(again.code, again.err).toBe(0);
    const steps = (JSON.parse((await cli(['plan', topologyFile, '--json'])).out) as { steps: unknown[] }).steps.length;
    expect(again.out).toBe(`No changes: ${steps} steps already applied\n`);
    const envelope = JSON.parse((await cli(['apply', topologyFile, '--format', 'json'])).out) as { format: string; ok: boolean; steps: { status: string }[] };
    expect(envelope.format).toBe('topoplan-apply/1');
    expect(envelope.ok).toBe(true);
    expect(envelope.steps.every((x) => x.status === 'already-applied')).toBe(true);
    expect((await readPostmasterPid(pgDir))?.alive ?? false).toBe(false);

    const r = await cli(['url', topologyFile, '--store', 'main']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^postgres:\/\/postgres:topoplan@127\.0\.0\.1:\d+\/url_main\n$/);
    expect(r.err).toContain('keeps running until: topoplan stop');
    const client = new pg.Client({ connectionString: r.out.trim() });
    await client.connect();
    expect((await client.query<{ name: string }>('SELECT name FROM accounts')).rows).toEqual([{ name: 'ada' }]);
    await client.end();

    const joined = await cli(['url', topologyFile, '--store', 'main']);
    expect(joined.out).toBe(r.out);
    expect(joined.err).toContain('embedded PostgreSQL runs with data in');

    const stop = await cli(['stop', topologyFile]);
    expect(stop.code, stop.err).toBe(0);
    expect(stop.err).toMatch(/stop: embedded PostgreSQL \(pid \d+\) in .* stopped/);
    expect((await readPostmasterPid(pgDir))?.alive ?? false).toBe(false);
    expect((await cli(['stop', topologyFile])).err).toContain('stop: no embedded PostgreSQL runs in');
  });

  it('a store on embedded ClickHouse or an unknown store says what to do instead', async () => {
    const ch = await cli(['url', topologyFile, '--store', 'events']);
    expect(ch.code).toBe(1);
    expect(ch.err).toContain('uses embedded ClickHouse (chdb), which runs inside topoplan and has no server to connect to');
    expect(ch.err).toContain(`hint: read its data with clickhouse local --path ${join(dir, '.topoplan', 'clickhouse')}`);
    const unknown = await cli(['url', topologyFile, '--store', 'mian']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('did you mean "main"?');
  });
});
