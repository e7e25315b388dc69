import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { ClickHouseSession } from '../../../src/engines/clickhouse/clickhouse-session.js';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { acquireTableLock, breakTableLock, tableLockHolder } from '../../../src/engines/clickhouse/clickhouse-lock.js';
import { chString } from '../../../src/engines/clickhouse/clickhouse-sql.js';
import { appendRecords, writeRecords } from '../../../src/engines/clickhouse/clickhouse-ledger.js';
import { thisProcess } from '../../../src/engines/process-identity.js';
import { StatementError } from '../../../src/engines/statement-error.js';
import type { EngineSession } from '../../../src/engines/engine.js';
import { startTestClickHouse, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeStep } from '../../helpers/steps.js';

const DB = 'analytics';
let server: TestEngine;
let session: EngineSession;
let workDir: string;
const records = async (of = session) => (await of.readLedger()).records;

const step = (id: string, statements: string[], extra: Partial<Parameters<typeof makeStep>[0]> = {}) =>
  makeStep({ id: `ch:${id}`, statements, store: 'analytics', engine: 'clickhouse', database: DB, transactional: false, ...extra });

beforeAll(async () => {
  server = await startTestClickHouse();
  workDir = await tempDir('ch-work');
  session = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
});

afterAll(async () => {
  await session?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The pid of a process that has run and ended. */
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

/** Appends a claim row as another process's apply writes it. */
async function insertClaim(conn: ClickHouseConnection, c: { owner: string; host: string; pid: number; fingerprint: string; leaseMs: number }): Promise<void> {
  await tableLockHolder(conn, DB);
  await conn.command(
    `INSERT INTO default.topoplan_locks (name, owner, kind, expires, version, host, pid, process) SELECT ${chString(DB)}, ${chString(c.owner)}, 'claim', ` +
      `now64(3, 'UTC') + toIntervalMillisecond(${c.leaseMs}), toUInt64(toUnixTimestamp64Micro(now64(6))), ${chString(c.host)}, ${c.pid}, ${chString(c.fingerprint)}`,
  );
}

describe('clickhouse engine', () => {
  it('creates the database, a ReplacingMergeTree with a bloom filter and TTL, and a materialized view', async () => {
    expect(await session.readLedger()).toEqual({ records: [], noDatabase: true });
    const steps = [
      step('create_database', [`CREATE DATABASE IF NOT EXISTS ${DB}`], { kind: 'create_database' }),
      step('001', [
        `CREATE TABLE events (id UInt64, user_id String, at DateTime, version UInt32,
           INDEX idx_user user_id TYPE bloom_filter(0.01) GRANULARITY 1)
         ENGINE = ReplacingMergeTree(version) ORDER BY id TTL at + INTERVAL 30 DAY`,
        `CREATE TABLE daily (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day`,
        `CREATE MATERIALIZED VIEW daily_mv TO daily AS SELECT toDate(at) AS day, count() AS n FROM events GROUP BY day`,
      ]),
      step('002', [`INSERT INTO events VALUES (1, 'u1', now(), 1), (2, 'u2', now(), 1), (3, 'u,"3"', now(), 1)`]),
    ];
    for (const s of steps) await session.applyStep(s, { workDir });
    const ledger = await records();
    expect(ledger.map((e) => [e.stepId, e.status, e.fingerprint, e.sql])).toEqual(
      steps.flatMap((s) => s.statements.map((sql, i) => [s.id, 'applied', s.source ? s.source.fingerprints[i] : 'ch:create_database', sql])),
    );
    const snap = await session.inspect();
    expect(snap.tables).toEqual([`${DB}.daily`, `${DB}.events`]);
    expect(snap.views).toEqual([`${DB}.daily_mv`]);
    expect(snap.indexes).toEqual([`${DB}.events.idx_user`]);
    expect(snap.definitions[`table ${DB}.events`]).toMatch(/ReplacingMergeTree\(version\).*TTL at \+ toIntervalDay\(30\)/s);
    expect(snap.definitions[`index ${DB}.events.idx_user`]).toBe('bloom_filter(0.01) ON events (user_id) GRANULARITY 1');
    expect(snap.objects.find((o) => o.name === `${DB}.events`)).toEqual({
      kind: 'table', name: `${DB}.events`, constraints: [], engine: 'ReplacingMergeTree(version)', orderBy: 'id', ttl: 'at + toIntervalDay(30)',
      columns: [
        { name: 'id', type: 'UInt64', nullable: false },
        { name: 'user_id', type: 'String', nullable: false },
        { name: 'at', type: 'DateTime', nullable: false },
        { name: 'version', type: 'UInt32', nullable: false },
      ],
    });
    expect(snap.objects.find((o) => o.name === `${DB}.daily_mv`)).toMatchObject({ kind: 'view', materialized: true, target: `${DB}.daily` });
    expect(snap.objects.find((o) => o.kind === 'index')).toMatchObject({ table: `${DB}.events`, unique: false });
    expect(await session.countRows('events')).toBe(3);
    expect(await session.countRows(`${DB}.daily`)).toBeGreaterThan(0);
  });

  it('sends a SET\'s settings with the statements it governs, and they hold for nothing else', async () => {
    const suspicious = (name: string) => `CREATE TABLE ${name} (x LowCardinality(UInt8)) ENGINE = Memory`;
    const settings = { allow_suspicious_low_cardinality_types: '1' };
    await session.applyStep(step('settings', ['SET allow_suspicious_low_cardinality_types = 1', suspicious('lc_ok')], { settings: [settings, settings] }), { workDir });
    expect((await session.inspect()).tables).toContain(`${DB}.lc_ok`);
    const error = await session.applyStep(step('no-settings', [suspicious('lc_refused')]), { workDir }).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toMatch(/LowCardinality|suspicious/i);
  });

  it('leaves a started row and names the statement when a statement fails', async () => {
    const s = step('003', ['CREATE TABLE ok_table (id UInt8) ENGINE = MergeTree ORDER BY id', 'SELEC 1']);
    const error = await session.applyStep(s, { workDir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StatementError);
    expect((error as StatementError).statementIndex).toBe(1);
    expect((error as StatementError).code).toBe('62');
    expect((error as StatementError).message).toMatch(/Syntax error/);
    // ClickHouse reports "failed at position 7 ('1')": 1-based, at the token after the unknown keyword.
    expect((error as StatementError).position).toBe(7);
    expect([(error as StatementError).line, (error as StatementError).column]).toEqual([1, 7]);
    // Each statement is recorded started before it runs: the first ran, the second failed, neither is marked applied.
    expect((await records()).filter((e) => e.stepId === s.id).map((e) => [e.ordinal, e.status])).toEqual([[0, 'started'], [1, 'started']]);
  });

  it('records steps of guarded statements with no started row, together with the next write; cut off before it, they run again', async () => {
    const conn = await openClickHouse(server.url);
    const rows = async (ids: string[]) => conn.rows<{ step_id: string; status: string }>(
      `SELECT step_id, status FROM ${DB}.topoplan_ledger WHERE step_id IN (${ids.map(chString).join(', ')}) ORDER BY step_id, version, ordinal`,
    );
    const a = step('guarded-a', ['CREATE TABLE IF NOT EXISTS guarded_a (id UInt8) ENGINE = MergeTree ORDER BY id', 'SET mutations_sync = 2', 'ALTER TABLE guarded_a ADD COLUMN IF NOT EXISTS note String']);
    const b = step('guarded-b', ['CREATE VIEW IF NOT EXISTS guarded_v AS SELECT id FROM guarded_a']);
    const c = step('unguarded-c', ["INSERT INTO guarded_a (id, note) VALUES (1, 'x')"]);
    await session.applyStep(a, { workDir });
    await session.applyStep(b, { workDir });
    expect(await rows([a.id, b.id])).toEqual([]);
    // A step that does not rerun safely writes its started row, after the waiting applied ones, in one request.
    await session.applyStep(c, { workDir });
    expect(await rows([a.id, b.id, c.id])).toEqual([
      ...[0, 1, 2].map(() => ({ step_id: a.id, status: 'applied' })),
      { step_id: b.id, status: 'applied' },
      { step_id: c.id, status: 'started' },
      { step_id: c.id, status: 'applied' },
    ]);
    // A session that ends without writing its waiting rows (a crash) leaves the step to run again, with the same result.
    const crashed = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
    const d = step('guarded-d', ['CREATE TABLE IF NOT EXISTS guarded_d (id UInt8) ENGINE = MergeTree ORDER BY id']);
    await crashed.applyStep(d, { workDir });
    expect((await records()).some((r) => r.stepId === d.id)).toBe(false);
    await session.applyStep(d, { workDir });
    expect((await records()).filter((r) => r.stepId === d.id).map((r) => r.status)).toEqual(['applied']);
    // A destructive step keeps its started row, however guarded its statements.
    const e = step('guarded-e', ['DROP TABLE IF EXISTS guarded_d'], { destructive: true });
    await session.applyStep(e, { workDir });
    expect(await rows([e.id])).toEqual([{ step_id: e.id, status: 'started' }, { step_id: e.id, status: 'applied' }]);
    // So does a rename: run again after a crash, the CREATE before it would make its source again, and it would fail.
    const r = step('guarded-rename', ['CREATE TABLE IF NOT EXISTS guarded_old (id UInt8) ENGINE = MergeTree ORDER BY id', 'RENAME TABLE IF EXISTS guarded_old TO guarded_new']);
    await session.applyStep(r, { workDir });
    expect(await rows([r.id])).toEqual(['started', 'started', 'applied', 'applied'].map((status) => ({ step_id: r.id, status })));
    const column = step('guarded-column', ['ALTER TABLE guarded_new ADD COLUMN IF NOT EXISTS a UInt8', 'ALTER TABLE guarded_new RENAME COLUMN IF EXISTS a TO b']);
    await session.applyStep(column, { workDir });
    expect((await rows([column.id])).map((x) => x.status)).toEqual(['started', 'started', 'applied', 'applied']);
    await crashed.close();
    await conn.close();
  });

  it('writes and removes records without running anything; the newest row per statement wins', async () => {
    const before = (await records()).filter((e) => e.stepId === 'ch:003');
    await session.record([{ ...before[0]!, status: 'applied', origin: 'rerecord' }], [{ file: before[1]!.file, fingerprint: before[1]!.fingerprint }]);
    const after = (await records()).filter((e) => e.stepId === 'ch:003');
    expect(after).toEqual([{ ...before[0]!, status: 'applied', origin: 'rerecord' }]);
  });

  it('writes waiting rows, removals and records in one request: a removed waiting row is not written, a removed and written key ends written', async () => {
    const conn = await openClickHouse(server.url);
    const sent: string[] = [];
    const listing: ClickHouseConnection = { ...conn, command: (sql, database, settings) => (sent.push(sql), conn.command(sql, database, settings)), close: () => conn.close() };
    const own = new ClickHouseSession(listing, { store: 'analytics', database: DB, url: server.url });
    try {
      const f = step('guarded-f', ['CREATE TABLE IF NOT EXISTS guarded_f (id UInt8) ENGINE = MergeTree ORDER BY id']);
      const g = step('guarded-g', ['CREATE TABLE IF NOT EXISTS guarded_g (id UInt8) ENGINE = MergeTree ORDER BY id']);
      await own.readLedger();
      await own.applyStep(f, { workDir });
      await own.applyStep(g, { workDir });
      const waiting = (await own.readLedger()).records;
      const [rf, rg] = [waiting.find((r) => r.stepId === f.id)!, waiting.find((r) => r.stepId === g.id)!];
      sent.length = 0;
      await own.record([{ ...rg, origin: 'rerecord' }], [rf, rg]);
      expect(sent.length).toBe(1);
      expect(sent[0]).toMatch(/^INSERT INTO `analytics`\.`topoplan_ledger`/);
      const after = await records();
      expect(after.some((r) => r.stepId === f.id)).toBe(false);
      expect(after.filter((r) => r.stepId === g.id).map((r) => r.origin)).toEqual(['rerecord']);
      // The waiting row of f was never written: only its removal is.
      expect(await conn.rows(`SELECT removed FROM ${DB}.topoplan_ledger WHERE step_id = ${chString(f.id)} OR (file = ${chString(rf.file)} AND fingerprint = ${chString(rf.fingerprint)})`)).toEqual([{ removed: 1 }]);
    } finally {
      await own.close();
    }
  });

  it('writes many records in one request and reads back every character of their text', async () => {
    const tricky = "INSERT INTO t VALUES ('it''s', 'a\\b', '$$x$$')\n-- ; \t done";
    const writes = Array.from({ length: 30 }, (_, i) => ({
      file: `app/many_${i}.sql`, fingerprint: `fp'${i}`, ordinal: i, store: 'analytics', stepId: `ch:many#${i}`, phase: 'expand', status: 'applied' as const,
      origin: 'rerecord' as const, appliedAt: '2025-03-04T05:06:07.089Z', durationMs: i, sql: tricky, ...(i % 2 ? { source: `{{.X}} ${tricky}` } : {}),
    }));
    await session.record(writes);
    expect((await records()).filter((r) => r.stepId.startsWith('ch:many#')).sort((a, b) => a.ordinal - b.ordinal)).toEqual(writes);
    await session.record([], writes.map((w) => ({ file: w.file, fingerprint: w.fingerprint })));
    expect((await records()).filter((r) => r.stepId.startsWith('ch:many#'))).toEqual([]);
    // Rows numbered by a server's clock and by this process's (embedded chdb's) are read alike; a later row wins either way.
    const conn = await openClickHouse(server.url);
    try {
      for (const [first, then] of [['server', 'process'], ['process', 'server']] as const) {
        await writeRecords(conn, DB, writes.slice(0, 2), undefined, first);
        await appendRecords(conn, DB, { removals: writes.slice(1, 2) }, { clock: first });
        await new Promise((r) => setTimeout(r, 5));
        await writeRecords(conn, DB, [{ ...writes[0]!, origin: 'adopt' }], undefined, then);
        expect((await records()).filter((r) => r.stepId.startsWith('ch:many#'))).toEqual([{ ...writes[0]!, origin: 'adopt' }]);
        await appendRecords(conn, DB, { removals: writes.slice(0, 1) }, { clock: then });
        expect((await records()).filter((r) => r.stepId.startsWith('ch:many#'))).toEqual([]);
      }
    } finally {
      await conn.close();
    }
  });

  it('upgrades a per-step ledger by building the new one beside it and swapping the two', async () => {
    const other = await clickhouseEngine.connect({ store: 'legacy', database: 'legacy_ledger', url: server.url });
    try {
      const raw = await openClickHouse(server.url);
      const run = (sql: string) => raw.command(sql);
      await run('CREATE DATABASE IF NOT EXISTS legacy_ledger');
      await run(`CREATE TABLE legacy_ledger.topoplan_ledger (step_id String, file String, statements String, checksum String, phase String,
        status LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32, sql String, version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY step_id`);
      await run(`INSERT INTO legacy_ledger.topoplan_ledger VALUES ('legacy:ch/001.sql#1', 'ch/001.sql', '0-0', 'abc', 'expand', 'started', '2024-01-02 03:04:05', 0, 'CREATE TABLE t (a UInt8) ENGINE = Memory', 1),
        ('legacy:ch/001.sql#1', 'ch/001.sql', '0-0', 'abc', 'expand', 'applied', '2024-01-02 03:04:05', 9, 'CREATE TABLE t (a UInt8) ENGINE = Memory', 2)`);
      const state = await other.readLedger();
      expect(state.records).toEqual([]);
      expect(state.legacy!.map((r) => [r.stepId, r.status, r.durationMs, r.appliedAt])).toEqual([['legacy:ch/001.sql#1', 'applied', 9, '2024-01-02T03:04:05.000Z']]);
      const write = { file: 'ch/001.sql', fingerprint: 'f1', ordinal: 0, store: 'legacy', stepId: 'legacy:ch/001.sql#1', phase: 'expand', status: 'applied' as const, origin: 'upgrade' as const, appliedAt: '2024-01-02T03:04:05.000Z', durationMs: 9, sql: 'CREATE TABLE t (a UInt8) ENGINE = Memory' };
      await other.upgradeLedger([write]);
      expect(await other.readLedger()).toEqual({ records: [write] });
      await other.upgradeLedger([{ ...write, fingerprint: 'again' }]);
      expect((await other.readLedger()).records.map((r) => r.fingerprint)).toEqual(['f1']);
      expect((await other.inspect()).tables).toEqual([]);
      await raw.close();
    } finally {
      await other.close();
    }
  });

  it('backs up a table as CSV with a header', async () => {
    const [file] = await session.backupTables(['events'], path.join(workDir, 'backup'));
    expect(file).toMatchObject({ table: 'events', rows: 3 });
    const lines = (await readFile(file!.path, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('"id","user_id","at","version"');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '2', '3']);
    expect(lines[3]).toContain('"u,""3"""');
  });

  it('lets one apply hold the lock and names the holder to the other', async () => {
    const other = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
    try {
      const release = await session.lock({ timeoutMs: 1_000 });
      await expect(other.lock({ timeoutMs: 500, pollMs: 100 })).rejects.toThrow(/apply: store "analytics" is locked by another apply \(.+ pid \d+ since \d{4}-.+\); waited 0\.5s/);
      await release();
      const releaseOther = await other.lock({ timeoutMs: 1_000, pollMs: 50 });
      await releaseOther();
    } finally {
      await other.close();
    }
  });

  it('hands the lock to a waiting apply once it is released', async () => {
    const other = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
    try {
      const release = await session.lock({ timeoutMs: 1_000 });
      const waiting = other.lock({ timeoutMs: 5_000, pollMs: 50 });
      await new Promise((r) => setTimeout(r, 200));
      await release();
      const releaseOther = await waiting;
      await expect(session.lock({ timeoutMs: 200, pollMs: 50 })).rejects.toThrow(/locked by another apply/);
      await releaseOther();
    } finally {
      await other.close();
    }
  });

  // A server's claims live in a table (on embedded ClickHouse a session holds its claim in memory, tested below).
  it('breaks at once, with a line, the claim of a holder on this host whose process has ended', async () => {
    const conn = await openClickHouse(server.url);
    try {
      // What an apply killed while holding the lock leaves: its claim, with a lease of an hour.
      await insertClaim(conn, { owner: 'killed apply', host: thisProcess().host, pid: deadPid(), fingerprint: thisProcess().fingerprint, leaseMs: 3_600_000 });
      const notes: string[] = [];
      const lock = await acquireTableLock(conn, { store: 'analytics', database: DB, timeoutMs: 0, onNote: (n) => notes.push(n) });
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^store "analytics": broke the lock of ${thisProcess().host} pid \\d+ since \\d{4}-.*: that process has ended$`))]);
      await lock.release();
    } finally {
      await conn.close();
    }
  });

  it('waits out the lease of a holder on another host; never breaks it while it runs', async () => {
    const conn = await openClickHouse(server.url);
    try {
      await insertClaim(conn, { owner: 'elsewhere', host: 'another-host', pid: 4242, fingerprint: 'x:1:1', leaseMs: 600 });
      const request = { store: 'analytics', database: DB, timeoutMs: 0 };
      await expect(acquireTableLock(conn, request)).rejects.toThrow(/locked by another apply \(another-host pid 4242 since /);
      const lock = await acquireTableLock(conn, { ...request, timeoutMs: 10_000, pollMs: 50 });
      await lock.release();
    } finally {
      await conn.close();
    }
  });

  it('unlock breaks a claim on purpose, a live holder only with force, and the holder then runs no more steps', async () => {
    const other = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
    try {
      expect(await other.breakLock()).toEqual({ broken: false });
      const release = await session.lock({ timeoutMs: 1_000 });
      const kept = await other.breakLock();
      expect(kept).toMatchObject({ broken: false, holderState: 'alive', holder: { host: thisProcess().host, pid: process.pid } });
      const broken = await other.breakLock({ force: true });
      expect(broken).toMatchObject({ broken: true, holderState: 'alive', holder: { pid: process.pid } });
      expect(broken.holder!.since).toMatch(/^\d{4}-\d\d-\d\dT/);
      const mine = await other.lock({ timeoutMs: 1_000 });
      await mine();
      await release();
    } finally {
      await other.close();
    }
    const conn = await openClickHouse(server.url);
    try {
      // A short lease is renewed often: the holder learns of the break at its next renewal.
      const lock = await acquireTableLock(conn, { store: 'analytics', database: DB, timeoutMs: 1_000, leaseMs: 300 });
      await breakTableLock(conn, DB, true);
      await expect.poll(() => lock.lost(), { timeout: 10_000, interval: 50 }).toBe(true);
      await lock.release();
    } finally {
      await conn.close();
    }
    const s = await clickhouseEngine.connect({ store: 'analytics', database: DB, url: server.url });
    try {
      await s.lock({ timeoutMs: 1_000, leaseMs: 300 });
      await s.applyStep(step('before-break', ['SELECT 1']), { workDir });
      expect((await s.breakLock({ force: true })).broken).toBe(true);
      await expect.poll(async () => (await s.applyStep(step('after-break', ['SELECT 1']), { workDir }).then(() => 'applied', (e: Error) => e.message)), { timeout: 10_000, interval: 100 }).toMatch(/store "analytics" lost its lock/);
    } finally {
      await s.close();
    }
  });

  it('gives a claim table made before claims carried their process the columns, once', async () => {
    const conn = await openClickHouse(server.url);
    try {
      await conn.command('DROP TABLE IF EXISTS default.topoplan_locks SYNC');
      await conn.command("CREATE TABLE default.topoplan_locks (name String, owner String, kind LowCardinality(String), expires DateTime64(3, 'UTC'), version UInt64, at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')) ENGINE = MergeTree ORDER BY (name, version)");
      const lock = await acquireTableLock(conn, { store: 'analytics', database: DB, timeoutMs: 1_000 });
      expect(await tableLockHolder(conn, DB)).toMatchObject({ host: thisProcess().host, pid: process.pid });
      await lock.release();
      const columns = await conn.rows<{ name: string }>("SELECT name FROM system.columns WHERE database = 'default' AND table = 'topoplan_locks' ORDER BY position");
      expect(columns.map((c) => c.name)).toEqual(['name', 'owner', 'kind', 'expires', 'version', 'at', 'host', 'pid', 'process']);
    } finally {
      await conn.close();
    }
  });

  it('on embedded ClickHouse, holds a session\'s claim in the process: nothing is written, a claim in the table does not count', async (ctx) => {
    if (!server.url.startsWith('chdb:')) ctx.skip('the server is not embedded: its claims are in the table, as tested above');
    const conn = await openClickHouse(server.url);
    try {
      // No other process can open the data directory while this one has it: a claim in the table is one no process holds.
      await insertClaim(conn, { owner: 'elsewhere', host: 'another-host', pid: 4242, fingerprint: 'x:1:1', leaseMs: 3_600_000 });
      const rows = async () => (await conn.rows<{ n: string }>(`SELECT count() AS n FROM default.topoplan_locks WHERE name = ${chString(DB)}`))[0]!.n;
      const before = await rows();
      const release = await session.lock({ timeoutMs: 0 });
      expect(await session.breakLock()).toMatchObject({ broken: false, holderState: 'alive', holder: { pid: process.pid } });
      await release();
      expect(await rows()).toBe(before);
      expect(await session.breakLock()).toEqual({ broken: false });
    } finally {
      await conn.close();
    }
  });

  it('keeps two stores on one server apart, each running unqualified statements in its own database', async () => {
    const other = await clickhouseEngine.connect({ store: 'metrics', database: 'metrics', url: server.url });
    try {
      const mk = (id: string, statements: string[], kind: 'sql' | 'create_database' = 'sql') =>
        makeStep({ id: `metrics:${id}`, statements, kind, store: 'metrics', engine: 'clickhouse', database: 'metrics', transactional: false });
      await other.applyStep(mk('create_database', ['CREATE DATABASE IF NOT EXISTS metrics'], 'create_database'), { workDir });
      await other.applyStep(mk('001', ['CREATE TABLE samples (v Float64) ENGINE = MergeTree ORDER BY tuple()']), { workDir });
      await session.applyStep(step('004', ['CREATE TABLE samples (id UInt8) ENGINE = MergeTree ORDER BY id']), { workDir });
      expect((await other.inspect()).tables).toEqual(['metrics.samples']);
      expect((await session.inspect()).tables).toContain(`${DB}.samples`);
      expect((await records(other)).map((e) => e.stepId)).toEqual(['metrics:create_database', 'metrics:001']);
    } finally {
      await other.close();
    }
    // Closing one store must not close the embedded client the other still uses.
    expect(await session.countRows('events')).toBe(3);
  });

  it('describes the keys, partitioning, sampling and generated columns of a table', async () => {
    await session.applyStep(step('005', [
      `CREATE TABLE shaped (id UInt32, at DateTime DEFAULT now(), label Nullable(String), day Date MATERIALIZED toDate(at))
       ENGINE = MergeTree PARTITION BY toYYYYMM(at) PRIMARY KEY id ORDER BY (id, at) SAMPLE BY id`,
    ]), { workDir });
    const shaped = (await session.inspect()).objects.find((o) => o.name === `${DB}.shaped`);
    expect(shaped).toEqual({
      kind: 'table', name: `${DB}.shaped`, constraints: [], engine: 'MergeTree', orderBy: 'id, at', primaryKey: 'id', partitionBy: 'toYYYYMM(at)', sampleBy: 'id',
      columns: [
        { name: 'id', type: 'UInt32', nullable: false },
        { name: 'at', type: 'DateTime', nullable: false, default: 'now()' },
        { name: 'label', type: 'Nullable(String)', nullable: true },
        { name: 'day', type: 'Date', nullable: false, default: 'toDate(at)', generated: 'MATERIALIZED' },
      ],
    });
    // Names only, as expectations about names need: the same objects, without their columns.
    const [full, names] = [await session.inspect(), await session.inspect('names')];
    expect([names.tables, names.views, names.indexes]).toEqual([full.tables, full.views, full.indexes]);
    expect(names.objects.find((o) => o.name === `${DB}.shaped`)).toMatchObject({ kind: 'table', engine: 'MergeTree', columns: [] });
    const tables = await session.inspect('tables');
    expect([tables.tables, tables.views, tables.indexes]).toEqual([full.tables, full.views, []]);
    const targets = (snap: typeof full) => snap.objects.flatMap((o) => (o.kind === 'view' ? [[o.name, o.materialized, o.target]] : []));
    expect(targets(names)).toEqual(targets(full));
    expect(targets(names)).toContainEqual([`${DB}.daily_mv`, true, `${DB}.daily`]);
  });
});
