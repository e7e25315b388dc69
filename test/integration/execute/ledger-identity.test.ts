/**
 * The ledger records statements, not steps: on real PostgreSQL, plans that
 * cut the same applied statements into other steps (another owner, skip,
 * supersession or store binding) run nothing again, a skip lifted later runs
 * only what it skipped, edits and orphans are
 * reported with what to do, a per-step ledger of an earlier version is
 * upgraded in place, and a step killed outside a transaction is settled by
 * what the database holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { ledgerWrites } from '../../../src/engines/ledger-records.js';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { storeStatus } from '../../../src/execute/store-status.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { queryDatabase, startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';
import { stringify } from 'yaml';

let server: TestEngine;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => queryDatabase<T>(server.url, database, text);

async function apply(plan: Plan, extra: Partial<Parameters<typeof applyPlan>[1]> = {}): Promise<ApplyResult> {
  return applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('ledger-'), ...extra });
}

async function status(plan: Plan) {
  const session = await postgresEngine.connect({ store: 'main', database: plan.stores[0]!.database, url: server.url });
  try { return (await storeStatus(plan, new Map([['main', session]])))[0]!; } finally { await session.close(); }
}

const by = (r: ApplyResult, status: string) => r.steps.filter((s) => s.status === status);

/** One project whose topology is rewritten between applies; the files stay unless a test edits them. */
function project(database: string, files: Record<string, string>) {
  const p = makeProject(files, {});
  const write = (topology: Record<string, unknown>) => writeFileSync(p.topologyFile, stringify({ topoplan: 1, name: database, stores: { main: { engine: 'postgres', database } }, ...topology }));
  return { ...p, write, plan: async (topology: Record<string, unknown>) => { write(topology); return planMigration(p.topologyFile, { env: {} }); } };
}

describe('statements keep their identity however the plan groups them', () => {
  const files = {
    'app/001_kinds.sql': `-- kinds first: items point at them
CREATE TABLE kinds (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO kinds VALUES (1, 'a'), (2, 'b');
CREATE TABLE items (id bigint PRIMARY KEY, kind int NOT NULL REFERENCES kinds(id));
`,
    'legacy/001_shared.sql': `CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE notes (id bigserial PRIMARY KEY, body text);
`,
  };
  const p = project('ledger_groups', files);
  const topology = (owns: Record<string, string[]>, skip: unknown[] = []) => ({
    sets: { app: { dir: 'app' }, legacy: { dir: 'legacy', shared: true } },
    services: {
      app: { stores: { postgres: 'main' }, sets: ['app'], owns: owns.app },
      notes: { stores: { postgres: 'main' }, owns: owns.notes },
    },
    skip,
  });
  const skipInsert = [{ set: 'app', file: '001_kinds.sql', statements: '2', reason: 'no seed rows yet' }];

  it('an ownership change that splits a step in two runs nothing again', async () => {
    const first = await p.plan(topology({ app: ['kinds', 'items', 'audit', 'notes'], notes: [] }, skipInsert));
    expect(first.steps.map((s) => s.id)).toContain('main:legacy/001_shared.sql#1-2');
    expect((await apply(first)).ok).toBe(true);
    const split = await p.plan(topology({ app: ['kinds', 'items', 'audit'], notes: ['notes'] }, skipInsert));
    expect(split.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['main:legacy/001_shared.sql#1', 'main:legacy/001_shared.sql#2']));
    const r = await apply(split);
    expect(r.ok).toBe(true);
    expect(by(r, 'applied')).toEqual([]);
    expect(by(r, 'already-applied')).toHaveLength(split.steps.length);
  });

  it('a skip lifted later runs only the statement it skipped', async () => {
    const lifted = await p.plan(topology({ app: ['kinds', 'items', 'audit'], notes: ['notes'] }));
    const r = await apply(lifted);
    expect(r.ok).toBe(true);
    expect(by(r, 'applied').map((s) => [s.id, s.reason])).toEqual([['main:app/001_kinds.sql#1-3', 'ran 1 of its 3 statements: the others were applied already']]);
    expect(await sql('ledger_groups', 'SELECT count(*)::int AS n FROM kinds')).toEqual([{ n: 2 }]);
  });

  it('a statement skipped after it ran is orphaned, and status says why and what to do', async () => {
    const skipped = await p.plan(topology({ app: ['kinds', 'items', 'audit'], notes: ['notes'] }, skipInsert));
    expect((await apply(skipped)).ok).toBe(true);
    const s = await status(skipped);
    expect(s.pending).toEqual([]);
    expect(s.orphaned).toEqual([
      expect.objectContaining({ file: 'app/001_kinds.sql', statement: 2, recordedAs: 'main:app/001_kinds.sql#1-3', sql: "INSERT INTO kinds VALUES (1, 'a'), (2, 'b')" }),
    ]);
    expect(s.orphaned[0]!.reason).toMatch(/statement 2 of "app\/001_kinds.sql" is not run by the plan now: skipped by the topology .*no seed rows yet/);
    expect(s.orphaned[0]!.hint).toContain('its effect stays in the database');
  });

  it('an edited statement is an error showing both texts, listed by status, and --rerecord accepts it', async () => {
    writeFileSync(join(p.dir, 'app/001_kinds.sql'), files['app/001_kinds.sql'].replace('REFERENCES kinds(id));', 'REFERENCES kinds(id),\n    label text);'));
    const edited = await p.plan(topology({ app: ['kinds', 'items', 'audit'], notes: ['notes'] }));
    const r = await apply(edited);
    const [failed] = by(r, 'failed');
    expect(failed).toMatchObject({ id: 'main:app/001_kinds.sql#1-3', reason: 'changed', error: { file: 'app/001_kinds.sql', line: 4 } });
    expect(failed!.error!.message).toContain('statement 3 (line 4)');
    expect(failed!.error!.message).toContain('  - CREATE TABLE items (id bigint PRIMARY KEY, kind int NOT NULL REFERENCES kinds(id))');
    expect(failed!.error!.message).toContain('  +     label text)');
    const s = await status(edited);
    expect(s.changed.map((c) => [c.file, c.statement, c.line])).toEqual([['app/001_kinds.sql', 3, 4]]);
    expect(s.changed[0]!.hint).toContain('--rerecord');
    expect(s.orphaned).toEqual([]);
    const accepted = await apply(edited, { rerecord: true });
    expect(accepted.ok).toBe(true);
    expect(accepted.steps.find((x) => x.id === failed!.id)).toMatchObject({ status: 'already-applied', reason: 're-recorded 1 changed statement with its new text' });
    // The database was not changed: the column exists only in the file.
    expect(await sql('ledger_groups', "SELECT column_name FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'label'")).toEqual([]);
    expect(by(await apply(edited), 'already-applied')).toHaveLength(edited.steps.length);
  });
});

describe('a supersession changed after the statements ran', () => {
  it('regroups what ran: only the statement new to the ledger runs, and the one now superseded is orphaned with the supersession as reason', async () => {
    const files = {
      'legacy/001_base.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n',
      'profile/001_copy.sql': 'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE profiles (user_id bigint PRIMARY KEY REFERENCES users (id));\n',
    };
    const p = project('ledger_supersession', files);
    const topology = (by: string, sets: string[]) => ({
      sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, profile: { dir: 'profile' } },
      services: { 'profile-service': { stores: { postgres: 'main' }, sets: ['profile'] } },
      supersessions: [{ objects: ['users'], by, sets, reason: 'one definition of users' }],
    });
    const first = await p.plan(topology('legacy', ['profile']));
    expect(first.steps.filter((s) => s.source).map((s) => s.id).sort()).toEqual(['main:legacy/001_base.sql#1', 'main:legacy/001_base.sql#2', 'main:profile/001_copy.sql#2']);
    expect((await apply(first)).ok).toBe(true);
    const swapped = await p.plan(topology('profile-service', ['legacy']));
    expect(swapped.steps.filter((s) => s.source).map((s) => s.id).sort()).toEqual(['main:legacy/001_base.sql#2', 'main:profile/001_copy.sql#1-2']);
    const r = await apply(swapped);
    expect(r.ok).toBe(true);
    expect(by(r, 'applied').map((s) => [s.id, s.reason])).toEqual([['main:profile/001_copy.sql#1-2', 'ran 1 of its 2 statements: the others were applied already']]);
    expect(by(r, 'already-applied').map((s) => s.id).sort()).toEqual(['main:database', 'main:legacy/001_base.sql#2']);
    const s = await status(swapped);
    expect(s.pending).toEqual([]);
    expect(s.orphaned.map((o) => [o.file, o.statement, o.recordedAs])).toEqual([['legacy/001_base.sql', 1, 'main:legacy/001_base.sql#1']]);
    expect(s.orphaned[0]!.reason).toMatch(/statement 1 of "legacy\/001_base.sql" is not run by the plan now: superseded by "profile-service"/);
    expect(by(await apply(swapped), 'already-applied')).toHaveLength(swapped.steps.length);
  });
});

describe('a store binding changed after the statements ran', () => {
  it('moves one statement of a file to another store: it runs there, the rest regroup as a no-op, and the old store lists its record as orphaned', async () => {
    const files = { 'legacy/001_shared.sql': 'CREATE TABLE audit (id bigserial PRIMARY KEY);\nCREATE TABLE notes (id bigserial PRIMARY KEY, body text);\nCREATE TABLE logs (id bigserial PRIMARY KEY);\n' };
    const p = makeProject(files, {});
    const write = (services: Record<string, unknown>) => writeFileSync(p.topologyFile, stringify({
      topoplan: 1,
      name: 'binding',
      stores: { main: { engine: 'postgres', database: 'ledger_binding' }, side: { engine: 'postgres', database: 'ledger_binding_side' } },
      sets: { legacy: { dir: 'legacy', shared: true } },
      services,
    }));
    const plan = async (services: Record<string, unknown>) => { write(services); return planMigration(p.topologyFile, { env: {} }); };
    const connections = { main: server.url, side: server.url };
    const before = await plan({ app: { stores: { postgres: 'main' }, owns: ['audit', 'notes', 'logs'] } });
    expect(before.steps.filter((s) => s.source).map((s) => s.id)).toEqual(['main:legacy/001_shared.sql#1-3']);
    expect((await apply(before, { connections })).ok).toBe(true);
    const moved = await plan({ app: { stores: { postgres: 'main' }, owns: ['audit', 'logs'] }, notes: { stores: { postgres: 'side' }, owns: ['notes'] } });
    expect(moved.steps.filter((s) => s.source).map((s) => s.id).sort()).toEqual(['main:legacy/001_shared.sql#1', 'main:legacy/001_shared.sql#3', 'side:legacy/001_shared.sql#2']);
    const r = await apply(moved, { connections });
    expect(r.ok).toBe(true);
    expect(by(r, 'applied').map((s) => s.id)).toEqual(['side:database', 'side:legacy/001_shared.sql#2']);
    expect(by(r, 'already-applied').map((s) => s.id).sort()).toEqual(['main:database', 'main:legacy/001_shared.sql#1', 'main:legacy/001_shared.sql#3']);
    const session = await postgresEngine.connect({ store: 'main', database: 'ledger_binding', url: server.url });
    const s = await (async () => { try { return (await storeStatus(moved, new Map([['main', session]])))[0]!; } finally { await session.close(); } })();
    expect(s.orphaned.map((o) => [o.file, o.statement])).toEqual([['legacy/001_shared.sql', 2]]);
    expect(s.orphaned[0]!.reason).toBe('statement 2 of "legacy/001_shared.sql" runs in store "side" now');
    expect(s.orphaned[0]!.hint).toContain('move its rows if it holds data');
  });
});

describe('a per-step ledger of an earlier version', () => {
  it('is upgraded in place on the next apply: nothing runs again, an edited statement shows its old text', async () => {
    const files = { 'app/001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY, a int REFERENCES a(id));\n', 'app/002_c.sql': 'CREATE TABLE c (id int);\n' };
    const p = project('ledger_upgrade', files);
    const topology = { sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } };
    const plan = await p.plan(topology);
    expect((await apply(plan)).ok).toBe(true);
    // The ledger as earlier versions kept it: one row per step, its statements joined; 002 was applied with other text.
    const rows = plan.steps.map((s) => {
      const text = s.id.includes('002_c') ? 'CREATE TABLE c (id bigint)' : s.statements.join(';\n');
      const checksum = s.id.includes('002_c') ? 'old' : s.checksum;
      const range = s.source ? `'${s.source.firstStatement}-${s.source.lastStatement}'` : `''`;
      return `(${[s.id, s.source?.file ?? ''].map((v) => `'${v}'`).join(', ')}, ${range}, '${checksum}', '${s.phase}', 'applied', now(), 3, ${pg.escapeLiteral(text)})`;
    });
    await sql('ledger_upgrade', `DROP TABLE topoplan.ledger;
      CREATE TABLE topoplan.ledger (step_id text PRIMARY KEY, file text, statements text, checksum text NOT NULL, phase text NOT NULL,
        status text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL DEFAULT 0, sql text);
      INSERT INTO topoplan.ledger VALUES ${rows.join(',\n')}`);
    const before = await status(plan);
    expect(before.changed.map((c) => [c.file, c.change])).toEqual([['app/002_c.sql', '  - CREATE TABLE c (id bigint)\n  + CREATE TABLE c (id int)']]);
    const r = await apply(plan);
    expect(by(r, 'applied')).toEqual([]);
    expect(by(r, 'failed').map((s) => s.id)).toEqual(['main:app/002_c.sql#1']);
    const records = await sql<{ file: string; ordinal: number; origin: string }>('ledger_upgrade', 'SELECT file, ordinal, origin FROM topoplan.ledger ORDER BY file, ordinal');
    expect(records).toEqual([
      { file: '', ordinal: 0, origin: 'upgrade' },
      { file: 'app/001_a.sql', ordinal: 0, origin: 'upgrade' },
      { file: 'app/001_a.sql', ordinal: 1, origin: 'upgrade' },
      { file: 'app/002_c.sql', ordinal: 0, origin: 'upgrade' },
    ]);
    expect(by(await apply(plan, { rerecord: true }), 'failed')).toEqual([]);
    expect(by(await apply(plan), 'already-applied')).toHaveLength(plan.steps.length);
  });
});

describe('a step left started outside a transaction', () => {
  const files = {
    'app/001_t.sql': 'CREATE TABLE t (v int);\nINSERT INTO t VALUES (1), (1);\n',
    'app/002_unique.sql': 'CREATE UNIQUE INDEX CONCURRENTLY idx_t_v ON t (v);\n',
  };
  const p = project('ledger_started', files);
  const topology = { sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } };
  const unique = 'main:app/002_unique.sql#1';

  it('with an INVALID index is reported, never accepted, and rebuilt with --rerecord once it can be', async () => {
    const plan = await p.plan(topology);
    const r1 = await apply(plan);
    expect(by(r1, 'failed').map((s) => s.id)).toEqual([unique]);
    expect((await status(plan)).unfinished).toEqual([unique]);
    const r2 = await apply(plan);
    expect(by(r2, 'failed')[0]).toMatchObject({ id: unique, reason: 'unfinished' });
    expect(by(r2, 'failed')[0]!.error!.message).toMatch(/index public\.idx_t_v exists but is INVALID .*--rerecord to rebuild it/);
    const r3 = await apply(plan, { rerecord: true });
    expect(by(r3, 'failed')[0]!.error!.message).toMatch(/rebuilding the INVALID index public\.idx_t_v failed: .*could not create unique index/);
    await sql('ledger_started', 'DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t)');
    const r4 = await apply(plan, { rerecord: true });
    expect(r4.ok).toBe(true);
    expect(r4.steps.find((s) => s.id === unique)!.reason).toBe('re-recorded: was started and not seen to finish; checked index public.idx_t_v (rebuilt)');
    expect(await sql('ledger_started', "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_t_v'::regclass")).toEqual([{ indisvalid: true }]);
    expect(by(await apply(plan), 'already-applied')).toHaveLength(plan.steps.length);
  });

  it('whose effect is not in the database at all runs again', async () => {
    writeFileSync(join(p.dir, 'app/003_plain.sql'), 'CREATE INDEX CONCURRENTLY idx_t_v_plain ON t (v);\n');
    const plan = await p.plan(topology);
    const step = plan.steps.find((s) => s.id === 'main:app/003_plain.sql#1')!;
    // What a run killed between its `started` record and the index build leaves behind.
    const session = await postgresEngine.connect({ store: 'main', database: 'ledger_started', url: server.url });
    try { await session.record(ledgerWrites(step, 'started', 0)); } finally { await session.close(); }
    expect((await status(plan)).unfinished).toEqual([step.id]);
    const r = await apply(plan);
    expect(r.ok).toBe(true);
    expect(r.steps.find((s) => s.id === step.id)!.status).toBe('applied');
    expect(await sql('ledger_started', "SELECT status FROM topoplan.ledger WHERE file = 'app/003_plain.sql'")).toEqual([{ status: 'applied' }]);
  });
});
