import { beforeAll, describe, expect, it } from 'vitest';
import { loadPostgresParser } from '../../../../src/sql/postgres/pg-parser.js';
import { madeOnTable } from '../../../../src/sql/postgres/made-on-table.js';

beforeAll(async () => {
  await loadPostgresParser();
});

describe('madeOnTable', () => {
  it('writes a CREATE INDEX again on the table\'s new name and schema', () => {
    expect(madeOnTable('CREATE UNIQUE INDEX t_name ON t (lower(name)) WHERE name IS NOT NULL', { name: 't2', schema: 'app' })).toBe('CREATE UNIQUE INDEX t_name ON app.t2 ((lower(name))) WHERE name IS NOT NULL');
  });

  it('writes a CREATE TRIGGER again on the table\'s new name, keeping every clause and the schema as written', () => {
    expect(madeOnTable('CREATE TRIGGER trg BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch()', { name: 'users' })).toBe(
      'CREATE TRIGGER trg\n  BEFORE UPDATE\n  ON users\n  FOR EACH ROW\n  EXECUTE PROCEDURE touch()',
    );
    expect(madeOnTable('CREATE TRIGGER trg BEFORE UPDATE OF id ON public.accounts FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION app.touch(\'a\')', { name: 'users' })).toBe(
      "CREATE TRIGGER trg\n  BEFORE UPDATE OF id\n  ON public.users\n  FOR EACH ROW\n  WHEN (old.id IS DISTINCT FROM new.id)\n  EXECUTE PROCEDURE app.touch('a')",
    );
  });

  it('names the schema a table moved to', () => {
    expect(madeOnTable('CREATE TRIGGER trg AFTER INSERT ON accounts FOR EACH STATEMENT EXECUTE FUNCTION touch()', { name: 'accounts', schema: 'app' })).toContain('ON app.accounts');
  });

  it('gives nothing for text that would make another trigger (the deparser drops FROM), or that is no CREATE TRIGGER', () => {
    expect(madeOnTable('CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON accounts FROM other FOR EACH ROW EXECUTE FUNCTION touch()', { name: 'users' })).toBeUndefined();
    expect(madeOnTable('CREATE TABLE accounts (id int)', { name: 'users' })).toBeUndefined();
    expect(madeOnTable('CREATE TRIGGER', { name: 'users' })).toBeUndefined();
  });
});
