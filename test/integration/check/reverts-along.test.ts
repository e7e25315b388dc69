/**
 * Reverts of objects that go along with another, run on PostgreSQL: a trigger
 * goes with its table's rename, so its later drop is undone on the table's new
 * name, and the rename's revert takes it back to where its creation's revert
 * drops it (an index too, by its schema); an index goes with the constraint that takes it over (USING
 * INDEX), so the constraint's drop is all the revert of the step that made
 * both needs.
 */
import { describe, it } from 'vitest';
import { expectAppliesWhole } from '../../helpers/check-whole.js';
import { makeProject, pgTopology, twoServices } from '../../helpers/project.js';

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

  it('an index dropped after its table was renamed, and one after it was moved, is made again there, and rolled back whole', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_accounts.sql': 'CREATE SCHEMA app;\nCREATE TABLE accounts (id int PRIMARY KEY, email text, handle text);\nCREATE INDEX accounts_email ON accounts (lower(email));\nCREATE INDEX accounts_handle ON accounts (handle);\n',
        'b/001_rename.sql': 'ALTER TABLE accounts RENAME TO users;\n',
        'b/002_drop.sql': 'DROP INDEX accounts_email;\n',
        'b/003_move.sql': 'ALTER TABLE users SET SCHEMA app;\nDROP INDEX app.accounts_handle;\n',
      },
      { ...twoServices(['accounts']), sets: { a: { dir: 'a' }, b: { dir: 'b', after: ['a'] } } },
    );
    await expectAppliesWhole(topologyFile);
  });

  it('an index a constraint takes over in the step that made it, beside one an earlier step made, is rolled back whole', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_accounts.sql': 'CREATE TABLE accounts (id int NOT NULL, email text, handle text);\nCREATE UNIQUE INDEX accounts_handle_idx ON accounts (handle);\n',
        'a/002_keys.sql':
          'CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);\nCREATE UNIQUE INDEX accounts_id_idx ON accounts (id);\n' +
          'ALTER TABLE accounts ADD CONSTRAINT accounts_email_uq UNIQUE USING INDEX accounts_email_idx, ADD CONSTRAINT accounts_handle_uq UNIQUE USING INDEX accounts_handle_idx;\n' +
          'ALTER TABLE accounts ADD CONSTRAINT accounts_pk PRIMARY KEY USING INDEX accounts_id_idx;\n',
      },
      pgTopology({ sets: { a: { dir: 'a' } }, services: { a: { stores: { postgres: 'main' }, sets: ['a'] } } }),
    );
    await expectAppliesWhole(topologyFile);
  });
});
