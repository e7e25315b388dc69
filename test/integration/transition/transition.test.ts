/**
 * A → B on real PostgreSQL: a shop service moves to its own database while
 * the system keeps its data; the copy resumes after an interruption and never
 * copies a row twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../../src/engines/backup-manifest.js';
import { restoreBackup } from '../../../src/execute/restore-backup.js';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { planTransition, runTransition, type TransitionPlan } from '../../../src/transition/index.js';
import { queryDatabase, startTestPostgres, tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let tp: TransitionPlan;
let planB: Awaited<ReturnType<typeof planMigration>>;
let conns: { fromConnections: Record<string, string>; toConnections: Record<string, string> };

const files = {
  'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);',
  'shop/001_orders.sql': `CREATE TYPE order_state AS ENUM ('new', 'paid', 'sent');
CREATE DOMAIN money_cents AS bigint CHECK (VALUE >= 0);
CREATE SEQUENCE invoice_no START 1000;
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, items integer NOT NULL DEFAULT 0, total numeric(12,2) NOT NULL, state order_state NOT NULL DEFAULT 'new');
CREATE INDEX idx_orders_user ON orders (user_id);
CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE state = 'paid';
CREATE FUNCTION cents(v numeric) RETURNS money_cents AS $$ SELECT (v * 100)::bigint $$ LANGUAGE sql;`,
  'shop/002_order_items.sql': `CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id) ON DELETE CASCADE, sku text NOT NULL, qty integer NOT NULL);
CREATE FUNCTION count_items() RETURNS trigger AS $$ BEGIN UPDATE orders SET items = items + 1 WHERE id = NEW.order_id; RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER trg_order_items_count AFTER INSERT ON order_items FOR EACH ROW EXECUTE FUNCTION count_items();`,
};
const topology = (stores: Record<string, unknown>, shopStore: string) => ({
  stores,
  sets: { app: { dir: 'app' }, shop: { dir: 'shop' } },
  services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, shop: { stores: { postgres: shopStore }, sets: ['shop'], env: 'SHOP_DATABASE_URL' } },
});

const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => queryDatabase<T>(server.url, database, text);
const count = async (database: string, table: string) => Number((await sql<{ n: string }>(database, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

beforeAll(async () => {
  server = await startTestPostgres();
  const a = makeProject(files, topology({ main: { engine: 'postgres', database: 'tr_main' } }, 'main'));
  const b = makeProject(files, topology({ main: { engine: 'postgres', database: 'tr_main' }, shop: { engine: 'postgres', database: 'tr_shop' } }, 'shop'));
  const planA = await planMigration(a.topologyFile, { env: {} });
  planB = await planMigration(b.topologyFile, { env: {} });
  const applied = await applyPlan(planA, { connections: { main: server.url }, workDir: await tempDir('tr-') });
  expect(applied.ok).toBe(true);
  await sql('tr_main', `SELECT setval('invoice_no', 1234);
    INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 100) g;
    INSERT INTO orders (id, user_id, total) SELECT g, 1 + g % 100, g * 1.5 FROM generate_series(1, 5000) g;
    INSERT INTO order_items SELECT g, 1 + g % 5000, 'sku-' || g, 1 + g % 3 FROM generate_series(1, 20000) g;`);
  tp = planTransition(planA, planB);
  conns = { fromConnections: { main: server.url }, toConnections: { main: server.url, shop: server.url } };
});
afterAll(async () => {
  await server?.stop();
});

describe('transition A → B', () => {
  it('plans the moving tables parents first, and the new connection of the moved service', () => {
    expect(tp.tables.map((t) => [t.table, t.from.database, t.to.database])).toEqual([
      ['orders', 'tr_main', 'tr_shop'],
      ['order_items', 'tr_main', 'tr_shop'],
    ]);
    expect(tp.newStores).toEqual(['shop']);
    // Views go first (before their tables), then functions, types, sequences (after the tables that use them).
    expect(tp.objects.map((o) => [o.kind, o.name, o.from.database])).toEqual([
      ['view', 'paid_orders', 'tr_main'],
      ['function', 'cents', 'tr_main'],
      ['function', 'count_items', 'tr_main'],
      ['type', 'money_cents', 'tr_main'],
      ['type', 'order_state', 'tr_main'],
      ['sequence', 'invoice_no', 'tr_main'],
    ]);
    expect(tp.cutover).toEqual([{ service: 'shop', env: 'SHOP_DATABASE_URL', store: 'shop', database: 'tr_shop' }]);
  });

  it('an interruption during the copy leaves nothing behind, and the re-run copies each row exactly once', async () => {
    const workDir = await tempDir('tr-');
    const interrupted = await runTransition(tp, {
      ...conns,
      workDir,
      beforeTableCommit: (table) => {
        if (table === 'order_items') throw new Error('connection lost');
      },
    });
    expect(interrupted.ok).toBe(false);
    expect(interrupted.tables.map((t) => [t.table, t.status])).toEqual([['orders', 'copied'], ['order_items', 'failed']]);
    expect(interrupted.tables[1]!.error).toContain('connection lost');
    expect(await count('tr_shop', 'order_items')).toBe(0);
    expect(await count('tr_shop', 'orders')).toBe(5000);

    // Resumed from the copy phase, with a target ledger that lacks order_items' own steps (as when the expand
    // ran under an earlier version): the copy records them, so applying B later does not create the table again.
    await sql('tr_shop', "DELETE FROM topoplan.ledger WHERE file = 'shop/002_order_items.sql'");
    const resumed = await runTransition(tp, { ...conns, workDir, phases: ['copy', 'verify', 'cutover'] });
    expect(resumed.ok).toBe(true);
    expect(resumed.tables.map((t) => [t.table, t.status, t.rows])).toEqual([
      ['orders', 'already-copied', 5000],
      ['order_items', 'copied', 20000],
      ['orders', 'verified', 5000],
      ['order_items', 'verified', 20000],
    ]);
    expect(await count('tr_shop', 'order_items')).toBe(20000);
    // The counter trigger was held off: items are the source's, not doubled.
    const [src, dst] = await Promise.all([sql<{ s: string }>('tr_main', 'SELECT sum(items) AS s FROM orders'), sql<{ s: string }>('tr_shop', 'SELECT sum(items) AS s FROM orders')]);
    expect(dst[0]!.s).toBe(src[0]!.s);
    expect(resumed.cutover).toEqual(tp.cutover);
    expect(await count('tr_main', 'orders')).toBe(5000);
  });

  it('applying B right after the transition runs nothing', async () => {
    expect((await sql<{ origin: string }>('tr_shop', "SELECT DISTINCT origin FROM topoplan.ledger WHERE file = 'shop/002_order_items.sql'"))).toEqual([{ origin: 'transition' }]);
    const r = await applyPlan(planB, { connections: { main: server.url, shop: server.url }, workDir: await tempDir('tr-') });
    expect(r.ok).toBe(true);
    expect(r.steps.filter((s) => s.status !== 'already-applied')).toEqual([]);
  });

  it('a finished transition does nothing the second time, and contract drops the old tables and objects after a backup', async () => {
    const workDir = await tempDir('tr-');
    const again = await runTransition(tp, { ...conns, workDir, phases: ['copy'] });
    expect(again.tables.map((t) => t.status)).toEqual(['already-copied', 'already-copied']);
    const contract = await runTransition(tp, { ...conns, workDir, phases: ['contract'], contract: true });
    expect(contract.ok).toBe(true);
    expect(contract.tables.map((t) => [t.table, t.status])).toEqual([['order_items', 'contracted'], ['orders', 'contracted']]);
    expect(contract.objects.map((o) => [o.status, o.dropped])).toEqual([
      ['contracted', ['paid_orders']],
      ['contracted', ['cents(numeric)']],
      ['contracted', ['count_items()']],
      ['contracted', ['money_cents']],
      ['contracted', ['order_state']],
      ['contracted', ['invoice_no']],
    ]);
    expect(contract.backups.filter((b) => b.rows > 0).map((b) => [b.table, b.rows])).toEqual([['public.order_items', 20000], ['public.orders', 5000]]);
    // Each a backup of its own that topoplan restore lists.
    const found = await listBackups(workDir);
    expect(found.map((b) => b.manifest.objects.map((o) => o.table)).sort()).toEqual([['cents(numeric)'], ['count_items()'], ['invoice_no'], ['money_cents'], ['order_state'], ['paid_orders'], ['public.order_items'], ['public.orders']]);
    expect(await sql('tr_main', "SELECT 1 FROM pg_tables WHERE tablename IN ('orders', 'order_items')")).toEqual([]);
    expect(await sql('tr_main', "SELECT proname FROM pg_proc WHERE proname IN ('cents', 'count_items')")).toEqual([]);
    expect(await sql('tr_main', "SELECT typname FROM pg_type WHERE typname IN ('order_state', 'money_cents', 'invoice_no', 'paid_orders')")).toEqual([]);
    expect(await count('tr_main', 'users')).toBe(100);

    // A second contract finds nothing left to drop.
    const twice = await runTransition(tp, { ...conns, workDir, phases: ['contract'], contract: true });
    expect(twice.objects.map((o) => o.status)).toEqual(['absent', 'absent', 'absent', 'absent', 'absent', 'absent']);

    // Each definition restores: the enum with its labels, the sequence at its position, the function that uses the domain.
    const restore = (table: string) => restoreBackup(found.find((b) => b.manifest.objects[0]!.table === table)!.dir, { store: 'main', database: 'tr_main', engine: 'postgres', url: server.url });
    for (const t of ['order_state', 'money_cents', 'invoice_no', 'cents(numeric)']) expect((await restore(t)).restored.map((r) => [r.kind, r.created])).toEqual([['definition', true]]);
    expect((await restore('order_state')).restored[0]!.created).toBe(false);
    expect(await sql('tr_main', "SELECT unnest(enum_range(NULL::order_state))::text AS l")).toEqual([{ l: 'new' }, { l: 'paid' }, { l: 'sent' }]);
    expect(await sql('tr_main', "SELECT nextval('invoice_no')::int AS n, cents(1.25)::bigint::int AS c")).toEqual([{ n: 1235, c: 125 }]);
    await expect(sql('tr_main', 'SELECT cents(-1)')).rejects.toThrow(/money_cents/);
  });

  it('contract of an object something else still uses stops with the reason and drops nothing of it', async () => {
    await sql('tr_main', 'CREATE TABLE uses_state (s order_state)');
    const r = await runTransition(tp, { ...conns, workDir: await tempDir('tr-'), phases: ['contract'], contract: true });
    expect(r.ok).toBe(false);
    const failed = r.objects.find((o) => o.status === 'failed')!;
    expect(failed.name).toBe('order_state');
    expect(failed.error).toMatch(/^transition: contract of type "order_state" of service "shop" in tr_main failed: .*uses_state.*; hint: drop or move what still uses it/);
    expect(await sql('tr_main', "SELECT typname FROM pg_type WHERE typname = 'order_state'")).toEqual([{ typname: 'order_state' }]);
  });
});
