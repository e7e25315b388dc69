import { describe, expect, it } from 'vitest';
import { errorsOf as errorsIn, planTwoServices } from '../../../helpers/project.js';

const errorsOf = async (files: Record<string, string>) => errorsIn(await planTwoServices(files));

const TABLE = 'CREATE TABLE invoices (id int PRIMARY KEY, amount numeric(10, 2), note text, extra text);\n';

describe('ALTER TABLE on a column a view reads', () => {
  it('a change of its type: an error at the ALTER naming the view, with the way around it', async () => {
    expect(await errorsOf({
      'a/001.sql': `${TABLE}CREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n`,
      'a/002.sql': 'ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(14, 2);\n',
    })).toEqual([[
      'plan.column_in_use',
      'a/002.sql:1',
      'plan: "ALTER TABLE invoices" at "a/002.sql:1" changes the type of column "amount", which view totals ("a/001.sql:2") reads: PostgreSQL refuses to change the type of a column a view reads',
      'drop view totals before line 1 of "a/002.sql" and create it again after the change, in the same file',
    ]]);
  });

  it('a DROP COLUMN of a column another set\'s view reads through *', async () => {
    const errors = await errorsOf({
      'a/001.sql': TABLE,
      'b/001.sql': 'CREATE MATERIALIZED VIEW everything AS SELECT * FROM invoices;\n',
      'b/002.sql': 'ALTER TABLE invoices DROP COLUMN extra;\n',
    });
    expect(errors.map((e) => e[2])).toEqual(['plan: "ALTER TABLE invoices" at "b/002.sql:1" drops column "extra", which materialized view everything ("b/001.sql:1") reads: PostgreSQL refuses to drop a column a view reads without CASCADE']);
  });

  it.each([
    ['a column the view does not read', 'ALTER TABLE invoices ALTER COLUMN note TYPE varchar(200), DROP COLUMN extra;\n'],
    ['a DROP COLUMN with CASCADE (the view goes with it)', 'ALTER TABLE invoices DROP COLUMN amount CASCADE;\n'],
    ['the view dropped first, and made again after', 'DROP VIEW totals;\nALTER TABLE invoices ALTER COLUMN amount TYPE numeric(14, 2);\nCREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n'],
    ['a RENAME COLUMN (the view follows it)', 'ALTER TABLE invoices RENAME COLUMN amount TO total;\n'],
    ['a SET DEFAULT on the column', 'ALTER TABLE invoices ALTER COLUMN amount SET DEFAULT 0;\n'],
  ])('%s plans', async (_name, change) => {
    expect(await errorsOf({ 'a/001.sql': `${TABLE}CREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n`, 'a/002.sql': change })).toEqual([]);
  });

  it('a view another set makes is ordered after the change: nothing is in the way', async () => {
    expect(await errorsOf({
      'a/001.sql': TABLE,
      'a/002.sql': 'ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(14, 2);\n',
      'b/001.sql': 'CREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n',
    })).toEqual([]);
  });

  it('a table dropped with CASCADE and made again between the view and the change plans (the view went with it)', async () => {
    const errors = await errorsOf({
      'a/001.sql': `${TABLE}CREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n`,
      'a/002.sql': `DROP TABLE invoices CASCADE;\n${TABLE}`,
      'a/003.sql': 'ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(14, 2);\n',
    });
    expect(errors.map((e) => e[0])).not.toContain('plan.column_in_use');
  });
});

describe('DROP COLUMN of a column a foreign key references', () => {
  const USERS = 'CREATE TABLE users (id int PRIMARY KEY, code text UNIQUE);\n';

  it('with the key still there: an error at the drop naming the key, with the way around it', async () => {
    const errors = await errorsOf({ 'a/001.sql': `${USERS}CREATE TABLE orders (id int, user_code text REFERENCES users (code));\n`, 'a/002.sql': 'ALTER TABLE users DROP COLUMN code;\n' });
    expect(errors).toEqual([[
      'plan.column_in_use',
      'a/002.sql:1',
      'plan: "ALTER TABLE users" at "a/002.sql:1" drops column "code", which a foreign key of table orders (user_code) ("a/001.sql:2") references: PostgreSQL refuses to drop a column a foreign key references without CASCADE',
      'drop the foreign key first (ALTER TABLE orders DROP CONSTRAINT <its name>, in a statement ordered before line 1 of "a/002.sql"), or drop the column with CASCADE if the key is meant to go with it',
    ]]);
  });

  it.each([
    ['the key\'s column dropped first', 'ALTER TABLE orders DROP COLUMN user_code;\nALTER TABLE users DROP COLUMN code;\n'],
    ['the key\'s constraint dropped first', 'ALTER TABLE orders DROP CONSTRAINT orders_user_code_fkey;\nALTER TABLE users DROP COLUMN code;\n'],
    ['the key\'s table dropped first', 'DROP TABLE orders;\nALTER TABLE users DROP COLUMN code;\n'],
    ['CASCADE, which takes the key along', 'ALTER TABLE users DROP COLUMN code CASCADE;\n'],
    ['a change of type (the key is checked again)', 'ALTER TABLE users ALTER COLUMN code TYPE varchar(40);\n'],
  ])('%s plans', async (_name, change) => {
    expect(await errorsOf({ 'a/001.sql': `${USERS}CREATE TABLE orders (id int, user_code text REFERENCES users (code));\n`, 'a/002.sql': change })).toEqual([]);
  });

  it("another set's DROP CONSTRAINT of the key is ordered before the column's drop, as before a table's", async () => {
    const plan = await planTwoServices({
      'a/001.sql': `${USERS}CREATE TABLE orders (id int, user_code text);\nALTER TABLE orders ADD CONSTRAINT orders_code_fk FOREIGN KEY (user_code) REFERENCES users (code);\n`,
      'b/001.sql': 'ALTER TABLE orders DROP CONSTRAINT orders_code_fk;\n',
      'a/002.sql': 'ALTER TABLE users DROP COLUMN code;\n',
    });
    expect(errorsIn(plan)).toEqual([]);
    expect(plan.steps.find((s) => s.id === 'main:a/002.sql#1')!.dependsOn).toContain('main:b/001.sql#1');
  });
});

