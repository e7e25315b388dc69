import { describe, expect, it } from 'vitest';
import { errorsOf as errorsIn, planTwoServices } from '../../../helpers/project.js';

const errorsOf = async (files: Record<string, string>) => errorsIn(await planTwoServices(files));

const SEEDED = "CREATE TABLE plans (id int PRIMARY KEY, name text);\nINSERT INTO plans (id, name) VALUES (1, 'free'), (2, 'pro');\n";

describe('a NOT NULL column with no default added to a table the plan put rows in', () => {
  it('is an error naming the INSERT, with the two ways around it', async () => {
    expect(await errorsOf({ 'a/001.sql': SEEDED, 'b/001.sql': 'ALTER TABLE plans ADD COLUMN price numeric NOT NULL;\n' })).toEqual([[
      'plan.column_needs_default',
      'b/001.sql:1',
      'plan: "ALTER TABLE plans" at "b/001.sql:1" adds column "price" NOT NULL with no default, but "a/001.sql:2" puts rows in the table before it: PostgreSQL refuses (the rows would hold NULL there)',
      'give the column a default (ADD COLUMN price <type> NOT NULL DEFAULT <value>), or add it nullable, fill it (UPDATE plans SET price = ...), then ALTER COLUMN price SET NOT NULL',
    ]]);
  });

  it.each([
    ['a default', 'ALTER TABLE plans ADD COLUMN price numeric NOT NULL DEFAULT 0;\n'],
    ['an identity', 'ALTER TABLE plans ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\n'],
    ['a serial type', 'ALTER TABLE plans ADD COLUMN n bigserial NOT NULL;\n'],
    ['a nullable column', 'ALTER TABLE plans ADD COLUMN price numeric;\n'],
    ['the rows deleted first', 'DELETE FROM plans;\nALTER TABLE plans ADD COLUMN price numeric NOT NULL;\n'],
    ['the table emptied by TRUNCATE first', 'TRUNCATE plans;\nALTER TABLE plans ADD COLUMN price numeric NOT NULL;\n'],
  ])('%s plans', async (_name, change) => {
    expect(await errorsOf({ 'a/001.sql': SEEDED, 'a/002.sql': change })).toEqual([]);
  });

  it('an INSERT ... SELECT (perhaps no rows), or no INSERT at all, is not known to fill the table', async () => {
    expect(await errorsOf({
      'a/001.sql': 'CREATE TABLE plans (id int PRIMARY KEY);\nCREATE TABLE old_plans (id int);\nINSERT INTO plans SELECT id FROM old_plans;\nCREATE TABLE tiers (id int);\n',
      'a/002.sql': 'ALTER TABLE plans ADD COLUMN price numeric NOT NULL;\nALTER TABLE tiers ADD COLUMN rank int NOT NULL;\n',
    })).toEqual([]);
  });
});

describe('SET NOT NULL of a column the plan\'s rows leave out', () => {
  const TABLE = 'CREATE TABLE users (id serial PRIMARY KEY, name text, joined timestamptz DEFAULT now(), n int GENERATED ALWAYS AS IDENTITY);\n';

  it('is an error naming the INSERT that leaves it out', async () => {
    expect(await errorsOf({ 'a/001.sql': TABLE, 'b/001.sql': "INSERT INTO users (id) VALUES (1);\n", 'b/002.sql': 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n' })).toEqual([[
      'plan.column_needs_default',
      'b/002.sql:1',
      'plan: "ALTER TABLE users" at "b/002.sql:1" makes column "name" NOT NULL, but "b/001.sql:1" puts rows in the table before it without a value for it, and it has no default: PostgreSQL refuses (the rows hold NULL there)',
      'fill the column first (UPDATE users SET name = ... WHERE name IS NULL), or give the INSERT a value for it',
    ]]);
  });

  it.each([
    ['a column the INSERT lists', "INSERT INTO users (id, name) VALUES (1, 'a');\n", 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n'],
    ['an INSERT that lists no columns', "INSERT INTO users VALUES (1, 'a');\n", 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n'],
    ['a default, a serial and an identity column', 'INSERT INTO users (name) VALUES (\'a\');\n', 'ALTER TABLE users ALTER COLUMN joined SET NOT NULL, ALTER COLUMN id SET NOT NULL, ALTER COLUMN n SET NOT NULL;\n'],
    ['an UPDATE between', "INSERT INTO users (id) VALUES (1);\nUPDATE users SET name = 'x';\n", 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n'],
    ['a default set between', "INSERT INTO users (id) VALUES (1);\nALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';\n", 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n'],
    ['the rows deleted between', 'INSERT INTO users (id) VALUES (1);\nDELETE FROM users;\n', 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n'],
  ])('%s plans', async (_name, rows, change) => {
    expect(await errorsOf({ 'a/001.sql': TABLE, 'b/001.sql': rows, 'b/002.sql': change })).toEqual([]);
  });
});
