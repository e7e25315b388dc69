/**
 * A → B on real PostgreSQL where a moving table has another shape in B's
 * migrations than in A's database: the column mapping is reported before any
 * row is copied; convertible types are copied through their text form;
 * a column whose values would be lost, or one the copy cannot fill, stops the
 * copy phase before any table is copied.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { planTransition, runTransition, type ColumnMapping } from '../../../src/transition/index.js';
import { queryDatabase, startTestPostgres, tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let server: Awaited<ReturnType<typeof startTestPostgres>>;

const customers = 'CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);';
const ordersA = `CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  qty integer NOT NULL,
  note varchar(40)
);`;
const ordersB = `CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  qty bigint NOT NULL,
  note text,
  placed_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00',
  double_qty bigint GENERATED ALWAYS AS (qty * 2) STORED
);`;
const topology = (db: string, split: boolean) => ({
  stores: split ? { main: { engine: 'postgres', database: `${db}_main` }, sales: { engine: 'postgres', database: `${db}_sales` } } : { main: { engine: 'postgres', database: `${db}_main` } },
  sets: { sales: { dir: 'sales' } },
  services: { sales: { stores: { postgres: split ? 'sales' : 'main' }, sets: ['sales'], env: 'SALES_DATABASE_URL' } },
});

const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => queryDatabase<T>(server.url, database, text);

/** A applied with `ordersSqlA` and some rows; the transition plan to B whose orders are `ordersSqlB`. */
async function setup(db: string, ordersSqlA: string, ordersSqlB: string) {
  const a = makeProject({ 'sales/001_customers.sql': customers, 'sales/002_orders.sql': ordersSqlA }, topology(db, false));
  const b = makeProject({ 'sales/001_customers.sql': customers, 'sales/002_orders.sql': ordersSqlB }, topology(db, true));
  const planA = await planMigration(a.topologyFile, { env: {} });
  expect((await applyPlan(planA, { connections: { main: server.url }, workDir: await tempDir('trsh-') })).ok).toBe(true);
  await sql(`${db}_main`, `INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 20) g;
    INSERT INTO orders (id, customer_id, qty, note) SELECT g, 1 + g % 20, g % 7, CASE WHEN g % 5 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 300) g;`);
  return planTransition(planA, await planMigration(b.topologyFile, { env: {} }));
}

beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe('a moving table with another shape in B', () => {
  it('reports the column mapping before copying, and copies convertible types through text', async () => {
    const tp = await setup('trsh1', ordersA, ordersB);
    const events: string[] = [];
    const mappings: ColumnMapping[] = [];
    const r = await runTransition(tp, {
      fromConnections: { main: server.url },
      toConnections: { main: server.url, sales: server.url },
      workDir: await tempDir('trsh-'),
      onEvent: (e) => {
        events.push(e.type === 'phase' ? e.phase : e.type === 'table' ? `${e.result.status} ${e.result.table}` : e.type === 'mapping' ? `mapping ${e.mapping.table}` : `${e.result.status} ${e.result.name}`);
        if (e.type === 'mapping') mappings.push(e.mapping);
      },
    });
    expect(r.tables.filter((t) => t.error)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(events).toEqual(['expand', 'copy', 'mapping orders', 'copied customers', 'copied orders', 'verify', 'verified customers', 'verified orders', 'cutover']);
    expect(mappings).toEqual([
      {
        table: 'orders',
        columns: [
          { name: 'id', from: 'bigint', to: 'bigint', how: 'copy' },
          { name: 'customer_id', from: 'bigint', to: 'bigint', how: 'copy' },
          { name: 'qty', from: 'integer', to: 'bigint', how: 'convert' },
          { name: 'note', from: 'character varying(40)', to: 'text', how: 'convert' },
          { name: 'placed_at', to: 'timestamp with time zone', how: 'default' },
          { name: 'double_qty', to: 'bigint', how: 'generated' },
        ],
        copied: ['id', 'customer_id', 'qty', 'note'],
        format: 'text',
        same: false,
        problems: [],
      },
    ]);
    expect(r.mappings.map((m) => [m.table, m.same, m.format])).toEqual([['customers', true, 'binary'], ['orders', false, 'text']]);
    const q = 'SELECT id, customer_id, qty::bigint AS qty, note FROM orders ORDER BY id';
    expect(await sql('trsh1_sales', q)).toEqual(await sql('trsh1_main', q));
    expect(await sql('trsh1_sales', 'SELECT count(*)::int AS n FROM orders WHERE double_qty <> qty * 2 OR placed_at <> \'2026-01-01 00:00:00+00\'')).toEqual([{ n: 0 }]);
  });

  it('a column whose values would be lost, or one the copy cannot fill, fails the copy phase before any table is copied', async () => {
    const lossy = ordersA.replace('note varchar(40)', 'note varchar(40),\n  legacy_flag boolean DEFAULT false');
    const unfillable = ordersB.replace('note text,', 'note text,\n  region text NOT NULL,');
    const tp = await setup('trsh2', lossy, unfillable);
    const r = await runTransition(tp, { fromConnections: { main: server.url }, toConnections: { main: server.url, sales: server.url }, workDir: await tempDir('trsh-') });
    expect(r.ok).toBe(false);
    expect(r.tables.map((t) => [t.table, t.status])).toEqual([['orders', 'failed']]);
    const error = r.tables[0]!.error!;
    expect(error).toContain('column "orders"."region" (text) in trsh2_sales is NOT NULL without a default and trsh2_main has no such column, so the copy cannot fill it; give it a default');
    expect(error).toContain('column "orders"."legacy_flag" (boolean) in trsh2_main has no counterpart in trsh2_sales, so its values would be lost; add it to B\'s migration');
    expect(await sql('trsh2_sales', 'SELECT (SELECT count(*) FROM customers)::int AS c, (SELECT count(*) FROM orders)::int AS o')).toEqual([{ c: 0, o: 0 }]);
  });
});
