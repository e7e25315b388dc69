import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan } from '../../../../src/plan/model.js';
import { PlanError, planMigration } from '../../../../src/plan/plan-migration.js';
import { renderPlanText } from '../../../../src/render/plan-text.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

async function plan(files: Record<string, string>, set: Record<string, unknown> = {}, service: Record<string, unknown> = {}): Promise<Plan> {
  const { topologyFile } = makeProject(files, pgTopology({ sets: { app: { dir: 'app', ...set } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'], ...service } } }));
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error');

describe('down files are reverts', () => {
  const files = {
    'app/001_t.up.sql': 'CREATE TABLE t (id bigint PRIMARY KEY, note text);\n',
    'app/001_t.down.sql': '-- undo 001\nDROP TABLE t;\n',
    'app/002_u.up.sql': 'CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id));\n',
    'app/002_u.down.sql': 'DROP TABLE u;\n',
  };

  it('001_t.up.sql with 001_t.down.sql plans one forward step, with the down file as its revert', async () => {
    const p = await plan(files, {}, { ledger: 'sqlx' });
    expect(errors(p)).toEqual([]);
    const sql = p.steps.filter((s) => s.kind === 'sql');
    expect(sql.map((s) => s.source!.file)).toEqual(['app/001_t.up.sql', 'app/002_u.up.sql']);
    expect(sql.flatMap((s) => s.statements).join('\n')).not.toMatch(/DROP TABLE/);
    expect(sql[0]!.revert).toEqual({ from: 'down_file', file: 'app/001_t.down.sql', line: 1, sql: '-- undo 001\nDROP TABLE t;' });
    expect(sql[0]!.sqlx).toMatchObject({ version: '1', description: 't', completesFile: true });
    expect(sql.every((s) => s.destructive === false)).toBe(true);
    expect(JSON.parse(JSON.stringify(p)).steps.find((s: { id: string }) => s.id === sql[1]!.id).revert.file).toBe('app/002_u.down.sql');
    const text = renderPlanText(p, { sql: true });
    expect(text).toContain('# revert (never run forward): down file app/001_t.down.sql:1');
    expect(text).toContain('        DROP TABLE u;');
  });

  it('golang-migrate names pair the same way; an include of every .sql never takes a down file forward', async () => {
    const p = await plan(
      { 'app/000001_events.up.sql': 'CREATE TABLE events (id int);', 'app/000001_events.down.sql': 'DROP TABLE events;', 'app/000002_gone.down.sql': 'DROP TABLE gone;' },
      { include: ['*.sql'], convention: 'golang-migrate' },
    );
    expect(errors(p)).toEqual([]);
    expect(p.steps.filter((s) => s.kind === 'sql').map((s) => s.source!.file)).toEqual(['app/000001_events.up.sql']);
    const orphan = p.diagnostics.find((d) => d.code === 'topology.revert_without_up')!;
    expect(orphan).toMatchObject({ severity: 'warning', file: 'app/000002_gone.down.sql', line: 1 });
    expect(orphan.hint).toContain('000002_gone.up.sql');
  });

  it('a version sqlx would reject is an error naming the file, in a ledger: sqlx set', async () => {
    const { topologyFile } = makeProject(
      { 'app/001_a.sql': 'CREATE TABLE a (id int);', 'app/998b_cleanup.sql': 'DROP TABLE IF EXISTS old;', 'app/99999999999999999999_huge.sql': 'SELECT 1;' },
      pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'], ledger: 'sqlx' } } }),
    );
    const failure = await planMigration(topologyFile, { env: {} }).catch((e: PlanError) => e);
    expect(failure).toBeInstanceOf(PlanError);
    const bad = (failure as PlanError).diagnostics.filter((d) => d.code === 'topology.sqlx_version');
    expect(bad.map((d) => d.file).sort()).toEqual(['app/998b_cleanup.sql', 'app/99999999999999999999_huge.sql']);
    expect(bad.find((d) => d.file === 'app/998b_cleanup.sql')!.message).toContain('"998b" of "app/998b_cleanup.sql" (not an integer)');
    expect(bad.every((d) => d.line === 1 && d.hint)).toBe(true);
  });

  it('the same names are fine in a set sqlx does not read', async () => {
    const p = await plan({ 'app/001_a.sql': 'CREATE TABLE a (id int);', 'app/998b_cleanup.sql': 'DROP TABLE IF EXISTS old;' });
    expect(errors(p)).toEqual([]);
  });

  it('"-- no-transaction" on the first line runs the file outside a transaction', async () => {
    const p = await plan({ 'app/001_idx.sql': '-- no-transaction\nCREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\n', 'app/002_b.sql': '\n-- no-transaction\nCREATE TABLE b (id int);', 'app/003_c.sql': '\uFEFF-- no-transaction\nCREATE TABLE c (id int);' }, {}, { ledger: 'sqlx' });
    expect(errors(p)).toEqual([]);
    const first = p.steps.filter((s) => s.source?.file === 'app/001_idx.sql');
    expect(first.length).toBe(2);
    expect(first.every((s) => !s.transactional && s.nonTransactionalReason === 'the file starts with "-- no-transaction"')).toBe(true);
    // Not on the first line: sqlx runs it in a transaction, and so does the plan.
    expect(p.steps.find((s) => s.source?.file === 'app/002_b.sql')!.transactional).toBe(true);
    // After a byte order mark sqlx does not see it either.
    expect(p.steps.find((s) => s.source?.file === 'app/003_c.sql')!.transactional).toBe(true);
  });
});

describe('down sections inside up files', () => {
  const files = {
    'app/20240101_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE users;\n',
    'app/20240102_posts.sql': '-- +goose Up\nCREATE TABLE posts (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE posts;\n',
  };

  it('without a convention each runs, and is a warning with the exact skip: entry that leaves it out', async () => {
    const p = await plan(files);
    const w = p.diagnostics.filter((d) => d.code === 'plan.down_section');
    expect(w.map((d) => [d.file, d.line])).toEqual([['app/20240101_users.sql', 4], ['app/20240102_posts.sql', 3]]);
    expect(w[0]!.hint).toContain('skip:\n  - { set: app, file: 20240101_users.sql, lines: "4-5", reason: down section (the file\'s revert) }');
    expect(w[0]!.hint).toContain('convention: dbmate');
    expect(w[1]!.hint).toContain('convention: goose');
    expect(p.steps.flatMap((s) => s.statements)).toContain('DROP TABLE users');
  });

  it('the skip: entry the warning proposes leaves exactly the section out', async () => {
    const { topologyFile } = makeProject(files, pgTopology({
      sets: { app: { dir: 'app' } },
      services: { api: { stores: { postgres: 'main' }, sets: ['app'] } },
      skip: [{ set: 'app', file: '20240101_users.sql', lines: '4-5', reason: "down section (the file's revert)" }],
    }));
    const p = await planMigration(topologyFile, { allowErrors: true, env: {} });
    const users = p.steps.filter((s) => s.source?.file === 'app/20240101_users.sql');
    expect(users.flatMap((s) => s.statements)).toEqual(['CREATE TABLE users (id bigint PRIMARY KEY)']);
  });

  it('a declared convention never runs them and keeps them as the step\'s revert', async () => {
    const p = await plan(files, { convention: 'dbmate' });
    expect(errors(p)).toEqual([]);
    expect(p.diagnostics.filter((d) => d.code === 'plan.down_section')).toEqual([]);
    expect(p.steps.filter((s) => s.kind === 'sql').flatMap((s) => s.statements)).toEqual(['CREATE TABLE users (id bigint PRIMARY KEY)', 'CREATE TABLE posts (id bigint PRIMARY KEY)']);
    const users = p.steps.find((s) => s.source?.file === 'app/20240101_users.sql')!;
    expect(users.revert).toEqual({ from: 'down_section', file: 'app/20240101_users.sql', line: 4, sql: 'DROP TABLE users;' });
    expect(users.source!.statementLines).toEqual([2]);
  });

  it('convention: plain runs every statement and says nothing', async () => {
    const p = await plan(files, { convention: 'plain' });
    expect(p.diagnostics.filter((d) => d.code === 'plan.down_section')).toEqual([]);
    expect(p.steps.flatMap((s) => s.statements)).toContain('DROP TABLE posts');
  });
});

describe('a golang-migrate tree on ClickHouse with the default include', () => {
  it('plans the same forward steps as an include of *.up.sql, each up file with its down file as revert', async () => {
    const file = 'test/fixtures/collector/collector-single.yaml';
    const raw = parse(readFileSync(file, 'utf8')) as { root: string; sets: Record<string, { include?: string[] }> };
    raw.root = resolve('test/fixtures/collector/migrations');
    const explicit = await planMigration(file, { env: {} });
    for (const s of Object.values(raw.sets)) delete s.include;
    const byDefault = await planMigration({ file, raw }, { env: {}, cwd: process.cwd() });
    const forward = (p: Plan) => p.steps.filter((s) => s.kind === 'sql').map((s) => s.id);
    expect(forward(byDefault)).toEqual(forward(explicit));
    expect(forward(byDefault).some((id) => id.includes('.down.'))).toBe(false);
    const withRevert = byDefault.steps.filter((s) => s.revert?.from === 'down_file');
    expect(withRevert.length).toBeGreaterThan(5);
    expect(withRevert.every((s) => s.revert!.file === s.source!.file.replace('.up.sql', '.down.sql'))).toBe(true);
  });
});
