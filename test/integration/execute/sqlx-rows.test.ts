/**
 * Apply keeps `_sqlx_migrations` true to the files: an applied file edited in
 * ways topoplan's own ledger does not count (white space, a comment, line
 * endings) still changes the checksum sqlx compares at start-up; apply and
 * status both say so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { storeStatus } from '../../../src/execute/store-status.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { loadTopology } from '../../../src/topology/index.js';
import { startTestPostgres, tempDir } from '../../helpers/engines.js';
import { cli } from '../../helpers/cli.js';
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
    stores: { books: { engine: 'postgres', database, url: server.url } },
    sets: { ledger: { dir: 'ledger/migrations' } },
    services: { 'ledger-service': { stores: { postgres: 'books' }, sets: ['ledger'], owns: ['entries', 'accounts'], ledger: 'sqlx', sqlx: { table: '_sqlx_migrations_ledger' } } },
  });
}

async function run(topologyFile: string, rerecord = false): Promise<ApplyResult> {
  const plan = await planMigration(topologyFile, { env: {} });
  const readSource = (f: string) => readFileSync(join(dirname(topologyFile), f));
  return applyPlan(plan, { connections: { books: server.url }, workDir: await tempDir('sqlx-rows'), rerecord, verify: false, readSource });
}

/** What status says of the store's sqlx rows. */
async function sqlxStatus(topologyFile: string, database: string) {
  const plan = await planMigration(topologyFile, { env: {} });
  const session = await postgresEngine.connect({ store: 'books', database, url: server.url });
  const readSource = (f: string) => readFileSync(join(dirname(topologyFile), f));
  try { return (await storeStatus(plan, new Map([['books', session]]), { readSource }))[0]!.sqlx; } finally { await session.close(); }
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
    // Every statement still reads as applied; status names the file sqlx would reject all the same.
    const listed = await sqlxStatus(topologyFile, database);
    expect(listed).toEqual([expect.objectContaining({ file: rel, version: '1', table: 'public._sqlx_migrations_ledger', problem: 'mismatch' })]);
    expect(listed[0]!.message).toContain('VersionMismatch(1)');
    expect(listed[0]!.hint).toContain('--rerecord');
    const said = await cli(['status', topologyFile]);
    expect([said.code, said.err]).toEqual([1, '']);
    expect(said.out).toContain(`sqlx row   "${rel}" changed since it was applied`);

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
    expect(await sqlxStatus(topologyFile, database)).toEqual([]);
    expect((await cli(['status', topologyFile])).code).toBe(0);
    const again = await run(topologyFile);
    expect(again.ok).toBe(true);
    expect(again.steps.every((s) => s.status === 'already-applied' && !s.reason)).toBe(true);
  });

  it('line endings changed only between statements: apply and status say so from the file\'s bytes, the line made visible', async () => {
    const database = 'books_crlf_between';
    const { dir, topologyFile } = project(database);
    expect((await run(topologyFile)).ok).toBe(true);
    const rel = 'ledger/migrations/002_create_accounts.sql';
    writeFileSync(join(dir, rel), files[rel].replace(/\n/g, '\r\n'));
    const said = '(every statement reads as it did: only its line endings changed: CRLF now, LF when applied)\n  - CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);\n  + CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);␍';
    const failed = (await run(topologyFile)).steps.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.error!.file)).toEqual([rel]);
    expect(failed[0]!.error!.message).toContain(said);
    const listed = await sqlxStatus(topologyFile, database);
    expect(listed.map((x) => x.message)).toEqual([expect.stringContaining('(VersionMismatch(2)); only its line endings changed: CRLF now, LF when applied\n  - CREATE TABLE')]);
    expect((await run(topologyFile, true)).ok).toBe(true);
    expect(await verdict(topologyFile, database)).toBe('accepted');
  });

  it('a statement edited in earnest: --rerecord takes its new text and the new checksum together', async () => {
    const database = 'books_edited';
    const { dir, topologyFile } = project(database);
    expect((await run(topologyFile)).ok).toBe(true);
    const rel = 'ledger/migrations/001_create_entries.sql';
    writeFileSync(join(dir, rel), files[rel].replace('amount_cents bigint NOT NULL', 'amount_cents integer NOT NULL'));
    const failed = (await run(topologyFile)).steps.filter((s) => s.status === 'failed');
    expect(failed.map((s) => [s.reason, s.error!.file])).toEqual([['changed', rel]]);
    expect(failed[0]!.error!.message).toContain('+   amount_cents integer NOT NULL');
    expect(await verdict(topologyFile, database)).toBe('VersionMismatch(1)');
    const accepted = await run(topologyFile, true);
    expect(accepted.ok).toBe(true);
    expect(accepted.steps.map((s) => s.reason).filter(Boolean)).toEqual(['re-recorded 1 changed statement with its new text; re-recorded the sqlx checksum of version 1 of public._sqlx_migrations_ledger (SHA-384 of the file as it is now)']);
    expect(await verdict(topologyFile, database)).toBe('accepted');
    expect(await sqlxStatus(topologyFile, database)).toEqual([]);
  });

  it('a row of the applied bytes marked failed (dirty) is named by status and apply, and --rerecord marks it successful', async () => {
    const { topologyFile } = project('books_dirty');
    expect((await run(topologyFile)).ok).toBe(true);
    const url = new URL(server.url);
    url.pathname = '/books_dirty';
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try { await c.query('UPDATE _sqlx_migrations_ledger SET success = false WHERE version = 1'); } finally { await c.end(); }
    expect(await verdict(topologyFile, 'books_dirty')).toBe('Dirty(1)');
    expect(await sqlxStatus(topologyFile, 'books_dirty')).toEqual([expect.objectContaining({ version: '1', problem: 'dirty', message: expect.stringContaining('Dirty(1)') })]);
    const failed = (await run(topologyFile)).steps.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.error!.message)).toEqual([expect.stringMatching(/^apply: version 1 of public._sqlx_migrations_ledger \("ledger\/migrations\/001_create_entries.sql"\) is marked failed \(dirty\).*--rerecord/)]);
    const accepted = await run(topologyFile, true);
    expect(accepted.steps.map((s) => s.reason).filter(Boolean)).toEqual(['marked version 1 of public._sqlx_migrations_ledger successful (it was marked failed)']);
    expect(await verdict(topologyFile, 'books_dirty')).toBe('accepted');
    expect(await sqlxStatus(topologyFile, 'books_dirty')).toEqual([]);
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
    expect(await sqlxStatus(topologyFile, 'books_missing')).toEqual([expect.objectContaining({ file: 'ledger/migrations/002_create_accounts.sql', version: '2', problem: 'missing', hint: 'the next `topoplan apply` writes the row' })]);
    expect((await cli(['status', topologyFile])).code).toBe(0);
    expect((await cli(['status', topologyFile, '--detailed-exitcode'])).code).toBe(2);
    const r = await run(topologyFile);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.reason).filter(Boolean)).toEqual(['recorded its missing sqlx row (version 2 of public._sqlx_migrations_ledger)']);
    expect(await verdict(topologyFile, 'books_missing')).toBe('accepted');
    expect(await sqlxStatus(topologyFile, 'books_missing')).toEqual([]);
  });
});
