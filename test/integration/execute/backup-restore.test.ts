/**
 * Backups before destructive steps on a real PostgreSQL, and restoring them:
 * a column dropped by an allowed step and a table dropped by the contract
 * phase come back with their definitions and rows (row checksums equal); a
 * backup that cannot be written keeps the statement from running.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { restoreBackup } from '../../../src/execute/restore-backup.js';
import { listBackups, type BackupManifest } from '../../../src/engines/backup-manifest.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan, StepDestruction } from '../../../src/plan/model.js';
import type { EngineSession } from '../../../src/engines/engine.js';
import { makeStep } from '../../helpers/steps.js';
import { cli, STACK_FRAME } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';

const DB = 'backup_restore';
let server: TestEngine;
let dataDir: string;
let plan: Plan;
let topologyFile: string;

// Values a hand-written CSV gets wrong: commas, quotes, new lines, backslashes, NULL next to '', non-ASCII, bytea.
const files = {
  'app/001_accounts.sql': `-- accounts, the way the first release made them
CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  legacy_note text DEFAULT 'n/a' NOT NULL,
  "Fax Number" varchar(40),
  score numeric(10,2) CHECK (score >= 0),
  tags text[],
  created_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00'
);
CREATE INDEX accounts_created_idx ON accounts (created_at DESC);
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  token bytea,
  meta jsonb,
  seen integer GENERATED ALWAYS AS (octet_length(token)) STORED
);
CREATE INDEX sessions_account_idx ON sessions (account_id);
`,
  'app/002_seed.sql': `INSERT INTO accounts (email, legacy_note, "Fax Number", score, tags) VALUES
  ('ann@example.com', 'likes "quotes", commas', '+1 555 0100', 12.50, '{a,"b c"}'),
  ('bob@example.com', E'two\\nlines\\\\and a backslash', NULL, NULL, '{}'),
  ('cé@example.com', '', '', 0, NULL),
  ('dan@example.com', 'NULL', 'N/A', 99999999.99, '{NULL}');
INSERT INTO sessions (id, account_id, token, meta) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000001', 1, '\\x00ff10', '{"ua": "curl/8", "n": [1, 2]}'),
  ('aaaaaaaa-0000-4000-8000-000000000002', 1, NULL, NULL),
  ('aaaaaaaa-0000-4000-8000-000000000003', 3, '\\x', '"é"');
`,
  'app/003_drop_note.sql': `-- the note moved to the CRM
ALTER TABLE accounts DROP COLUMN legacy_note;`,
  'app/004_drop_sessions.sql': `DROP TABLE sessions;`,
};

function topology(): string {
  return makeProject(files, {
    stores: { main: { engine: 'postgres', database: DB, url: '${BACKUP_PG_URL:-}' } },
    sets: { app: { dir: 'app' } },
    services: { app: { stores: { postgres: 'main' }, sets: ['app'] } },
    allowDestructive: [{ set: 'app', file: '003_drop_note.sql', reason: 'the note lives in the CRM now' }],
  }).topologyFile;
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const url = new URL(server.url);
  url.pathname = `/${DB}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try { return (await c.query<T>(sql)).rows; } finally { await c.end(); }
}

/** Count and md5 of every row as PostgreSQL prints it, in key order. */
async function checksum(sql: string): Promise<{ n: string; sum: string | null }> {
  return (await query<{ n: string; sum: string | null }>(`SELECT count(*)::text AS n, md5(string_agg(r::text, '|' ORDER BY r::text)) AS sum FROM (${sql}) r`))[0]!;
}

async function definitions(): Promise<Record<string, string>> {
  const s = await postgresEngine.connect({ store: 'main', database: DB, url: server.url });
  try { return (await s.inspect()).definitions; } finally { await s.close(); }
}

const apply = (extra: Partial<Parameters<typeof applyPlan>[1]> = {}) => applyPlan(plan, { connections: { main: server.url }, workDir: dataDir, lockTimeoutMs: 20_000, ...extra });
const restore = (dir: string, force = false) => restoreBackup(dir, { store: 'main', database: DB, engine: 'postgres', url: server.url, ...(force ? { force } : {}) });
const statusOf = (r: ApplyResult, file: string) => r.steps.find((s) => s.id.includes(file))!;
const manifestOf = async (r: ApplyResult, table: string): Promise<{ dir: string; manifest: BackupManifest }> => {
  const file = r.backups.find((b) => b.table === table)!.manifest!;
  return { dir: path.dirname(file), manifest: JSON.parse(await readFile(file, 'utf8')) };
};

beforeAll(async () => {
  server = await startTestPostgres();
  dataDir = await tempDir('backup-data');
  topologyFile = topology();
  plan = await planMigration(topologyFile, { env: {} });
});
afterAll(async () => {
  delete process.env.BACKUP_PG_URL;
  await server?.stop();
});

describe('backups before destructive steps', () => {
  let notes: { n: string; sum: string | null };
  let before: Record<string, string>;
  let sessions: { n: string; sum: string | null };

  it('a backup that cannot be written fails the step, and the column is still there', async () => {
    const blocked = await tempDir('backup-blocked');
    // `backups` is a file: no backup directory can be made under it.
    await writeFile(path.join(blocked, 'backups'), 'not a directory');
    const r = await applyPlan(plan, { connections: { main: server.url }, workDir: blocked, lockTimeoutMs: 20_000 });
    const drop = statusOf(r, '003_drop_note');
    expect(drop.status).toBe('failed');
    expect(drop.error!.message).toMatch(/^apply: app\/003_drop_note\.sql:2: backing up .*"public\.accounts".* failed, so the statement did not run: .*hint: /);
    expect(await query("SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'legacy_note'")).toHaveLength(1);
    notes = await checksum('SELECT id, legacy_note FROM accounts');
    before = await definitions();
    sessions = await checksum('SELECT * FROM sessions');
  });

  it('an allowed column drop backs up the key and the column, with a manifest', async () => {
    const r = await apply();
    expect(statusOf(r, '003_drop_note').status).toBe('applied');
    expect(statusOf(r, '004_drop_sessions').status).toBe('not-applied');
    const { dir, manifest } = await manifestOf(r, 'public.accounts');
    expect(dir.startsWith(path.join(dataDir, 'backups') + path.sep)).toBe(true);
    expect(manifest).toMatchObject({
      format: 1, store: 'main', engine: 'postgres', database: DB, step: statusOf(r, '003_drop_note').id,
      statements: ['ALTER TABLE accounts DROP COLUMN legacy_note'], at: 'app/003_drop_note.sql:2', notBackedUp: [],
    });
    expect(Date.parse(manifest.createdAt)).toBeGreaterThan(0);
    expect(manifest.objects).toHaveLength(1);
    expect(manifest.objects[0]).toMatchObject({ kind: 'columns', table: 'public.accounts', destroys: 'drop_column', key: ['id'], columns: ['id', 'legacy_note'], destroyed: ['legacy_note'], rows: 4 });
    const csv = await readFile(path.join(dir, manifest.objects[0]!.file!), 'utf8');
    expect(csv.split('\n')[0]).toBe('id,legacy_note');
    expect(csv).toContain('"likes ""quotes"", commas"');
    expect(await query("SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'legacy_note'")).toHaveLength(0);
    expect((await listBackups(dataDir)).map((b) => b.dir)).toEqual([dir]);
  });

  it('restore puts the column back, filled by key, with its default and NOT NULL', async () => {
    const [found] = await listBackups(dataDir);
    const r = await restore(found!.dir);
    expect(r.restored).toEqual([{ table: 'public.accounts', kind: 'columns', rows: 4, created: false, addedColumns: ['legacy_note'] }]);
    expect(await checksum('SELECT id, legacy_note FROM accounts')).toEqual(notes);
    // Same columns, types, defaults and NOT NULL; PostgreSQL adds a column last.
    const lines = (d: Record<string, string>) => d['table public.accounts']!.split('\n').sort();
    expect(lines(await definitions())).toEqual(lines(before));
  });

  it('restore refuses to overwrite values unless forced', async () => {
    const [found] = await listBackups(dataDir);
    await query(`UPDATE accounts SET legacy_note = 'changed since' WHERE id = 1`);
    await expect(restore(found!.dir)).rejects.toThrow(/^restore: column "legacy_note" of table "public\.accounts" in store "main" holds values; nothing was restored; hint: pass --force/);
    expect((await query<{ legacy_note: string }>('SELECT legacy_note FROM accounts WHERE id = 1'))[0]!.legacy_note).toBe('changed since');
    await restore(found!.dir, true);
    expect(await checksum('SELECT id, legacy_note FROM accounts')).toEqual(notes);
  });

  it('a contract DROP TABLE backs up definition and rows; apply says where, restore recreates both', async () => {
    // The CLI reads the topology's variables from the process environment.
    process.env.BACKUP_PG_URL = server.url;
    const r = await cli(['apply', topologyFile, '--contract', '--verbose', '--data-dir', dataDir]);
    expect(r.code, r.err).toBe(0);
    // The allowed drop is in the ledger: only the contract step runs.
    expect(r.out).toMatch(/already-applied\s+main:app\/003_drop_note\.sql/);
    const { dir, manifest } = (await listBackups(dataDir)).find((b) => b.manifest.step.includes('004_drop_sessions'))!;
    expect(r.out).toContain(`backup of store main before ${manifest.step}: public.sessions (3 rows) in ${dir}\n`);
    expect(r.out).toContain(`  to restore it: topoplan restore ${topologyFile} --backup ${dir}\n`);
    expect(manifest.objects.map((o) => [o.kind, o.table, o.rows])).toEqual([['table', 'public.sessions', 3]]);
    expect(manifest.objects[0]!.columns).toEqual(['id', 'account_id', 'token', 'meta']);
    expect(await query("SELECT 1 FROM pg_tables WHERE tablename = 'sessions'")).toEqual([]);
    const restored = await restore(dir);
    expect(restored.restored).toEqual([{ table: 'public.sessions', kind: 'table', rows: 3, created: true, addedColumns: [] }]);
    expect(await checksum('SELECT * FROM sessions')).toEqual(sessions);
    const after = await definitions();
    for (const key of Object.keys(before).filter((k) => k.includes('sessions'))) expect(after[key], key).toBe(before[key]);
    // The foreign key came back with the table.
    await expect(query(`INSERT INTO sessions (id, account_id) VALUES ('aaaaaaaa-0000-4000-8000-000000000009', 424242)`)).rejects.toThrow(/foreign key/);
    await expect(restore(dir)).rejects.toThrow(/^restore: table "public\.sessions" of store "main" holds rows; nothing was restored; hint: .*--force/);
  });

  it('topoplan restore lists the backups with the command for each, and restores one', async () => {
    const env = { BACKUP_PG_URL: server.url };
    const list = await cli(['restore', topologyFile, '--data-dir', dataDir], { env });
    expect(list.code, list.err).toBe(0);
    const found = await listBackups(dataDir);
    expect(found).toHaveLength(2);
    for (const b of found) expect(list.out).toContain(`topoplan restore ${topologyFile} --backup ${b.dir}`);
    expect(list.out).toContain('columns "legacy_note" of public.accounts (4 rows)');
    const listed = await cli(['restore', topologyFile, '--data-dir', dataDir, '--format', 'json'], { env });
    expect(listed.code, listed.err).toBe(0);
    const doc = JSON.parse(listed.out) as { format: string; ok: boolean; backups: { dir: string; store: string }[] };
    expect(doc.format).toBe('topoplan-restore/1');
    expect(doc.ok).toBe(true);
    expect(doc.backups.map((b) => b.dir)).toEqual(found.map((b) => b.dir));
    expect(doc.backups.every((b) => b.store === 'main')).toBe(true);
    const column = found.find((b) => b.manifest.objects[0]!.kind === 'columns')!;
    const refused = await cli(['restore', topologyFile, '--data-dir', dataDir, '--backup', column.dir], { env });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/restore: column "legacy_note" of table "public\.accounts" in store "main" holds values; nothing was restored; hint: /);
    expect(refused.err).not.toMatch(STACK_FRAME);
    const forced = await cli(['restore', topologyFile, '--data-dir', dataDir, '--backup', path.join(column.dir, 'manifest.json'), '--force'], { env });
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toBe('restore: filled columns of table "public.accounts", 4 rows by key in store "main"\n');
    const usage = await cli(['restore', topologyFile, '--data-dir', dataDir, '--backup', column.dir, '--store', 'mian'], { env });
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('did you mean "main"?');
  });
});

describe('what each kind of destruction backs up', () => {
  let session: EngineSession;
  let n = 0;
  const run = async (sql: string, destroys: StepDestruction[], transactional = true): Promise<{ dir: string; manifest: BackupManifest } | undefined> => {
    const step = makeStep({ id: `main:kinds/${++n}`, statements: [sql], store: 'main', database: DB, destructive: true, destroys, transactional });
    const dir = path.join(dataDir, 'kinds', String(n));
    const outcome = await session.applyStep(step, { workDir: dataDir, backupDir: dir });
    return outcome.backup;
  };
  const table = (name: string, schema?: string) => ({ kind: 'table' as const, name, ...(schema ? { schema } : {}) });

  beforeAll(async () => {
    session = await postgresEngine.connect({ store: 'main', database: DB, url: server.url });
    await query(`CREATE SCHEMA ledger;
      CREATE TABLE ledger.books (id int PRIMARY KEY, title text);
      CREATE TABLE ledger.lines (book_id int REFERENCES ledger.books(id), amount int);
      CREATE TABLE ledger.notes (line text);
      INSERT INTO ledger.books VALUES (1, 'a'), (2, 'b');
      INSERT INTO ledger.lines VALUES (1, 10), (1, 20), (2, NULL);
      INSERT INTO ledger.notes VALUES ('x'), (NULL);
      CREATE MATERIALIZED VIEW ledger.totals AS SELECT book_id, sum(amount) FROM ledger.lines GROUP BY 1;`);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('TRUNCATE ... CASCADE: the table and every table whose foreign keys reach it; restore puts the rows back', async () => {
    const lines = await checksum('SELECT * FROM ledger.lines');
    const b = await run('TRUNCATE ledger.books CASCADE', [{ kind: 'delete_rows', object: table('books', 'ledger'), cascade: true, summary: 'every row of table "books"' }]);
    expect(b!.manifest.objects.map((o) => [o.kind, o.table, o.destroys, o.rows])).toEqual([['table', 'ledger.books', 'delete_rows', 2], ['table', 'ledger.lines', 'delete_rows', 3]]);
    expect(await checksum('SELECT * FROM ledger.lines')).toEqual({ n: '0', sum: null });
    await restore(b!.dir);
    expect(await checksum('SELECT * FROM ledger.lines')).toEqual(lines);
  });

  it('UPDATE without WHERE: the key and the overwritten columns; a column of a table without a key: the whole table', async () => {
    const books = await checksum('SELECT * FROM ledger.books');
    const u = await run(`UPDATE ledger.books SET title = 'same'`, [{ kind: 'update_rows', object: table('books', 'ledger'), columns: ['title'], summary: 'column "title"' }]);
    expect(u!.manifest.objects.map((o) => [o.kind, o.key, o.columns])).toEqual([['columns', ['id'], ['id', 'title']]]);
    await restore(u!.dir, true);
    expect(await checksum('SELECT * FROM ledger.books')).toEqual(books);
    const notes = await checksum('SELECT * FROM ledger.notes');
    const d = await run('ALTER TABLE ledger.notes DROP COLUMN line', [{ kind: 'drop_column', object: table('notes', 'ledger'), columns: ['line'], summary: 'column "line"' }]);
    expect(d!.manifest.objects.map((o) => [o.kind, o.table, o.destroyed, o.rows])).toEqual([['table', 'ledger.notes', ['line'], 2]]);
    // The table lost its only column's values: restoring replaces its rows, so it takes --force.
    await expect(restore(d!.dir)).rejects.toThrow(/holds rows/);
    expect((await restore(d!.dir, true)).restored).toEqual([{ table: 'ledger.notes', kind: 'table', rows: 2, created: false, addedColumns: ['line'] }]);
    expect(await checksum('SELECT * FROM ledger.notes')).toEqual(notes);
    // Dropping the key itself leaves nothing to match rows by: the whole table is kept.
    await query(`CREATE TABLE ledger.keyed (id int PRIMARY KEY, v text); INSERT INTO ledger.keyed VALUES (1, 'one'), (2, NULL)`);
    const keyed = await checksum('SELECT id, v FROM ledger.keyed');
    const k = await run('ALTER TABLE ledger.keyed DROP COLUMN id', [{ kind: 'drop_column', object: table('keyed', 'ledger'), columns: ['id'], summary: 'column "id"' }]);
    expect(k!.manifest.objects.map((o) => [o.kind, o.table, o.rows])).toEqual([['table', 'ledger.keyed', 2]]);
    await restore(k!.dir, true);
    expect(await checksum('SELECT id, v FROM ledger.keyed')).toEqual(keyed);
  });

  it('DROP TABLE ... CASCADE and DROP COLUMN ... CASCADE: the foreign keys of other tables they drop come back with the restore', async () => {
    await query(`CREATE TABLE public.parents (id int PRIMARY KEY, code text NOT NULL UNIQUE);
      CREATE TABLE public.kids (id int PRIMARY KEY, parent_id int REFERENCES parents (id), parent_code text REFERENCES parents (code));
      INSERT INTO parents VALUES (1, 'a'), (2, 'b');
      INSERT INTO kids VALUES (10, 1, 'a'), (11, 2, NULL);`);
    const keysOfKids = async () => (await query<{ name: string; def: string }>("SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.kids'::regclass AND contype = 'f' ORDER BY 1"));
    const keys = await keysOfKids();
    expect(keys.map((k) => k.name)).toEqual(['kids_parent_code_fkey', 'kids_parent_id_fkey']);

    const c = await run('ALTER TABLE parents DROP COLUMN code CASCADE', [{ kind: 'drop_column', object: table('parents'), columns: ['code'], cascade: true, summary: 'column "code"' }]);
    expect(c!.manifest.objects[0]!.referencedBy).toEqual([{ table: 'public.kids', name: 'kids_parent_code_fkey', definition: 'FOREIGN KEY (parent_code) REFERENCES parents(code)' }]);
    expect((await keysOfKids()).map((k) => k.name)).toEqual(['kids_parent_id_fkey']);
    expect((await restore(c!.dir)).restored).toEqual([{ table: 'public.parents', kind: 'columns', rows: 2, created: false, addedColumns: ['code'], addedKeys: ['public.kids.kids_parent_code_fkey'] }]);
    expect(await keysOfKids()).toEqual(keys);

    const d = await run('DROP TABLE parents CASCADE', [{ kind: 'drop', object: table('parents'), cascade: true, summary: 'table "parents" (definition and rows)' }]);
    expect(d!.manifest.objects.map((o) => [o.table, (o.referencedBy ?? []).map((k) => k.name)])).toEqual([['public.parents', ['kids_parent_code_fkey', 'kids_parent_id_fkey']]]);
    expect(await keysOfKids()).toEqual([]);
    expect((await restore(d!.dir)).restored[0]).toMatchObject({ table: 'public.parents', created: true, addedKeys: ['public.kids.kids_parent_code_fkey', 'public.kids.kids_parent_id_fkey'] });
    expect(await keysOfKids()).toEqual(keys);
    await expect(query('INSERT INTO kids VALUES (12, 99, NULL)')).rejects.toThrow(/foreign key/);
    // A key whose table is gone by the time of the restore is left out; the rest of the restore goes ahead.
    const again = await run('DROP TABLE parents CASCADE', [{ kind: 'drop', object: table('parents'), cascade: true, summary: 'table "parents" (definition and rows)' }]);
    await query('DROP TABLE kids');
    expect((await restore(again!.dir)).restored).toEqual([{ table: 'public.parents', kind: 'table', rows: 2, created: true, addedColumns: [] }]);
    await query('DROP TABLE parents');
  });

  it('DROP SCHEMA ... CASCADE: every table in it; a materialized view is named as not backed up', async () => {
    const before = await checksum('SELECT * FROM ledger.lines');
    const s = await run('DROP SCHEMA ledger CASCADE', [
      { kind: 'drop', object: { kind: 'schema', name: 'ledger' }, cascade: true, summary: 'schema "ledger" and everything in it' },
      { kind: 'drop', object: { kind: 'materialized_view', name: 'totals', schema: 'ledger' }, summary: 'materialized view "totals"' },
    ]);
    expect(s!.manifest.objects.map((o) => o.table)).toEqual(['ledger.books', 'ledger.keyed', 'ledger.lines', 'ledger.notes']);
    expect(s!.manifest.notBackedUp).toEqual(['materialized view "ledger.totals": its rows are computed by its query, which the migration that created it holds']);
    expect(await query("SELECT 1 FROM pg_namespace WHERE nspname = 'ledger'")).toEqual([]);
    await restore(s!.dir);
    expect(await checksum('SELECT * FROM ledger.lines')).toEqual(before);
    await expect(query('INSERT INTO ledger.lines VALUES (99, 1)')).rejects.toThrow(/foreign key/);
  });

  it('a step outside a transaction is backed up first in a snapshot of its own', async () => {
    const notes = await checksum('SELECT * FROM ledger.notes');
    const b = await run('DELETE FROM ledger.notes', [{ kind: 'delete_rows', object: table('notes', 'ledger'), summary: 'every row of table "notes"' }], false);
    expect(b!.manifest.objects.map((o) => [o.table, o.rows])).toEqual([['ledger.notes', 2]]);
    expect(await checksum('SELECT * FROM ledger.notes')).toEqual({ n: '0', sum: null });
    await restore(b!.dir);
    expect(await checksum('SELECT * FROM ledger.notes')).toEqual(notes);
  });

  it('nothing to back up when what the statement destroys is not there', async () => {
    expect(await run('DROP TABLE IF EXISTS ledger.gone', [{ kind: 'drop', object: table('gone', 'ledger'), ifExists: true, summary: 'table "gone"' }])).toBeUndefined();
  });
});
