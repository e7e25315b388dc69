import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { StatementError } from '../../../src/engines/statement-error.js';
import type { EngineSession } from '../../../src/engines/engine.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeStep } from '../../helpers/steps.js';

const DB = 'engine_test';
let server: TestEngine;
let session: EngineSession;
let workDir: string;

const step = (id: string, statements: string[], extra: Parameters<typeof makeStep>[0] extends infer P ? Partial<P> : never = {}) =>
  makeStep({ id: `pg:${id}`, statements, store: 'nova', database: DB, ...extra });

const records = async (of = session) => (await of.readLedger()).records;

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const url = new URL(server.url);
  url.pathname = `/${DB}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try { return (await c.query<T>(sql, params)).rows; } finally { await c.end(); }
}

beforeAll(async () => {
  server = await startTestPostgres();
  workDir = await tempDir('pg-work');
  session = await postgresEngine.connect({ store: 'nova', database: DB, url: server.url });
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('postgres engine', () => {
  it('reads an empty ledger and snapshot before its database exists, then creates it idempotently', async () => {
    expect(await session.readLedger()).toEqual({ records: [] });
    expect((await session.inspect()).tables).toEqual([]);
    const create = step('create_database', [`CREATE DATABASE ${DB}`], { kind: 'create_database', transactional: false });
    await session.applyStep(create, { workDir });
    await session.applyStep(create, { workDir });
    expect((await records()).map((e) => [e.file, e.fingerprint, e.stepId, e.status])).toEqual([['', 'pg:create_database', 'pg:create_database', 'applied']]);
  });

  it('commits statements and their ledger records together, one record per statement', async () => {
    const s = step('001', ['CREATE TABLE conversations (id bigint PRIMARY KEY, title text NOT NULL)', `INSERT INTO conversations VALUES (1, 'a'), (2, 'b,"c"'), (3, '')`]);
    const outcome = await session.applyStep(s, { workDir });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    const mine = (await records()).filter((e) => e.stepId === s.id);
    expect(mine.map((e) => [e.file, e.fingerprint, e.ordinal, e.status, e.phase, e.origin, e.store, e.sql])).toEqual(
      s.statements.map((sql, i) => [s.source!.file, s.source!.fingerprints[i], i, 'applied', 'expand', 'apply', 'nova', sql]),
    );
    expect(await session.countRows('public.conversations')).toBe(3);
  });

  it('leaves nothing behind when the second statement fails, and names the statement', async () => {
    const s = step('002', ['CREATE TABLE doomed (id int)', 'INSERT INTO doomed VALUES (1, 2, no_such_column)']);
    const error = await session.applyStep(s, { workDir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StatementError);
    const se = error as StatementError;
    expect(se.statementIndex).toBe(1);
    expect(se.stepId).toBe(s.id);
    expect(se.message).toMatch(/no_such_column|more expressions than target columns/);
    expect(se.code).toMatch(/^42/);
    expect(se.position).toBeGreaterThan(0);
    expect(se.sql).toBe(s.statements[1]);
    expect(await query(`SELECT to_regclass('public.doomed') AS t`)).toEqual([{ t: null }]);
    expect((await records()).some((e) => e.stepId === s.id)).toBe(false);
  });

  it('records a non-transactional step as started, then applied', async () => {
    const failing = step('003-bad', ['CREATE INDEX CONCURRENTLY idx_missing ON no_such_table (id)'], { transactional: false });
    await expect(session.applyStep(failing, { workDir })).rejects.toBeInstanceOf(StatementError);
    expect((await records()).find((e) => e.stepId === failing.id)?.status).toBe('started');

    const ok = step('003', ['CREATE INDEX CONCURRENTLY idx_conversations_title ON conversations (title)'], { transactional: false });
    await session.applyStep(ok, { workDir });
    expect((await records()).find((e) => e.stepId === ok.id)?.status).toBe('applied');
    expect((await session.inspect()).indexes).toContain('public.idx_conversations_title');
  });

  it('writes the sqlx row with the file checksum', async () => {
    // SHA-384 of the ASCII bytes "SELECT 1;\n", from `printf 'SELECT 1;\n' | openssl dgst -sha384`.
    const sha384 = '24454095d8d7876ca8e842f34296ca645c83e0f7b50f048c99db4b2ff4da659267afc4ef3e994f3d74e18c741165d931';
    const s = step('sqlx', ['SELECT 1'], { sqlx: { version: '20240105120000', description: 'create things', checksumSha384: sha384, completesFile: true } });
    await session.applyStep(s, { workDir });
    const rows = await query<{ version: string; description: string; success: boolean; hex: string; len: number; execution_time: string }>(
      `SELECT version, description, success, encode(checksum, 'hex') AS hex, octet_length(checksum) AS len, execution_time FROM _sqlx_migrations`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: '20240105120000', description: 'create things', success: true, hex: sha384, len: 48 });
    expect(BigInt(rows[0]!.execution_time)).toBeGreaterThan(0n);
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = '_sqlx_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`)).toEqual([
      'version bigint NO', 'description text NO', 'installed_on timestamp with time zone NO',
      'success boolean NO', 'checksum bytea NO', 'execution_time bigint NO',
    ]);
    expect((await session.inspect()).tables).not.toContain('public._sqlx_migrations');
  });

  it('records text with quotes and backslashes exactly, in the ledger and the sqlx row', async () => {
    const s = step('quotes', [`SELECT 'it''s', E'back\\slash', $$dollar 'quoted'$$`], {
      sqlx: { version: '20240105120001', description: `it's a \\ back\\slash`, checksumSha384: '00ff', completesFile: true },
    });
    await session.applyStep(s, { workDir });
    expect((await records()).find((e) => e.stepId === s.id)?.sql).toBe(s.statements[0]);
    expect(await query(`SELECT description, encode(checksum, 'hex') AS hex FROM _sqlx_migrations WHERE version = 20240105120001`))
      .toEqual([{ description: s.sqlx!.description, hex: '00ff' }]);
  });

  it('reports rows moved by a copy step', async () => {
    await session.applyStep(step('004', ['CREATE TABLE chats (id bigint PRIMARY KEY, title text NOT NULL)']), { workDir });
    const copy = step('copy', ['INSERT INTO chats (id, title) SELECT id, title FROM conversations'], {
      kind: 'copy_rows',
      copy: { from: 'public.conversations', to: 'public.chats', columns: ['id', 'title'], targetColumns: ['id', 'title'] },
    });
    expect((await session.applyStep(copy, { workDir })).rows).toBe(3);
  });

  it('writes and removes records without running anything, keeping a given time', async () => {
    const s = step('001', ['CREATE TABLE conversations (id bigint PRIMARY KEY, title text NOT NULL)', '-- changed']);
    const [old, second] = (await records()).filter((e) => e.stepId === s.id);
    const write = { ...old!, fingerprint: 'f'.repeat(32), origin: 'rerecord' as const, sql: 'CREATE TABLE conversations (id bigint PRIMARY KEY)' };
    await session.record([write], [{ file: old!.file, fingerprint: old!.fingerprint }]);
    const now = (await records()).filter((e) => e.stepId === s.id);
    expect(now.map((e) => e.fingerprint)).toEqual(['f'.repeat(32), second!.fingerprint]);
    expect(now[0]).toMatchObject({ origin: 'rerecord', appliedAt: old!.appliedAt, sql: write.sql });
    await session.record([], []);
  });

  it('lets one apply hold the lock and names the holder to the other', async () => {
    const other = await postgresEngine.connect({ store: 'nova', database: DB, url: server.url });
    try {
      const release = await session.lock({ timeoutMs: 1_000 });
      const started = Date.now();
      await expect(other.lock({ timeoutMs: 600, pollMs: 100 })).rejects.toThrow(/apply: store "nova" is locked by another apply \(pid \d+ since .*\); waited 0\.6s/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      await release();
      const releaseOther = await other.lock({ timeoutMs: 1_000 });
      await releaseOther();
    } finally {
      await other.close();
    }
  });

  it('backs up a table to a file with its rows, in the server\'s own CSV, and its definition in a manifest', async () => {
    const [file] = await session.backupTables(['public.conversations'], path.join(workDir, 'backup'));
    expect(file).toMatchObject({ table: 'public.conversations', rows: 3 });
    expect(await readFile(file!.path, 'utf8')).toBe('id,title\n1,a\n2,"b,""c"""\n3,""\n');
    const manifest = JSON.parse(await readFile(file!.manifest!, 'utf8'));
    expect(manifest.objects[0].create).toEqual(['CREATE TABLE "public"."conversations" (\n  "id" bigint NOT NULL,\n  "title" text NOT NULL,\n  CONSTRAINT "conversations_pkey" PRIMARY KEY (id)\n)']);
  });

  it('inspects what was created', async () => {
    await session.applyStep(step('005', [
      `CREATE TYPE mood AS ENUM ('sad', 'ok')`,
      'CREATE VIEW titles AS SELECT title FROM conversations',
      `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
      'CREATE TRIGGER conversations_touch BEFORE UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION touch()',
      'CREATE EXTENSION IF NOT EXISTS pgcrypto',
    ]), { workDir });
    const snap = await session.inspect();
    expect(snap.tables).toEqual(['public.chats', 'public.conversations']);
    expect(snap.views).toEqual(['public.titles']);
    expect(snap.types).toEqual(['public.mood']);
    expect(snap.functions).toEqual(['public.touch()']);
    expect(snap.triggers).toEqual(['public.conversations.conversations_touch']);
    expect(snap.extensions).toEqual(['pgcrypto']);
    expect(snap.indexes).toEqual(['public.chats_pkey', 'public.conversations_pkey', 'public.idx_conversations_title']);
    expect(snap.definitions['table public.conversations']).toBe('id bigint not null\ntitle text not null');
    expect(snap.definitions['type public.mood']).toBe(`enum 'sad', 'ok'`);
    expect(snap.definitions['index public.idx_conversations_title']).toMatch(/CREATE INDEX idx_conversations_title ON public.conversations USING btree \(title\)/);
  });

  it('describes every object in full: constraints and their targets, what the database made by itself, every kind of type', async () => {
    await session.applyStep(step('006', [
      `CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, handle text GENERATED ALWAYS AS (lower(email)) STORED)`,
      `CREATE TABLE notes (id bigserial PRIMARY KEY, author_id bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE, body text DEFAULT 'x', CHECK (length(body) < 100))`,
      `CREATE TABLE readings (at date NOT NULL, v int) PARTITION BY RANGE (at)`,
      `CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
      'CREATE INDEX idx_readings_at ON readings (at)',
      'CREATE TRIGGER readings_touch BEFORE UPDATE ON readings FOR EACH ROW EXECUTE FUNCTION touch()',
      'CREATE SEQUENCE ticket_seq START 100 INCREMENT 5',
      'CREATE DOMAIN short_text AS text NOT NULL CHECK (length(VALUE) < 10)',
      'CREATE TYPE point2 AS (x int, y int)',
      'CREATE TYPE span AS RANGE (subtype = int4)',
      'CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$',
      'CREATE MATERIALIZED VIEW author_count AS SELECT count(*) AS n FROM authors',
    ]), { workDir });
    const snap = await session.inspect();
    const get = (kind: string, name: string) => snap.objects.find((o) => o.kind === kind && o.name === name) as Record<string, unknown> | undefined;
    expect(get('table', 'public.authors')!.columns).toEqual([
      { name: 'id', type: 'bigint', nullable: false, generated: 'identity always' },
      { name: 'email', type: 'text', nullable: false },
      { name: 'handle', type: 'text', nullable: true, default: 'lower(email)', generated: 'stored' },
    ]);
    const notes = get('table', 'public.notes')!;
    expect(notes.constraints).toEqual([
      { name: 'notes_author_id_fkey', type: 'foreign key', columns: ['author_id'], definition: 'FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE', references: { table: 'public.authors', columns: ['id'] } },
      { name: 'notes_body_check', type: 'check', columns: ['body'], definition: 'CHECK (length(body) < 100)' },
      { name: 'notes_pkey', type: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)' },
    ]);
    expect(get('table', 'public.readings')!.partitionBy).toBe('RANGE (at)');
    expect(get('table', 'public.readings_2024')!.partitionOf).toEqual({ table: 'public.readings', bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" });
    expect(get('index', 'public.notes_pkey')).toMatchObject({ table: 'public.notes', unique: true, constraint: 'notes_pkey' });
    expect(get('index', 'public.authors_email_key')).toMatchObject({ constraint: 'authors_email_key' });
    expect(get('index', 'public.idx_readings_at')!.constraint).toBeUndefined();
    expect(get('index', 'public.readings_2024_at_idx')).toMatchObject({ table: 'public.readings_2024', partitionOf: 'public.idx_readings_at' });
    expect(get('trigger', 'public.readings_2024.readings_touch')).toMatchObject({ function: 'public.touch', partitionOf: 'public.readings.readings_touch' });
    expect(get('sequence', 'public.notes_id_seq')).toEqual({ kind: 'sequence', name: 'public.notes_id_seq', type: 'bigint', start: '1', increment: '1', ownedBy: 'public.notes.id' });
    expect(get('sequence', 'public.authors_id_seq')!.ownedBy).toBe('public.authors.id');
    expect(get('sequence', 'public.ticket_seq')).toEqual({ kind: 'sequence', name: 'public.ticket_seq', type: 'bigint', start: '100', increment: '5' });
    expect(get('type', 'public.mood')).toEqual({ kind: 'type', name: 'public.mood', type: 'enum', values: ['sad', 'ok'] });
    expect(get('type', 'public.short_text')).toEqual({ kind: 'type', name: 'public.short_text', type: 'domain', definition: 'text not null CHECK (length(VALUE) < 10)' });
    expect(get('type', 'public.point2')).toMatchObject({ type: 'composite', definition: 'x integer, y integer' });
    expect(get('type', 'public.span')).toMatchObject({ type: 'range', definition: 'subtype integer' });
    expect(snap.types).not.toContain('public.span_multirange');
    expect(get('function', 'public.noop()')).toMatchObject({ routine: 'public.noop', procedure: true, language: 'sql' });
    expect(get('function', 'public.touch()')).toMatchObject({ returns: 'trigger', language: 'plpgsql', bodyHash: expect.stringMatching(/^md5:[0-9a-f]{32}$/) });
    expect(get('view', 'public.author_count')).toMatchObject({ materialized: true });
    expect(get('extension', 'pgcrypto')).toMatchObject({ schema: 'public', version: expect.any(String) });
    expect(snap.sequences).toEqual(['public.authors_id_seq', 'public.notes_id_seq', 'public.ticket_seq']);
    const kinds = snap.objects.map((o) => o.kind);
    expect(kinds).toEqual([...kinds].sort((a, b) => ['extension', 'type', 'sequence', 'table', 'view', 'index', 'trigger', 'function'].indexOf(a) - ['extension', 'type', 'sequence', 'table', 'view', 'index', 'trigger', 'function'].indexOf(b)));
  });

  it('reports an index a failed CREATE INDEX CONCURRENTLY left INVALID, and rebuilds it', async () => {
    await query(`CREATE TABLE dup (v int)`);
    await query(`INSERT INTO dup VALUES (1), (1)`);
    await expect(query('CREATE UNIQUE INDEX CONCURRENTLY idx_dup_v ON dup (v)')).rejects.toThrow(/could not create unique index/);
    expect((await session.inspect()).invalidIndexes).toEqual(['public.idx_dup_v']);
    await query(`DELETE FROM dup WHERE ctid = (SELECT max(ctid) FROM dup)`);
    await session.rebuildIndex!('public.idx_dup_v');
    expect((await session.inspect()).invalidIndexes).toEqual([]);
    await query('DROP TABLE dup');
  });

  it('upgrades a per-step ledger in place, once, in one transaction', async () => {
    const db = 'engine_upgrade';
    const admin = await postgresEngine.connect({ store: 'old', database: db, url: server.url });
    try {
      await admin.applyStep(makeStep({ id: 'old:create_database', kind: 'create_database', statements: [`CREATE DATABASE ${db}`], store: 'old', database: db, transactional: false }), { workDir });
      const url = new URL(server.url);
      url.pathname = `/${db}`;
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        await c.query(`DROP TABLE topoplan.ledger; CREATE TABLE topoplan.ledger (step_id text PRIMARY KEY, file text, statements text, checksum text NOT NULL, phase text NOT NULL,
          status text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL DEFAULT 0, sql text);
          INSERT INTO topoplan.ledger VALUES ('old:app/001.sql#1-2', 'app/001.sql', '0-1', 'abc', 'expand', 'applied', '2024-01-02T03:04:05Z', 7, E'CREATE TABLE a (id int);\nCREATE TABLE b (id int)')`);
        const state = await admin.readLedger();
        expect(state.records).toEqual([]);
        expect(state.legacy).toEqual([{ stepId: 'old:app/001.sql#1-2', file: 'app/001.sql', statements: '0-1', checksum: 'abc', phase: 'expand', status: 'applied', appliedAt: '2024-01-02T03:04:05.000Z', durationMs: 7, sql: 'CREATE TABLE a (id int);\nCREATE TABLE b (id int)' }]);
        const write = { file: 'app/001.sql', fingerprint: 'f1', ordinal: 0, store: 'old', stepId: 'old:app/001.sql#1-2', phase: 'expand', status: 'applied' as const, origin: 'upgrade' as const, appliedAt: '2024-01-02T03:04:05.000Z', durationMs: 7, sql: 'CREATE TABLE a (id int)' };
        // A bad record rolls the whole upgrade back: the per-step ledger is still there, as it was.
        await expect(admin.upgradeLedger([write, { ...write, fingerprint: 'f2', status: 'done' as never }])).rejects.toThrow(/check constraint/);
        expect((await admin.readLedger()).legacy).toHaveLength(1);
        await admin.upgradeLedger([write]);
        expect((await admin.readLedger())).toEqual({ records: [write] });
        await admin.upgradeLedger([{ ...write, fingerprint: 'again' }]);
        expect((await admin.readLedger()).records.map((r) => r.fingerprint)).toEqual(['f1']);
        expect((await c.query(`SELECT to_regclass('topoplan.ledger_per_step') AS t`)).rows).toEqual([{ t: null }]);
      } finally {
        await c.end();
      }
    } finally {
      await admin.close();
    }
  });
});
