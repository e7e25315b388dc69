import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { planTransition } from '../../../src/transition/plan-transition.js';
import { makeProject } from '../../helpers/project.js';

const files = {
  'billing/migrations/001_create_invoices.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, total_cents bigint NOT NULL);\n',
  'orders/migrations/001_create_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
  'billing/migrations/002_objects.sql': "CREATE TYPE invoice_state AS ENUM ('open', 'paid');\nCREATE VIEW open_invoices AS SELECT id FROM invoices;\nCREATE FUNCTION cents(v numeric) RETURNS bigint AS $$ SELECT (v * 100)::bigint $$ LANGUAGE sql;\n",
};

function topology(billingStore: string) {
  return {
    stores: { shop: { engine: 'postgres', database: 'shop' }, billing: { engine: 'postgres', database: 'billing', url: 'postgres://app@db:5432/billing' } },
    sets: { billing: { dir: 'billing/migrations' }, orders: { dir: 'orders/migrations' } },
    services: {
      billing: { stores: { postgres: billingStore }, sets: ['billing'], owns: ['invoices'], ledger: 'sqlx', sqlx: { schema: 'billing_ledger' }, env: 'BILLING_DATABASE_URL' },
      orders: { stores: { postgres: 'shop' }, sets: ['orders'], owns: ['orders'], ledger: 'sqlx', sqlx: { table: '_sqlx_migrations_orders' } },
    },
  };
}

describe('planTransition cut-over', () => {
  it('a moved service whose sqlx ledger is in a schema of its own is told the search_path its connection needs', async () => {
    const a = await planMigration(makeProject(files, topology('shop')).topologyFile, { env: {} });
    const b = await planMigration(makeProject(files, topology('billing')).topologyFile, { env: {} });
    expect(planTransition(a, b).cutover).toEqual([
      { service: 'billing', env: 'BILLING_DATABASE_URL', store: 'billing', database: 'billing', url: 'postgres://app@db:5432/billing', searchPath: 'billing_ledger,public' },
    ]);
  });

  it('lists what the moved service leaves behind besides tables, views first, then functions, types', async () => {
    const a = await planMigration(makeProject(files, topology('shop')).topologyFile, { env: {} });
    const b = await planMigration(makeProject(files, topology('billing')).topologyFile, { env: {} });
    expect(planTransition(a, b).objects.map((o) => [o.kind, o.name, o.service, o.from.database])).toEqual([
      ['view', 'open_invoices', 'billing', 'shop'],
      ['function', 'cents', 'billing', 'shop'],
      ['type', 'invoice_state', 'billing', 'shop'],
    ]);
  });
});
