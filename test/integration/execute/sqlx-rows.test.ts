/**
 * Apply keeps `_sqlx_migrations` true to the files: an applied file edited in
 * ways topoplan's own ledger does not count (white space, a comment, line
 * endings) still changes the checksum sqlx compares at start-up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { loadTopology } from '../../../src/topology/index.js';
import { startTestPostgres, tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';
import { describeSqlxProblems, sqlxConformance, sqlxSetup } from '../../helpers/sqlx-conformance.js';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

const files = {
  'ledger/migrations/001_create_entries.sql': '-- entries of the books\nCREATE TABLE entries (\n  id bigserial PRIMARY KEY,\n  amount_cents bigint NOT NULL\n);\nCREATE INDEX entries_amount ON entries (amount_cents);\n',
  'ledger/migrations/002_create_accounts.sql': 'CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);\n',
};

function project(database: string) {
  return makeProject(files, {
    stores: { books: { engine: 'postgres', database } },
    sets: { ledger: { dir: 'ledger/migrations' } },
    services: { 'ledger-service': { stores: { postgres: 'books' }, sets: ['ledger'], owns: ['entries', 'accounts'], ledger: 'sqlx', sqlx: { table: '_sqlx_migrations_ledger' } } },
  });
}

async function run(topologyFile: string, rerecord = false): Promise<ApplyResult> {
  const plan = await planMigration(topologyFile, { env: {} });
  return applyPlan(plan, { connections: { books: server.url }, workDir: await tempDir('sqlx-rows'), rerecord, verify: false });
}

async function verdict(topologyFile: string, database: string): Promise<string> {
  const { topology } = await loadTopology(topologyFile, { env: {} });
  const url = new URL(server.url);
  url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try { return describeSqlxProblems(await sqlxConformance(c, sqlxSetup(topology!, topology!.services.get('ledger-service')!))); } finally { await c.end(); }
}

describe('sqlx rows after an applied file is edited', () => {
  it.each([
    ['line endings only (CRLF)', (t: string) => t.replace(/\n/g, '\r\n'), '(only line endings changed: CRLF now, LF when applied)'],
    ['a comment only', (t: string) => t.replace('-- entries of the books', '-- entries of the books, in cents'), 'the change is outside them'],
    ['white space inside a statement', (t: string) => t.replace('  amount_cents bigint', '  amount_cents  bigint'), '+   amount_cents  bigint'],
  ])('%s: apply fails naming the file and showing the change; --rerecord updates the checksum sqlx compares', async (_what, edit, shown) => {
    const database = `books_${_what.replace(/\W+/g, '_').slice(0, 20)}`;
    const { dir, topologyFile } = project(database);
    expect((await run(topologyFile)).ok).toBe(true);
    expect(await verdict(topologyFile, database)).toBe('accepted');
    const rel = 'ledger/migrations/001_create_entries.sql';
    writeFileSync(join(dir, rel), edit(files[rel]));
    expect(await verdict(topologyFile, database)).toBe('VersionMismatch(1)');

    const failed = (await run(topologyFile)).steps.filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error!.file).toBe(rel);
    expect(failed[0]!.error!.message).toContain('VersionMismatch(1)');
    expect(failed[0]!.error!.message).toContain('version 1 of public._sqlx_migrations_ledger');
    expect(failed[0]!.error!.message).toContain(shown);
    expect(failed[0]!.error!.message).toContain('--rerecord');

    const accepted = await run(topologyFile, true);
    expect(accepted.ok).toBe(true);
    expect(accepted.steps.map((s) => s.reason).join('\n')).toContain('re-recorded the sqlx checksum of version 1');
    expect(await verdict(topologyFile, database)).toBe('accepted');
    const again = await run(topologyFile);
    expect(again.ok).toBe(true);
    expect(again.steps.every((s) => s.status === 'already-applied' && !s.reason)).toBe(true);
  });

  it('a row missing from an applied file is written again', async () => {
    const { topologyFile } = project('books_missing');
    expect((await run(topologyFile)).ok).toBe(true);
    const url = new URL(server.url);
    url.pathname = '/books_missing';
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('DELETE FROM _sqlx_migrations_ledger WHERE version = 2');
    await c.end();
    expect(await verdict(topologyFile, 'books_missing')).toBe('would run 2 at start-up');
    const r = await run(topologyFile);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.reason).filter(Boolean)).toEqual(['recorded its missing sqlx row (version 2 of public._sqlx_migrations_ledger)']);
    expect(await verdict(topologyFile, 'books_missing')).toBe('accepted');
  });
});
