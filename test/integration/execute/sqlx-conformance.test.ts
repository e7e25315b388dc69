/**
 * sqlx's own start-up checks (test/helpers/sqlx-conformance.ts) against the
 * `_sqlx_migrations` tables topoplan writes: for every sqlx service of both
 * Nova topologies, and for each way a topology can separate or share ledgers.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Topology } from '../../../src/topology/model.js';
import { loadTopology } from '../../../src/topology/index.js';
import { startTestPostgres, tempDir } from '../../helpers/engines.js';
import { novaCopy } from '../../helpers/nova.js';
import { makeProject } from '../../helpers/project.js';
import { describeSqlxProblems, sqlxConformance, sqlxSetup } from '../../helpers/sqlx-conformance.js';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

async function withDatabase<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(server.url);
  url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/** Applies a topology's PostgreSQL stores (others unreachable) and returns sqlx's verdict per sqlx service. */
async function applyAndCheck(topology: Topology): Promise<Record<string, string>> {
  const plan = await planMigration(topology);
  const connections = Object.fromEntries([...topology.stores.values()].map((s) => [s.name, s.engine === 'postgres' ? server.url : undefined]));
  const r = await applyPlan(plan, { connections, workDir: await tempDir('sqlx-work'), verify: false });
  expect(r.steps.filter((s) => s.status === 'failed')).toEqual([]);
  const verdicts: Record<string, string> = {};
  for (const service of [...topology.services.values()].filter((s) => s.ledger === 'sqlx')) {
    const database = topology.stores.get(service.stores.postgres!)!.database;
    verdicts[service.name] = describeSqlxProblems(await withDatabase(database, (c) => sqlxConformance(c, sqlxSetup(topology, service))));
  }
  return verdicts;
}

describe.each(['a', 'b'] as const)('Nova plan %s', (p) => {
  it('every sqlx service\'s migrator accepts its table after apply', async () => {
    const topology = await novaCopy(p, `sx${p}`).load();
    const verdicts = await applyAndCheck(topology);
    console.info(`sqlx conformance, Nova plan ${p.toUpperCase()}:\n${Object.entries(verdicts).map(([s, v]) => `  ${s}: ${v}`).join('\n')}`);
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(verdicts).map((s) => [s, 'accepted'])));
  });
});

describe('ledger resolutions in one database', () => {
  // Four services in one database: a table of its own, a schema of its own, and two sharing the default table with distinct versions.
  const files = {
    'orders/migrations/0001_create_orders.sql': '-- orders\nCREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz NOT NULL DEFAULT now());\r\nCREATE INDEX orders_placed_at ON orders (placed_at);\n',
    'orders/migrations/0002_add_total.sql': 'ALTER TABLE orders ADD COLUMN total_cents bigint NOT NULL DEFAULT 0;\n',
    'billing/migrations/1_create_invoices.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));\n',
    'billing/migrations/2_create_invoice_lines.up.sql': 'CREATE TABLE invoice_lines (invoice_id bigint NOT NULL REFERENCES invoices (id), amount_cents bigint NOT NULL);\n',
    'billing/migrations/2_create_invoice_lines.down.sql': 'DROP TABLE invoice_lines;\n',
    'audit/migrations/20240101000000_create_audit_events.sql': 'CREATE TABLE audit_events (id bigserial PRIMARY KEY, body jsonb NOT NULL);\n',
    'mail/migrations/20240301000000_create_outbox.sql': 'CREATE TABLE outbox (id bigserial PRIMARY KEY, recipient text NOT NULL);\n',
    'mail/migrations/20240302000000_index_outbox.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY outbox_recipient ON outbox (recipient);\n',
  };
  const topology = (sqlx: Record<string, unknown>) => ({
    stores: { shop: { engine: 'postgres', database: `shop_${Object.keys(sqlx).length}` } },
    sets: { orders: { dir: 'orders/migrations' }, billing: { dir: 'billing/migrations' }, audit: { dir: 'audit/migrations' }, mail: { dir: 'mail/migrations' } },
    services: Object.fromEntries(['orders', 'billing', 'audit', 'mail'].map((s) => [s, { stores: { postgres: 'shop' }, sets: [s], owns: [], ledger: 'sqlx', ...(sqlx[s] ? { sqlx: sqlx[s] } : {}) }])),
  });

  it('a table per service, a schema per service, and a shared table with ignore_missing are each accepted by sqlx', async () => {
    const project = makeProject(files, topology({ orders: { table: '_sqlx_migrations_orders' }, billing: { schema: 'billing' }, audit: { ignoreMissing: true }, mail: { ignoreMissing: true } }));
    const { topology: t } = await loadTopology(project.topologyFile, { env: {} });
    const plan = await planMigration(t!);
    expect(plan.services.find((s) => s.name === 'billing')!.sqlx).toEqual({ table: 'billing._sqlx_migrations', searchPath: 'billing,public', connection: 'DATABASE_URL=postgres://HOST/shop_4?options=-c%20search_path%3Dbilling%2Cpublic' });
    expect(await applyAndCheck(t!)).toEqual({ audit: 'accepted', billing: 'accepted', mail: 'accepted', orders: 'accepted' });
    // The check is sqlx's: a row it would reject is reported as sqlx would.
    await withDatabase('shop_4', (c) => c.query(`UPDATE _sqlx_migrations_orders SET checksum = '\\x00' WHERE version = 2`));
    const orders = t!.services.get('orders')!;
    expect(describeSqlxProblems(await withDatabase('shop_4', (c) => sqlxConformance(c, sqlxSetup(t!, orders))))).toBe('VersionMismatch(2)');
    const audit = sqlxSetup(t!, t!.services.get('audit')!);
    expect(describeSqlxProblems(await withDatabase('shop_4', (c) => sqlxConformance(c, { ...audit, ignoreMissing: false })))).toBe('VersionMissing(20240301000000), VersionMissing(20240302000000)');
  });

  it('a shared table is a plan-time conflict until the services are separated or ignore missing versions', async () => {
    const project = makeProject(files, topology({ orders: {}, billing: {} }));
    const plan = await planMigration(project.topologyFile, { allowErrors: true, env: {} });
    const messages = plan.diagnostics.filter((d) => d.code === 'plan.sqlx_ledger').map((d) => d.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('version 1 ("billing/migrations/1_create_invoices.sql", "orders/migrations/0001_create_orders.sql"), version 2');
  });
});
