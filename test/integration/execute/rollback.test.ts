/**
 * Rollback against real engines: every apply is a run; rolling back returns
 * each store to the schema it had before, restores what a contract step
 * dropped, reverts exactly what a failed run applied, and stops before an
 * irreversible step unless forced.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { rollbackRuns, type RollbackOptions } from '../../../src/execute/rollback-runs.js';
import { runsOf } from '../../../src/execute/run-record.js';
import { objectFingerprints } from '../../../src/execute/schema-fingerprint.js';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import type { Plan } from '../../../src/plan/model.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { queryDatabase, startTestClickHouse, startTestPostgres, tempDir } from '../../helpers/engines.js';
import { connectionsFor, novaCopy } from '../../helpers/nova.js';
import { makeProject } from '../../helpers/project.js';

let pgServer: Awaited<ReturnType<typeof startTestPostgres>>;
let chServer: Awaited<ReturnType<typeof startTestClickHouse>>;

beforeAll(async () => {
  [pgServer, chServer] = await Promise.all([startTestPostgres(), startTestClickHouse()]);
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), chServer?.stop()]);
});

/** A one-store PostgreSQL project whose files can be added between applies. */
function project(database: string, files: Record<string, string>) {
  const { dir, topologyFile } = makeProject(files, { stores: { main: { engine: 'postgres', database } }, sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'], ledger: 'sqlx' } } });
  return {
    add: (name: string, text: string) => writeFileSync(join(dir, 'app', name), text),
    plan: () => planMigration(topologyFile, { env: {} }),
  };
}

async function objects(database: string): Promise<Record<string, string>> {
  const s = await postgresEngine.connect({ store: 'main', database, url: pgServer.url });
  try {
    return objectFingerprints(await s.inspect());
  } finally {
    await s.close();
  }
}

async function runsIn(database: string) {
  const s = await postgresEngine.connect({ store: 'main', database, url: pgServer.url });
  try {
    return runsOf((await s.readLedger()).records);
  } finally {
    await s.close();
  }
}

const workDirs = new Map<string, string>();
async function workDir(name: string): Promise<string> {
  if (!workDirs.has(name)) workDirs.set(name, await tempDir(`rollback-${name}`));
  return workDirs.get(name)!;
}
const apply = async (plan: Plan, db: string, extra: { contract?: boolean } = {}) => applyPlan(plan, { connections: { main: pgServer.url }, workDir: await workDir(db), lockTimeoutMs: 20_000, ...extra });
const rollback = async (plan: Plan, db: string, extra: Partial<RollbackOptions> = {}) => rollbackRuns(plan, { connections: { main: pgServer.url }, workDir: await workDir(db), lockTimeoutMs: 20_000, ...extra });

describe('rollback of one PostgreSQL store', () => {
  it('records each apply as a run; rolling back the second release restores the tables its contract step dropped, with their rows', async () => {
    const db = 'rb_release';
    const p = project(db, { 'app/001_accounts.sql': 'CREATE TABLE accounts (id int PRIMARY KEY, email text);\nCREATE TABLE notes (id int PRIMARY KEY, body text);\n' });
    expect((await apply(await p.plan(), db)).ok).toBe(true);
    await queryDatabase(pgServer.url, db, "INSERT INTO accounts VALUES (1, 'a@x'), (2, 'b@x'); INSERT INTO notes VALUES (1, 'keep me')");
    const afterFirst = await objects(db);
    p.add('002_release.sql', 'ALTER TABLE accounts ADD COLUMN plan text;\nCREATE INDEX accounts_plan ON accounts (plan);\n');
    p.add('003_drop_notes.sql', 'DROP TABLE notes;\n');
    const second = await p.plan();
    expect((await apply(second, db, { contract: true })).ok).toBe(true);
    expect((await objects(db))['table public.notes']).toBeUndefined();

    const runs = await runsIn(db);
    expect(runs.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(runs[1]!.applied).toEqual(second.steps.filter((s) => s.source && s.source.file !== 'app/001_accounts.sql').map((s) => s.id));

    const dry = await rollback(second, db, { dryRun: true });
    expect(dry.steps.flatMap((s) => s.sql ?? [])).toEqual([expect.stringContaining('-- restore '), 'DROP INDEX public.accounts_plan', 'ALTER TABLE public.accounts DROP COLUMN plan']);
    expect((await objects(db))['table public.notes']).toBeUndefined();

    // Dropping column "plan" of a table that holds rows destroys data: it needs the opt-in.
    const held = await rollback(second, db);
    expect(held.ok).toBe(false);
    expect(held.steps.find((s) => s.status === 'not-reverted')!.reason).toMatch(/destroys drop column table "public.accounts" \(plan\): pass --contract/);

    const r = await rollback(second, db, { contract: true });
    expect(r.steps.filter((s) => s.status !== 'reverted')).toEqual([]);
    expect(r.comparisons).toEqual([{ store: 'main', run: runs[1]!.id, differences: [] }]);
    expect(r.ok).toBe(true);
    expect(await objects(db)).toEqual(afterFirst);
    expect(await queryDatabase(pgServer.url, db, 'SELECT body FROM notes')).toEqual([{ body: 'keep me' }]);
    expect(await queryDatabase(pgServer.url, db, 'SELECT count(*)::int AS n FROM accounts')).toEqual([{ n: 2 }]);
    const versions = await queryDatabase<{ version: string }>(pgServer.url, db, 'SELECT version::text FROM _sqlx_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(['1']);
    // The first release is untouched, and applying again brings the second back.
    expect((await rollback(second, db, { dryRun: true })).runs).toEqual([runs[0]!.id]);
  });

  it('a run that failed midway is reverted exactly as far as it went', async () => {
    const db = 'rb_failed';
    const p = project(db, { 'app/001_a.sql': 'CREATE TABLE a (id int);\n' });
    await apply(await p.plan(), db);
    const before = await objects(db);
    p.add('002_b.sql', 'CREATE TABLE b (id int);\n');
    // Planning cannot tell: PostgreSQL rejects the default when the table is created.
    p.add('003_broken.sql', "CREATE TABLE c (id int DEFAULT 'x');\n");
    p.add('004_d.sql', 'CREATE TABLE d (id int);\n');
    const plan = await p.plan();
    const result = await apply(plan, db);
    expect(result.ok).toBe(false);
    const applied = result.steps.filter((s) => s.status === 'applied').map((s) => s.id);
    expect(applied.some((id) => id.includes('002_b'))).toBe(true);
    expect(applied.some((id) => id.includes('003_broken'))).toBe(false);
    expect((await runsIn(db)).map((r) => r.status)).toEqual(['applied', 'failed']);
    const r = await rollback(plan, db);
    expect(r.steps.map((s) => s.id).sort()).toEqual(applied.sort());
    expect(r.ok).toBe(true);
    expect(await objects(db)).toEqual(before);
  });

  it('an irreversible step stops the rollback before it, with its reason; --force skips it and says what stays', async () => {
    const db = 'rb_irreversible';
    const p = project(db, { 'app/001_a.sql': 'CREATE TABLE a (id int);\n' });
    await apply(await p.plan(), db);
    p.add('002_seed.sql', 'CREATE TABLE b (id int);\n');
    p.add('003_fill.sql', 'INSERT INTO a VALUES (1);\n');
    const plan = await p.plan();
    await apply(plan, db);
    const stopped = await rollback(plan, db);
    expect(stopped.ok).toBe(false);
    const stop = stopped.steps.find((s) => s.status === 'not-reverted')!;
    expect(stop.id).toMatch(/003_fill/);
    expect(stop.reason).toMatch(/statement 1 \(app\/003_fill.sql:1\): INSERT changes rows.*which this rollback leaves applied.*--force/);
    expect((await objects(db))['table public.b']).toBeDefined();
    // The step applied before it waits for it, and says so rather than repeating its reason as its own.
    const waiting = stopped.steps.find((s) => /002_seed/.test(s.id))!;
    expect(waiting.status).toBe('not-reverted');
    expect(waiting.reason?.startsWith(`waits for the revert of "${stop.id}", which is not reverted: `), waiting.reason).toBe(true);

    const forced = await rollback(plan, db, { force: true });
    expect(forced.steps.map((s) => [s.id.replace(/^.*\//, ''), s.status])).toEqual([['003_fill.sql#1', 'forced'], ['002_seed.sql#1', 'reverted']]);
    expect(forced.steps[0]!.reason).toMatch(/skipped \(--force\): its changes stay/);
    expect((await objects(db))['table public.b']).toBeUndefined();
    expect(await queryDatabase(pgServer.url, db, 'SELECT count(*)::int AS n FROM a')).toEqual([{ n: 1 }]);
  });

  it('--run reverts one run and says why it cannot compare while later runs stay; --to reverts every run after one', async () => {
    const db = 'rb_choose';
    const p = project(db, { 'app/001_a.sql': 'CREATE TABLE a (id int);\n' });
    await apply(await p.plan(), db);
    const afterFirst = await objects(db);
    p.add('002_b.sql', 'CREATE TABLE b (id int);\n');
    await apply(await p.plan(), db);
    p.add('003_c.sql', 'CREATE TABLE c (id int);\n');
    const plan = await p.plan();
    await apply(plan, db);
    const [r1, r2, r3] = (await runsIn(db)).map((r) => r.id);
    const middle = await rollback(plan, db, { run: r2! });
    expect(middle.steps.map((s) => [s.id, s.status])).toEqual([['main:app/002_b.sql#1', 'reverted']]);
    expect(middle.comparisons).toEqual([{ store: 'main', run: r2, differences: [], notCompared: `later runs stay applied: ${r3}` }]);
    expect((await runsIn(db)).map((r) => r.status)).toEqual(['applied', 'rolled-back', 'applied']);
    const to = await rollback(plan, db, { to: r1! });
    expect(to.runs).toEqual([r3]);
    expect(to.ok).toBe(true);
    expect(await objects(db)).toEqual(afterFirst);
  });

  it('names the runs when --run or --to names none, and does nothing when there is no run', async () => {
    const db = 'rb_unknown';
    const p = project(db, { 'app/001_a.sql': 'CREATE TABLE a (id int);\n' });
    const plan = await p.plan();
    expect(await rollback(plan, db)).toMatchObject({ ok: true, runs: [], steps: [] });
    await apply(plan, db);
    const r = await rollback(plan, db, { run: 'nope' });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/--run "nope" is not a run recorded in any store; hint: the runs are "/);
    expect((await rollback(plan, db, { to: 'nope' })).errors[0]).toMatch(/--to "nope"/);
  });
});

describe('rollback of the Nova example across stores', () => {
  it('rolls back all of plan A on PostgreSQL and ClickHouse: each store as before, ledgers and _sqlx_migrations empty of it', async () => {
    const nova = novaCopy('a', 'rb');
    const topology = await nova.load();
    const plan = await planMigration(topology);
    const connections = connectionsFor(topology, pgServer.url, chServer.url);
    const dir = await tempDir('rollback-nova');
    const before = new Map<string, Record<string, string>>();
    const inspect = async (store: string) => {
      const s = plan.stores.find((x) => x.name === store)!;
      const session = await (s.engine === 'postgres' ? postgresEngine : clickhouseEngine).connect({ store, database: s.database, url: connections[store]! });
      try {
        return objectFingerprints(await session.inspect());
      } finally {
        await session.close();
      }
    };
    for (const s of plan.stores.filter((x) => connections[x.name])) before.set(s.name, await inspect(s.name));
    const applied = await applyPlan(plan, { connections, workDir: dir, lockTimeoutMs: 20_000, contract: true });
    expect(applied.steps.filter((s) => s.status === 'failed')).toEqual([]);

    const r = await rollbackRuns(plan, { connections, workDir: dir, all: true, contract: true, lockTimeoutMs: 20_000 });
    expect(r.steps.filter((s) => s.status !== 'reverted')).toEqual([]);
    expect(r.comparisons.every((c) => c.differences.length === 0 && !c.notCompared)).toBe(true);
    expect(r.ok).toBe(true);
    for (const [store, objs] of before) expect(await inspect(store)).toEqual(objs);
    const pgDb = plan.stores.find((s) => s.engine === 'postgres')!.database;
    expect(await queryDatabase(pgServer.url, pgDb, "SELECT count(*)::int AS n FROM topoplan.ledger WHERE fingerprint NOT LIKE 'run:%'")).toEqual([{ n: 0 }]);
    const sqlxTables = [...new Set(plan.services.flatMap((s) => (s.sqlx ? [s.sqlx.table] : [])))];
    expect(sqlxTables.length).toBeGreaterThan(0);
    for (const t of sqlxTables) expect(await queryDatabase(pgServer.url, pgDb, `SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
  });
});
