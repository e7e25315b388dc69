/**
 * What planning reports before apply is what PostgreSQL rejects at apply: a constraint name taken twice
 * on a table, a constraint whose index name another table's constraint has, a column a later file adds,
 * a foreign key to a column its table lacks, a comment on a missing column, a column only a no-op
 * CREATE TABLE IF NOT EXISTS lists, a column renamed away. Each broken tree's plan
 * error names the statement that then fails on embedded PostgreSQL with the engine's own error; the
 * fixed tree plans without errors and applies with no failed statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../helpers/project.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';

let server: TestEngine;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

let databases = 0;
async function planAndApply(files: Record<string, string>) {
  const database = `plan_time_errors_${++databases}`;
  const topology = pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } });
  const plan = await planMigration(makeProject(files, { ...topology, stores: { main: { engine: 'postgres', database } } }).topologyFile, { allowErrors: true, env: {} });
  const result = await applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('plan-time-errors') });
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.code}`);
  const failed = result.steps.filter((s) => s.status === 'failed').map((s) => `${s.error?.file}:${s.error?.line}: ${s.error?.code} ${s.error?.message.replace(/^.*failed in store "main": /, "")}`);
  return { errors, failed };
}

const base = 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric);';
const cases: [string, Record<string, string>, Record<string, string>, string | string[], string][] = [
  [
    'a foreign key name taken twice on a table',
    { 'app/002_fk.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);', 'app/003_cascade.sql': 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;' },
    { 'app/003_cascade.sql': 'ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;\nALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;' },
    'app/003_cascade.sql:1: plan.duplicate_create',
    'app/003_cascade.sql:1: 42710 constraint "orders_customer_fk" for relation "orders" already exists',
  ],
  [
    "a unique constraint named as another table's",
    { 'app/002_codes.sql': 'ALTER TABLE customers ADD COLUMN code text;\nALTER TABLE customers ADD CONSTRAINT uq_code UNIQUE (code);\nALTER TABLE orders ADD COLUMN code text;\nALTER TABLE orders ADD CONSTRAINT uq_code UNIQUE (code);' },
    { 'app/002_codes.sql': 'ALTER TABLE customers ADD COLUMN code text;\nALTER TABLE customers ADD CONSTRAINT customers_uq_code UNIQUE (code);\nALTER TABLE orders ADD COLUMN code text;\nALTER TABLE orders ADD CONSTRAINT orders_uq_code UNIQUE (code);' },
    'app/002_codes.sql:4: plan.duplicate_create',
    'app/002_codes.sql:4: 42P07 relation "uq_code" already exists',
  ],
  [
    'an index on a column a later file adds',
    { 'app/002_index.sql': 'CREATE INDEX orders_by_placed ON orders (placed_at);', 'app/003_placed.sql': 'ALTER TABLE orders ADD COLUMN placed_at timestamptz;' },
    { 'app/002_index.sql': 'ALTER TABLE orders ADD COLUMN placed_at timestamptz;', 'app/003_placed.sql': 'CREATE INDEX orders_by_placed ON orders (placed_at);' },
    'app/002_index.sql:1: plan.unknown_column',
    'app/002_index.sql:1: 42703 column "placed_at" does not exist',
  ],
  [
    'a foreign key to a column its table lacks',
    { 'app/002_refunds.sql': 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_ref bigint REFERENCES orders (order_id));' },
    { 'app/002_refunds.sql': 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_ref bigint REFERENCES orders (id));' },
    'app/002_refunds.sql:1: plan.unknown_column',
    'app/002_refunds.sql:1: 42703 column "order_id" referenced in foreign key constraint does not exist',
  ],
  [
    'a comment on a column the table lacks',
    { 'app/002_comment.sql': "COMMENT ON COLUMN orders.totl IS 'gross, in cents';" },
    { 'app/002_comment.sql': "COMMENT ON COLUMN orders.total IS 'gross, in cents';" },
    'app/002_comment.sql:1: plan.unknown_column',
    'app/002_comment.sql:1: 42703 column "totl" of relation "orders" does not exist',
  ],
  [
    'an index on a column only a no-op CREATE TABLE IF NOT EXISTS lists',
    { 'app/002_orders_again.sql': 'CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY, customer_id bigint, total numeric, placed_at timestamptz);\nCREATE INDEX orders_by_placed ON orders (placed_at);' },
    { 'app/002_orders_again.sql': 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS placed_at timestamptz;\nCREATE INDEX orders_by_placed ON orders (placed_at);' },
    ['app/001_base.sql:2: plan.duplicate_create', 'app/002_orders_again.sql:2: plan.unknown_column'],
    'app/002_orders_again.sql:2: 42703 column "placed_at" does not exist',
  ],
  [
    'an index on a column renamed away before it',
    { 'app/002_rename.sql': 'ALTER TABLE orders RENAME COLUMN total TO gross;', 'app/003_index.sql': 'CREATE INDEX orders_by_total ON orders (total);' },
    { 'app/003_index.sql': 'CREATE INDEX orders_by_gross ON orders (gross);' },
    'app/003_index.sql:1: plan.unknown_column',
    'app/003_index.sql:1: 42703 column "total" does not exist',
  ],
];

describe('plan-time errors are the failures apply would meet', () => {
  it.each(cases)('%s', async (_what, broken, fixed, error, failure) => {
    const before = await planAndApply({ 'app/001_base.sql': base, ...broken });
    expect(before.errors).toEqual([error].flat());
    expect(before.failed).toEqual([failure]);
    const after = await planAndApply({ 'app/001_base.sql': base, ...broken, ...fixed });
    expect(after).toEqual({ errors: [], failed: [] });
  }, 60_000);
});
