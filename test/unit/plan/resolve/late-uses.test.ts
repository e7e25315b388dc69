import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

async function errorsOf(files: Record<string, string>) {
  const topology = pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } });
  const p = await planMigration(makeProject(files, topology).topologyFile, { allowErrors: true, env: {} });
  return p.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint]);
}

describe('uses after the statement that took the name away', () => {
  it('a PostgreSQL table renamed by its own set, then used by its old name: one error at the use, not a cycle', async () => {
    expect(await errorsOf({
      'app/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nALTER TABLE orders RENAME TO purchases;\n',
      'app/002_late.sql': 'CREATE INDEX orders_by_id ON orders (id);\n',
    })).toEqual([[
      'plan.used_after_drop',
      'app/002_late.sql:1',
      'plan: "app/002_late.sql:1" uses table "orders" after "app/001_orders.sql:2" renamed it to "purchases"',
      'name it "purchases", or move the statement before "app/001_orders.sql:2"',
    ]]);
  });

  it('a use before the rename in its own set, or of the new name after it, plans', async () => {
    expect(await errorsOf({
      'app/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE INDEX orders_by_id ON orders (id);\nALTER TABLE orders RENAME TO purchases;\n',
      'app/002_late.sql': 'CREATE INDEX purchases_by_id ON purchases (id);\n',
    })).toEqual([]);
  });

  it('a PostgreSQL table dropped by its own set, then used with no create between: one error at the use, not a use ordered before the drop', async () => {
    expect(await errorsOf({
      'app/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nDROP TABLE orders;\n',
      'app/002_late.sql': 'CREATE INDEX orders_by_id ON orders (id);\n',
    })).toEqual([[
      'plan.used_after_drop',
      'app/002_late.sql:1',
      'plan: "app/002_late.sql:1" uses table "orders" after "app/001_orders.sql:2" dropped it',
      'create "orders" again after the drop, or move the statement before "app/001_orders.sql:2"',
    ]]);
  });

  it('a table dropped and created again before the use plans', async () => {
    expect(await errorsOf({
      'app/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nDROP TABLE orders;\nCREATE TABLE orders (id bigint PRIMARY KEY);\n',
      'app/002_late.sql': 'CREATE INDEX orders_by_id ON orders (id);\n',
    })).toEqual([]);
  });
});

describe('drops after the statement that took the object away', () => {
  const USERS = 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);\nCREATE INDEX users_lower_email ON users (lower(email));\n';

  it('a second DROP of a table, and a DROP or ALTER of an index its table or column took along: errors at each', async () => {
    expect((await errorsOf({ 'app/001.sql': USERS, 'app/002.sql': 'DROP TABLE users;\n', 'app/003.sql': 'DROP TABLE users;\nDROP INDEX users_email_idx;\n' })).map((e) => e.slice(0, 3))).toEqual([
      ['plan.used_after_drop', 'app/003.sql:1', 'plan: "app/003.sql:1" drops table "users" after "app/002.sql:1" dropped it'],
      ['plan.used_after_drop', 'app/003.sql:2', 'plan: "app/003.sql:2" drops index "users_email_idx" after "app/002.sql:1" dropped its table, and it with the table'],
    ]);
    const afterColumn = await errorsOf({ 'app/001.sql': USERS, 'app/002.sql': 'ALTER TABLE users DROP COLUMN email;\n', 'app/003.sql': 'ALTER INDEX users_email_idx RENAME TO users_mail_idx;\n' });
    expect(afterColumn).toEqual([[
      'plan.used_after_drop',
      'app/003.sql:1',
      'plan: "app/003.sql:1" uses index "users_email_idx" after "app/002.sql:1" dropped a column it is on, and it with the column',
      'create "users_email_idx" again after the drop, or move the statement before "app/002.sql:1"',
    ]]);
  });

  it('IF EXISTS, a drop of what was made again, an index on other columns and a RENAME COLUMN plan', async () => {
    expect(await errorsOf({
      'app/001.sql': USERS + 'CREATE INDEX users_id_idx ON users (id);\n',
      'app/002.sql': 'ALTER TABLE users RENAME COLUMN email TO mail;\nDROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN mail;\nDROP INDEX users_id_idx;\n',
      'app/003.sql': 'DROP TABLE users;\nDROP TABLE IF EXISTS users;\nCREATE TABLE users (id int);\nDROP TABLE users;\n',
    })).toEqual([]);
  });
});
