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
