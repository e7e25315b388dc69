/**
 * Migration file conventions on real PostgreSQL: down files and down sections
 * are reverts and never run forward; sqlx's ledger rows are those sqlx writes;
 * a `-- no-transaction` file runs outside a transaction.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../../src/engines/postgres/postgres-url.js';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let server: TestEngine;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

async function sql<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl(server.url, database) });
  await c.connect();
  try { return (await c.query<T>(text)).rows; } finally { await c.end(); }
}

describe('down files and down sections never run forward', () => {
  it('applies the up files of an sqlx set, records them as sqlx does, and leaves the down files alone', async () => {
    const { topologyFile } = makeProject(
      {
        'orders/0001_orders.up.sql': 'CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  placed_at timestamptz NOT NULL DEFAULT now()\n);\n',
        // Sorted by name the down file comes first: it must not run, before or after.
        'orders/0001_orders.down.sql': 'DROP TABLE orders;\n',
        'orders/0002_order_lines.up.sql': 'CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (id), sku text NOT NULL);\n',
        'orders/0002_order_lines.down.sql': 'DROP TABLE order_lines;\n',
        'orders/0003_lines_by_sku.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY order_lines_sku ON order_lines (sku);\n',
        'billing/20240301_invoices.sql': '-- migrate:up\nCREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2));\n\n-- migrate:down\nDROP TABLE invoices;\n',
      },
      {
        stores: { main: { engine: 'postgres', database: 'conventions' } },
        sets: { orders: { dir: 'orders' }, billing: { dir: 'billing', convention: 'dbmate' } },
        services: {
          shop: { stores: { postgres: 'main' }, sets: ['orders'], ledger: 'sqlx' },
          billing: { stores: { postgres: 'main' }, sets: ['billing'] },
        },
      },
    );
    const plan = await planMigration(topologyFile, { env: {} });
    expect(plan.steps.filter((s) => s.revert).map((s) => s.revert!.file).sort()).toEqual(['billing/20240301_invoices.sql', 'orders/0001_orders.down.sql', 'orders/0002_order_lines.down.sql']);
    const result = await applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('conventions') });
    expect(result.steps.filter((s) => s.status === 'failed')).toEqual([]);
    const tables = await sql<{ relname: string }>('conventions', "SELECT relname FROM pg_class WHERE relkind IN ('r', 'i') AND relnamespace = 'public'::regnamespace ORDER BY 1");
    expect(tables.map((t) => t.relname)).toEqual(['_sqlx_migrations_pkey', 'invoices', 'invoices_pkey', 'order_lines', 'order_lines_sku', 'orders', 'orders_pkey', '_sqlx_migrations'].sort());
    const rows = await sql<{ version: string; description: string }>('conventions', 'SELECT version::text, description FROM _sqlx_migrations ORDER BY version');
    expect(rows).toEqual([{ version: '1', description: 'orders' }, { version: '2', description: 'order lines' }, { version: '3', description: 'lines by sku' }]);
    const index = await sql<{ indisvalid: boolean }>('conventions', "SELECT indisvalid FROM pg_index WHERE indexrelid = 'order_lines_sku'::regclass");
    expect(index).toEqual([{ indisvalid: true }]);
  });
});
