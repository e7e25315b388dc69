/**
 * Destructive statements in the plan: each stands in a step of its own, says
 * what it destroys (with what a CASCADE reaches), is held back unless the
 * topology allows it, and the plan's text, JSON and dry run show all of it.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan, Step } from '../../../../src/plan/model.js';
import { heldSteps } from '../../../../src/plan/opt-in.js';
import { renderDryRun } from '../../../../src/render/dry-run.js';
import { renderPlanText } from '../../../../src/render/plan-text.js';
import { makeProject } from '../../../helpers/project.js';

async function plan(files: Record<string, string>, topology: Record<string, unknown>): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology);
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const stepOf = (p: Plan, file: string, statement = 1): Step => {
  const s = p.steps.find((x) => x.source?.file === file && x.source.firstStatement <= statement - 1 && x.source.lastStatement >= statement - 1);
  expect(s, `no step for ${file}#${statement}`).toBeDefined();
  return s!;
};

// One service, one store; the author's order mixes destruction with ordinary work.
const appFiles = {
  'app/001_base.sql': `
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, legacy_note text, "Fax" text);
CREATE TABLE sessions (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts(id));
CREATE TABLE audit_log (id bigserial PRIMARY KEY, note text);`,
  'app/002_slim_accounts.sql': `-- the note moved to the CRM
ALTER TABLE accounts DROP COLUMN legacy_note, DROP COLUMN IF EXISTS "Fax";`,
  'app/003_reset_sessions.sql': `INSERT INTO audit_log (note) VALUES ('sessions reset; TRUNCATE is not in this string''s way');
TRUNCATE sessions;
INSERT INTO audit_log (note) VALUES ('done');`,
  'app/004_reseed.sql': `INSERT INTO sessions (id) VALUES (1), (2);`,
  'app/005_more.sql': `CREATE TABLE invoices (id bigint PRIMARY KEY, amount_cents bigint);`,
  'billing/001_plans.sql': `CREATE TABLE plans (id bigint PRIMARY KEY, name text);`,
};
const appTopology = (extra: Record<string, unknown> = {}) => ({
  stores: { main: { engine: 'postgres', database: 'main' } },
  sets: { app: { dir: 'app' }, billing: { dir: 'billing' } },
  services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, billing: { stores: { postgres: 'main' }, sets: ['billing'] } },
  ...extra,
});

describe('destructive statements in the plan', () => {
  it('stand in steps of their own and say what they destroy', async () => {
    const p = await plan(appFiles, appTopology());
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const drop = stepOf(p, 'app/002_slim_accounts.sql', 1);
    expect(drop.destructive).toBe(true);
    expect(drop.destroys).toEqual([
      { kind: 'drop_column', object: { kind: 'table', name: 'accounts', schema: 'public' }, columns: ['legacy_note', 'Fax'], ifExists: true, statement: 1, line: 2, summary: 'columns "legacy_note", "Fax" of table "accounts" (their values)' },
    ]);
    const truncate = stepOf(p, 'app/003_reset_sessions.sql', 2);
    expect(truncate.statements).toEqual(['TRUNCATE sessions']);
    expect(truncate.destroys.map((d) => d.summary)).toEqual(['every row of table "sessions"']);
    // The statements around it are not destructive and keep their own steps.
    expect(stepOf(p, 'app/003_reset_sessions.sql', 1).destructive).toBe(false);
    expect(stepOf(p, 'app/003_reset_sessions.sql', 3).destructive).toBe(false);
    expect(p.steps.filter((s) => s.destructive).map((s) => s.statements.length)).toEqual([1, 1]);
  });

  it('a later step that uses the emptied table waits for it; one that does not, does not', async () => {
    const p = await plan(appFiles, appTopology());
    const truncate = stepOf(p, 'app/003_reset_sessions.sql', 2);
    const reseed = stepOf(p, 'app/004_reseed.sql');
    const invoices = stepOf(p, 'app/005_more.sql');
    expect(reseed.dependsOn).toContain(truncate.id);
    expect(p.edges.find((e) => e.from === truncate.id && e.to === reseed.id)!.reasons.join()).toContain('uses what');
    expect(invoices.dependsOn).not.toContain(truncate.id);
    expect(invoices.dependsOn).not.toContain(stepOf(p, 'app/002_slim_accounts.sql', 1).id);
    // Nothing waits for the column drop: it goes to the contract phase. The truncate has a dependant: it stays in expand.
    expect(stepOf(p, 'app/002_slim_accounts.sql', 1).phase).toBe('contract');
    expect(truncate.phase).toBe('expand');
  });

  it('are held back with their dependants unless allowed; the allowance and its reason are in the plan', async () => {
    const held = await plan(appFiles, appTopology());
    const h = heldSteps(held, false);
    // The author's order holds inside a set: what follows a held step there waits too; another set's steps do not.
    expect([...h.keys()].sort()).toEqual(['002_slim_accounts.sql#1', '003_reset_sessions.sql#2', '004_reseed.sql#1', '005_more.sql#1'].map((x) => `main:app/${x}`));
    expect(h.has(stepOf(held, 'billing/001_plans.sql').id)).toBe(false);
    expect(h.get(stepOf(held, 'app/003_reset_sessions.sql', 2).id)).toBe('destroys data: re-run with --contract, or allow it in the topology: allowDestructive: [{ set: app, file: 003_reset_sessions.sql, statements: "2", reason: "..." }]');
    expect(h.get(stepOf(held, 'app/004_reseed.sql').id)).toContain('depends on');
    expect(heldSteps(held, true).size).toBe(0);

    const allowed = await plan(appFiles, appTopology({ allowDestructive: [{ set: 'app', file: '003_*.sql', reason: 'sessions are rebuilt from accounts' }] }));
    const t = stepOf(allowed, 'app/003_reset_sessions.sql', 2);
    expect(t.allowed).toEqual({ reason: 'sessions are rebuilt from accounts', at: expect.stringMatching(/topology\.yaml:\d+$/) });
    expect(stepOf(allowed, 'app/002_slim_accounts.sql', 1).allowed).toBeUndefined();
    expect([...heldSteps(allowed, false).keys()]).toEqual([stepOf(allowed, 'app/002_slim_accounts.sql', 1).id]);
    // An entry without a file allows every destructive statement of its set.
    expect(heldSteps(await plan(appFiles, appTopology({ allowDestructive: [{ set: 'app', reason: 'all of app is reviewed' }] })), false).size).toBe(0);
  });

  it('an allowance that matches no destructive statement is a warning', async () => {
    const p = await plan(appFiles, appTopology({ allowDestructive: [{ set: 'app', file: '005_more.sql', reason: 'nothing to allow here' }, { set: 'app', file: '002_*.sql', statements: '2', reason: 'wrong statement' }] }));
    const unused = p.diagnostics.filter((d) => d.code === 'plan.allow_unused');
    expect(unused.map((d) => d.message)).toEqual([
      'plan: allowDestructive entry for set "app", file "005_more.sql" matches no destructive statement',
      'plan: allowDestructive entry for set "app", file "002_*.sql", statements 2-2 matches no destructive statement',
    ]);
    expect(unused.every((d) => d.severity === 'warning' && d.line! > 0 && d.hint)).toBe(true);
  });

  it('text, JSON and dry run show what is destroyed and how to opt in', async () => {
    const p = await plan(appFiles, appTopology({ allowDestructive: [{ set: 'app', file: '002_slim_accounts.sql', reason: 'the note moved to the CRM' }] }));
    const text = renderPlanText(p);
    expect(text).toContain('! destroys columns "legacy_note", "Fax" of table "accounts" (their values) (statement 1)');
    expect(text).toMatch(/! allowed by .*topology\.yaml:\d+: the note moved to the CRM; backed up first/);
    expect(text).toContain('! held: runs after a backup when opted in: re-run with --contract, or allow it in the topology: allowDestructive: [{ set: app, file: 003_reset_sessions.sql, statements: "2", reason: "..." }]');
    expect(text).toContain('2 destructive: 1 allowed by the topology, 1 only with --contract.');
    const json = JSON.parse(JSON.stringify(p)) as Plan;
    expect(json.steps.find((s) => s.destructive && s.allowed)!.destroys[0]!.summary).toContain('legacy_note');

    const dry = renderDryRun(p);
    expect(dry).toContain('-- destroys every row of table "sessions"\n-- not run: destroys data: re-run with --contract');
    expect(dry).toContain('-- TRUNCATE sessions;');
    expect(dry).toMatch(/-- not run: depends on ".*003_reset_sessions.sql#2", which is held back\n-- INSERT INTO sessions/);
    expect(dry).toMatch(/-- backed up first; allowed by .*: the note moved to the CRM\nALTER TABLE accounts DROP COLUMN/);
    expect(dry).toContain('-- 3 step(s) held back');
    const contract = renderDryRun(p, { contract: true });
    expect(contract).toContain('-- backed up first\nTRUNCATE sessions;');
    expect(contract).not.toContain('not run');
  });
});

describe('what a CASCADE reaches', () => {
  const files = {
    'app/001_schema.sql': `
CREATE SCHEMA reports;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE users (id bigint PRIMARY KEY, mood mood);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users(id));
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders(id));
CREATE VIEW active_users AS SELECT id FROM users;
CREATE TABLE reports.daily (day date PRIMARY KEY, n int);
CREATE VIEW reports.latest AS SELECT * FROM reports.daily;`,
    'app/002_truncate.sql': 'TRUNCATE users CASCADE;',
    'app/003_type.sql': 'DROP TYPE mood CASCADE;',
    'app/004_schema.sql': 'DROP SCHEMA reports CASCADE;',
    'app/005_users.sql': 'DROP TABLE users CASCADE;',
  };
  const topology = {
    stores: { main: { engine: 'postgres', database: 'main' } },
    sets: { app: { dir: 'app' } },
    services: { app: { stores: { postgres: 'main' }, sets: ['app'] } },
    accept: [{ conflict: 'cascade_drop', object: '*', reason: 'the schema is rebuilt' }],
  };

  it('is listed from the plan\'s own knowledge of foreign keys, views, types and schemas', async () => {
    const p = await plan(files, topology);
    expect(stepOf(p, 'app/002_truncate.sql').destroys[0]).toMatchObject({
      summary: 'every row of table "users" and of the tables whose foreign keys reference it',
      reaches: ['every row of table "order_lines" (its foreign key references "orders")', 'every row of table "orders" (its foreign key references "users")'],
    });
    expect(stepOf(p, 'app/003_type.sql').destroys[0]).toMatchObject({ summary: 'type "mood" and what depends on it', reaches: ['columns of table users that use it (their values)'] });
    expect(stepOf(p, 'app/004_schema.sql').destroys[0]).toMatchObject({
      summary: 'schema "reports" and everything in it',
      reaches: ['table reports.daily (definition and rows)', 'view reports.latest'],
    });
    expect(stepOf(p, 'app/005_users.sql').destroys[0]).toMatchObject({
      summary: 'table "users" (definition and rows) and what depends on it',
      reaches: ['foreign key orders(user_id) → users', 'view active_users'],
    });
  });

  it('says what the backup before a statement will not keep, in text, JSON and dry run', async () => {
    const p = await plan({ ...files, 'app/006_gone.sql': 'CREATE MATERIALIZED VIEW totals AS SELECT 1 AS n;\nDROP MATERIALIZED VIEW totals;\nDROP DATABASE IF EXISTS scratch;' }, topology);
    expect(stepOf(p, 'app/002_truncate.sql').destroys[0]!.notBackedUp).toBeUndefined();
    expect(stepOf(p, 'app/003_type.sql').destroys[0]!.notBackedUp).toBe('what the cascade also drops: columns of table users that use it (their values)');
    expect(stepOf(p, 'app/004_schema.sql').destroys[0]!.notBackedUp).toBe('what the cascade also drops: view reports.latest');
    expect(stepOf(p, 'app/006_gone.sql', 2).destroys[0]!.notBackedUp).toBe("the materialized view's rows (its query makes them again)");
    const db = stepOf(p, 'app/006_gone.sql', 3);
    expect(db.destroys[0]!.notBackedUp).toBe('the database as a whole: take a backup of it yourself before opting in');
    expect(JSON.parse(JSON.stringify(p)).steps.find((s: Step) => s.id === db.id).destroys[0].notBackedUp).toBe(db.destroys[0]!.notBackedUp);
    expect(renderPlanText(p)).toContain('not backed up: the database as a whole');
    // A step none of whose destruction is backed up does not claim a backup.
    expect(renderPlanText(p)).toContain(`! held: runs when opted in: `);
    expect(renderDryRun(p, { contract: true })).toMatch(/--   not backed up: the database as a whole: take a backup of it yourself before opting in\n-- not backed up\nDROP DATABASE IF EXISTS scratch;/);
    expect(renderDryRun(p, { contract: true })).toContain('--   not backed up: what the cascade also drops: view reports.latest');
  });
});

describe('ClickHouse destructions', () => {
  it('name the table in the store\'s database when the statement does not', async () => {
    const p = await plan(
      { 'ch/001.sql': 'CREATE TABLE events (id UInt64, day Date) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY id;\nALTER TABLE events DROP PARTITION 202401;\nTRUNCATE TABLE events;' },
      { stores: { ch: { engine: 'clickhouse', database: 'analytics' } }, sets: { ch: { dir: 'ch', engines: { '*.sql': 'clickhouse' } } }, services: { a: { stores: { clickhouse: 'ch' }, sets: ['ch'] } } },
    );
    expect(p.steps.filter((s) => s.destructive).map((s) => s.destroys.map((d) => [d.object.schema, d.object.name, d.summary]))).toEqual([
      [['analytics', 'events', 'partition 202401 of table "analytics.events"']],
      [['analytics', 'events', 'every row of table "analytics.events"']],
    ]);
  });
});
