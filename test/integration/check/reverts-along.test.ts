/**
 * Reverts of objects that go along with another, run on PostgreSQL: a trigger
 * goes with its table's rename, so its later drop is undone on the table's new
 * name, and the rename's revert takes it back to where its creation's revert
 * drops it.
 */
import { describe, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';
import { makeProject, twoServices } from '../../helpers/project.js';

const FN = 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n';

describe('reverts of what goes along with another object', () => {
  it('a trigger dropped after its table was renamed and moved is made again there, and rolled back whole', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_accounts.sql': FN + 'CREATE SCHEMA app;\nCREATE TABLE accounts (id int PRIMARY KEY);\n' +
          'CREATE TRIGGER trg BEFORE UPDATE OF id ON accounts FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION touch();\n' +
          'CREATE TRIGGER audit AFTER INSERT ON accounts FOR EACH STATEMENT EXECUTE FUNCTION touch();\n',
        'b/001_rename.sql': 'ALTER TABLE accounts RENAME TO users;\n',
        'b/002_drop.sql': 'DROP TRIGGER trg ON users;\n',
        'b/003_move.sql': 'ALTER TABLE users SET SCHEMA app;\nDROP TRIGGER audit ON app.users;\n',
      },
      { ...twoServices(['accounts']), sets: { a: { dir: 'a' }, b: { dir: 'b', after: ['a'] } } },
    );
    await expectAppliesWhole(topologyFile);
  });
});
