import { describe, expect, it } from 'vitest';
import type { Plan, Step } from '../../../../src/plan/model.js';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology, twoServices } from '../../../helpers/project.js';

async function plan(files: Record<string, string>, topology?: Record<string, unknown>): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology ?? pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }));
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const byFile = (p: Plan, file: string): Step[] => p.steps.filter((s) => s.source?.file === file);
const FN = 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n';
const TRIGGER = 'CREATE TRIGGER trg BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();\n';
const ON_USERS = 'CREATE TRIGGER trg\n  BEFORE UPDATE\n  ON users\n  FOR EACH ROW\n  EXECUTE PROCEDURE touch()';

describe('a trigger whose table was renamed', () => {
  it('dropped by a later step, is made again on the table\'s name then', async () => {
    const p = await plan({
      'app/001_init.sql': FN + 'CREATE TABLE accounts (id int);\n' + TRIGGER,
      'app/002_rename.sql': 'ALTER TABLE accounts RENAME TO users;\n',
      'app/003_drop.sql': 'DROP TRIGGER trg ON users;\n',
    });
    expect(byFile(p, 'app/003_drop.sql')[0]!.revert).toEqual({ from: 'generated', statements: [ON_USERS] });
  });

  it('renamed and moved to another schema by another set, or renamed and dropped in one step', async () => {
    const p = await plan(
      {
        'a/001_init.sql': FN + 'CREATE SCHEMA app;\nCREATE TABLE accounts (id int);\n' + TRIGGER,
        'b/001_move.sql': 'ALTER TABLE accounts RENAME TO users;\nALTER TABLE users SET SCHEMA app;\n',
        'b/002_drop.sql': 'DROP TRIGGER trg ON app.users;\n',
      },
      { ...twoServices(), sets: { a: { dir: 'a' }, b: { dir: 'b', after: ['a'] } } },
    );
    expect(byFile(p, 'b/002_drop.sql')[0]!.revert).toEqual({ from: 'generated', statements: [ON_USERS.replace('ON users', 'ON app.users')] });
    const one = await plan({
      'app/001_init.sql': FN + 'CREATE TABLE accounts (id int);\n' + TRIGGER,
      'app/002_rename.sql': 'ALTER TABLE accounts RENAME TO users;\nDROP TRIGGER trg ON users;\n',
    });
    expect(byFile(one, 'app/002_rename.sql')[0]!.revert).toEqual({ from: 'generated', statements: [ON_USERS, 'ALTER TABLE public.users RENAME TO accounts'] });
  });

  it('made and renamed in one step, then replaced: the definition in force comes back on the name the table has', async () => {
    const p = await plan({
      'app/001_init.sql': FN + 'CREATE TABLE accounts (id int);\n' + TRIGGER + 'ALTER TABLE accounts RENAME TO users;\n',
      'app/002_replace.sql': 'CREATE OR REPLACE TRIGGER trg AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();\n',
    });
    expect(byFile(p, 'app/002_replace.sql')[0]!.revert).toEqual({ from: 'generated', statements: [ON_USERS.replace('CREATE TRIGGER', 'CREATE OR REPLACE TRIGGER')] });
  });

  it('stays irreversible when its statement cannot be written again unchanged (a constraint trigger FROM another table)', async () => {
    const p = await plan({
      'app/001_init.sql': FN + 'CREATE TABLE other (id int);\nCREATE TABLE accounts (id int);\nCREATE CONSTRAINT TRIGGER trg AFTER INSERT ON accounts FROM other FOR EACH ROW EXECUTE FUNCTION touch();\n',
      'app/002_rename.sql': 'ALTER TABLE accounts RENAME TO users;\n',
      'app/003_drop.sql': 'DROP TRIGGER trg ON users;\n',
    });
    expect(byFile(p, 'app/003_drop.sql')[0]!.revert).toMatchObject({ from: 'irreversible' });
  });
});
