import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { loadTopology } from '../../../src/topology/index.js';
import { makeProject } from '../../helpers/project.js';

const files = {
  'common/001_audit.up.sql': 'CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), what text);\n',
  'common/001_audit.down.sql': 'DROP TABLE audit_log;\n',
  'orders/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
  'billing/001_invoices.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n',
};

const topology = (billingStore: string) => ({
  stores: { orders_db: { engine: 'postgres', database: 'orders' }, billing_db: { engine: 'postgres', database: 'billing' } },
  sets: { common: { dir: 'common' }, orders: { dir: 'orders' }, billing: { dir: 'billing' } },
  services: {
    orders: { stores: { postgres: 'orders_db' }, sets: ['common', 'orders'], ledger: 'sqlx' },
    billing: { stores: { postgres: billingStore }, sets: ['common', 'billing'], ledger: 'sqlx' },
  },
});

describe('one set run by several services', () => {
  it('plans the common schema into every service\'s database, each step with its revert and sqlx row', async () => {
    const { topologyFile } = makeProject(files, topology('billing_db'));
    const p = await planMigration(topologyFile, { env: {} });
    const common = p.steps.filter((s) => s.source?.set === 'common');
    expect(common.map((s) => [s.id, s.service])).toEqual([
      ['billing_db:common/001_audit.up.sql#1', 'billing'],
      ['orders_db:common/001_audit.up.sql#1', 'orders'],
    ]);
    expect(common.every((s) => s.revert?.file === 'common/001_audit.down.sql' && s.sqlx?.completesFile === true)).toBe(true);
    expect(p.objects.find((o) => o.name === 'audit_log')!.stores).toEqual(['billing_db', 'orders_db']);
  });

  it('two services that run it on one store are an error: it would run twice in one database', async () => {
    const { topologyFile } = makeProject(files, topology('orders_db'));
    const { diagnostics } = await loadTopology(topologyFile, { env: {} });
    const d = diagnostics.find((x) => x.code === 'topology.set_reused')!;
    expect(d.message).toBe('topology: set "common" is run by both "billing" and "orders" on store "orders_db": its migrations would run twice in one database');
    expect(d.severity).toBe('error');
  });
});
