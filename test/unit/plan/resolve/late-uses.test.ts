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
