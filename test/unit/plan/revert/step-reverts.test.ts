import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../../../src/plan/model.js';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { renderPlanText } from '../../../../src/render/plan-text.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

async function plan(files: Record<string, string>, set: Record<string, unknown> = {}, topology?: Record<string, unknown>): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology ?? pgTopology({ sets: { app: { dir: 'app', ...set } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }));
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const byFile = (p: Plan, file: string): Step[] => p.steps.filter((s) => s.source?.file === file);

describe('every step has its revert', () => {
  it('a file with a down file keeps it on the step that completes the file; its other steps are undone with it', async () => {
    const p = await plan({
      'app/001_t.up.sql': 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n',
      'app/001_t.down.sql': 'DROP TABLE t;',
    });
    const [first, last] = byFile(p, 'app/001_t.up.sql');
    expect(last!.revert).toMatchObject({ from: 'down_file', file: 'app/001_t.down.sql' });
    expect(first!.revert).toEqual({ from: 'generated', statements: [], undoneWith: [last!.id] });
  });

  it('statements are undone in reverse order, each by its generated revert', async () => {
    const p = await plan({ 'app/001_t.sql': 'CREATE TABLE t (id int);\nCREATE TABLE u (id int);\nALTER TABLE t ADD COLUMN note text;\nCOMMENT ON TABLE t IS $$x$$;\n', 'app/002_u.sql': 'ALTER TABLE u ADD COLUMN note text;\n' });
    expect(byFile(p, 'app/001_t.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.u', 'DROP TABLE public.t'] });
    expect(byFile(p, 'app/002_u.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['ALTER TABLE public.u DROP COLUMN note'] });
  });

  it('an ALTER of a table the same step creates goes with the table: a later step undone with it may have taken its constraint away', async () => {
    const p = await plan({
      'app/001_t.sql': 'CREATE TABLE u (id int PRIMARY KEY);\nCREATE TABLE t (id int, u_id int);\nALTER TABLE t ADD CONSTRAINT t_u_fk FOREIGN KEY (u_id) REFERENCES u (id);\n',
      'app/002_unlink.sql': 'ALTER TABLE t DROP CONSTRAINT t_u_fk;\n',
    });
    const creator = byFile(p, 'app/001_t.sql')[0]!;
    expect(creator.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.t', 'DROP TABLE public.u'] });
    expect(byFile(p, 'app/002_unlink.sql')[0]!.revert).toMatchObject({ undoneWith: [creator.id] });
  });

  it('rows written into a table the plan creates, and a value added to its type, go with them; elsewhere they are irreversible', async () => {
    const p = await plan({
      'app/001_t.sql': "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE t (id int, m mood);\n",
      'app/002_seed.sql': 'INSERT INTO t VALUES (1);\n',
      'app/003_voice.sql': "ALTER TYPE mood ADD VALUE 'voice';\n",
      'app/004_other.sql': 'INSERT INTO elsewhere VALUES (1);\n',
    });
    const creator = byFile(p, 'app/001_t.sql')[0]!.id;
    expect(byFile(p, 'app/002_seed.sql')[0]!.revert).toMatchObject({ from: 'generated', statements: [], undoneWith: [creator], reason: expect.stringMatching(/^irreversible without those: statement 1 \(app\/002_seed.sql:1\): INSERT changes rows/) });
    expect(byFile(p, 'app/003_voice.sql')[0]!.revert).toMatchObject({ undoneWith: [creator] });
    expect(byFile(p, 'app/004_other.sql')[0]!.revert).toEqual({ from: 'irreversible', reason: 'statement 1 (app/004_other.sql:1): INSERT changes rows: only a down file can say which to take back' });
  });

  it('rows written into a table the same step creates need nothing of their own', async () => {
    const p = await plan({ 'app/001_t.sql': "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nALTER TABLE t ALTER COLUMN id SET DEFAULT 1;\n" });
    expect(byFile(p, 'app/001_t.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.t'] });
  });

  it('a drop of what an earlier step created is undone by that statement; CREATE OR REPLACE by the earlier definition', async () => {
    const p = await plan({
      'app/001_v.sql': 'CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\nCREATE INDEX t_id ON t (id);\n',
      'app/002_v.sql': 'CREATE OR REPLACE VIEW v AS SELECT id, 1 AS one FROM t;\n',
      'app/003_drop.sql': 'DROP INDEX t_id;\n',
      'app/004_drop.sql': 'DROP INDEX unknown_one;\n',
    });
    expect(byFile(p, 'app/002_v.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['CREATE OR REPLACE VIEW v AS SELECT id FROM t'] });
    expect(byFile(p, 'app/003_drop.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['CREATE INDEX t_id ON t (id)'] });
    expect(byFile(p, 'app/004_drop.sql')[0]!.revert).toMatchObject({ from: 'irreversible', reason: expect.stringContaining('only its earlier definition or a backup') });
  });

  it('a step that destroys data is restorable from its backup; one whose backup keeps nothing is irreversible', async () => {
    const p = await plan({
      'app/001_t.sql': 'CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW mv AS SELECT id FROM t;\n',
      'app/002_drop.sql': 'DROP MATERIALIZED VIEW mv;\nDROP TABLE t;\n',
    });
    const [mv, t] = byFile(p, 'app/002_drop.sql');
    expect(t!.revert).toEqual({ from: 'backup', reason: 'restorable from backup: table "t" (definition and rows)' });
    expect(mv!.revert).toMatchObject({ from: 'irreversible', reason: expect.stringContaining("materialized view's rows") });
  });

  it('synthetic steps: a missing extension is dropped again, a row copy emptied while its source exists, the database stays', async () => {
    const p = await plan(
      {
        'app/001_t.sql': 'CREATE TABLE post_shares (id int);\nCREATE TABLE shares (id int);\nSELECT uuid_generate_v4();\n',
        'app/002_drop.sql': 'DROP TABLE post_shares;\n',
      },
      {},
      pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } }, renames: [{ from: 'post_shares', to: 'shares', owner: 'api', reason: 'shares replaces post_shares' }] }),
    );
    const kinds = new Map(p.steps.filter((s) => !s.source).map((s) => [s.kind, s.revert]));
    expect(kinds.get('create_database')).toEqual({ from: 'generated', statements: [] });
    expect(kinds.get('create_extension')).toEqual({ from: 'generated', statements: ['DROP EXTENSION IF EXISTS "uuid-ossp"'] });
    expect(kinds.get('copy_rows')!.statements![0]).toMatch(/IF to_regclass\('.*post_shares'\) IS NOT NULL THEN DELETE FROM .*shares;/);
  });

  it('plan text and JSON show each step\'s revert and the summary line', async () => {
    const p = await plan({
      'app/001_t.sql': 'CREATE TABLE t (id int);\n',
      'app/002_seed.sql': 'INSERT INTO elsewhere VALUES (1);\n',
      'app/003_drop.sql': 'DROP TABLE t;\n',
    });
    expect(p.reversibility).toEqual({ reversible: 2, restorable: 1, irreversible: 1, summary: '4 steps: 2 reversible, 1 restorable from backup, 1 irreversible' });
    expect(JSON.parse(JSON.stringify(p)).reversibility.summary).toBe(p.reversibility.summary);
    const text = renderPlanText(p, { sql: true });
    expect(text).toContain('# revert: generated, 1 statement');
    expect(text).toContain('        DROP TABLE public.t;');
    expect(text).toContain('# revert: restorable from backup');
    expect(text).toContain('# revert: irreversible: statement 1 (app/002_seed.sql:1): INSERT changes rows');
    expect(text).toContain('# revert: nothing of its own to undo');
    expect(text).toContain('Rollback: 4 steps: 2 reversible, 1 restorable from backup, 1 irreversible.');
  });
});

describe('reverts of replaced definitions and indexes taken over', () => {
  it('a view created and replaced in one step is dropped once; replaced by a later step, the definition in force before it comes back', async () => {
    const p = await plan({
      'app/001_v.sql': 'CREATE TABLE t (id int, n int);\nCREATE VIEW v AS SELECT id FROM t;\nCREATE OR REPLACE VIEW v AS SELECT id, n FROM t;\n',
      'app/002_v.sql': 'CREATE OR REPLACE VIEW v AS SELECT id, n, 1 AS one FROM t;\n',
    });
    expect(byFile(p, 'app/001_v.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP VIEW public.v', 'DROP TABLE public.t'] });
    expect(byFile(p, 'app/002_v.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['CREATE OR REPLACE VIEW v AS SELECT id, n FROM t'] });
  });

  it('a constraint taking over an index an earlier step made drops it with the constraint, then makes it again (not concurrently)', async () => {
    const p = await plan({
      'app/001_t.sql': 'CREATE TABLE t (id int, email text);\n',
      'app/002_idx.sql': 'CREATE UNIQUE INDEX CONCURRENTLY t_email_idx ON t (email);\n',
      'app/003_uq.sql': 'ALTER TABLE t ADD CONSTRAINT t_email_uq UNIQUE USING INDEX t_email_idx;\n',
      'app/004_pk.sql': 'ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX made_elsewhere;\n',
    });
    expect(byFile(p, 'app/003_uq.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['ALTER TABLE public.t DROP CONSTRAINT t_email_uq', 'CREATE UNIQUE INDEX t_email_idx ON t (email)'] });
    // An index the plan does not make: the constraint's drop is all it knows.
    expect(byFile(p, 'app/004_pk.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['ALTER TABLE public.t DROP CONSTRAINT t_pk'] });
  });

  it('an index the same step made and a constraint took over goes with the constraint\'s drop; one an earlier step made beside it comes back', async () => {
    const p = await plan({
      'app/001_t.sql': 'CREATE TABLE t (id int NOT NULL, email text, handle text);\nCREATE UNIQUE INDEX t_handle_idx ON t (handle);\n',
      'app/002_uq.sql':
        'CREATE UNIQUE INDEX t_email_idx ON t (email);\nCREATE UNIQUE INDEX t_id_idx ON t (id);\n' +
        'ALTER TABLE t ADD CONSTRAINT t_email_uq UNIQUE USING INDEX t_email_idx, ADD CONSTRAINT t_handle_uq UNIQUE USING INDEX t_handle_idx;\n' +
        'ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id_idx, ADD CONSTRAINT t_x_pk UNIQUE USING INDEX made_elsewhere;\n',
    });
    expect(byFile(p, 'app/002_uq.sql')[0]!.revert).toEqual({
      from: 'generated',
      statements: ['ALTER TABLE public.t DROP CONSTRAINT t_x_pk, DROP CONSTRAINT t_pk', 'ALTER TABLE public.t DROP CONSTRAINT t_handle_uq, DROP CONSTRAINT t_email_uq', 'CREATE UNIQUE INDEX t_handle_idx ON t (handle)'],
    });
  });
});

describe('reverts of a sequence made part of its table', () => {
  it('leave the sequence to the drop of the table that owns it (OWNED BY), in either order of creation', async () => {
    const p = await plan({
      'app/001_t.sql': "CREATE TABLE t (id integer NOT NULL);\nCREATE SEQUENCE t_id_seq;\nALTER SEQUENCE t_id_seq OWNED BY t.id;\nALTER TABLE t ALTER COLUMN id SET DEFAULT nextval('t_id_seq');\n",
      'app/002_u.sql': 'CREATE SEQUENCE u_id_seq;\nCREATE TABLE u (id integer NOT NULL DEFAULT nextval($$u_id_seq$$));\nALTER SEQUENCE u_id_seq OWNED BY u.id;\n',
      'app/003_free.sql': 'CREATE SEQUENCE free_seq;\nCREATE TABLE v (id integer);\n',
    });
    expect(byFile(p, 'app/001_t.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.t'] });
    expect(byFile(p, 'app/002_u.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.u'] });
    expect(byFile(p, 'app/003_free.sql')[0]!.revert).toEqual({ from: 'generated', statements: ['DROP TABLE public.v', 'DROP SEQUENCE public.free_seq'] });
  });
});
