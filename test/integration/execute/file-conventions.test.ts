/**
 * Migration file conventions on real PostgreSQL: down files and down sections
 * are reverts and never run forward; sqlx's ledger rows are those sqlx writes;
 * a `-- no-transaction` file runs outside a transaction.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { queryDatabase, startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let server: TestEngine;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

const sql = <T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> => queryDatabase<T>(server.url, database, text);

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
    expect(plan.steps.filter((s) => s.revert?.file).map((s) => s.revert!.file).sort()).toEqual(['billing/20240301_invoices.sql', 'orders/0001_orders.down.sql', 'orders/0002_order_lines.down.sql']);
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

describe('a versioned tree: a full schema, then a directory per version of deltas', () => {
  it('applies in version order and leaves the schema the last version describes', async () => {
    const plan = await planMigration('test/fixtures/versioned/topology.yaml', { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.skipped).toEqual([]);
    // Files it does not apply are listed as such, each where it sits in its set's order.
    expect(plan.notRun.map((s) => `${s.file} after ${s.after}`)).toEqual([
      'delta/72/02event_search.sql.sqlite after main:delta/72/02event_search.sql.postgres#1-2',
      'delta/73/01backfill_stream.py after main:delta/72/02event_search.sql.postgres#1-2',
      'delta/79/02users_shadow_ban.sql.sqlite after main:delta/79/01users_shadow_ban.sql#1',
      'schema/full/70_main.sql.sqlite after main:schema/70_main.sql#1-11',
    ]);
    const result = await applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('versioned') });
    expect(result.steps.filter((s) => s.status !== 'applied')).toEqual([]);
    const db = 'relay_main';
    const tables = await sql<{ relname: string }>(db, "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1");
    // The full schema's presence_legacy and room_aliases_old are gone: version 72 dropped them after they were created.
    expect(tables.map((t) => t.relname)).toEqual(['device_lists', 'event_search', 'events', 'purge_jobs', 'rooms', 'server_keys', 'users']);
    // The PostgreSQL flavour of 72 ran (tsvector, GIN), the SQLite one did not.
    const search = await sql<{ attname: string; type: string }>(db, "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'event_search'::regclass AND attnum > 0 ORDER BY attnum");
    expect(search).toEqual([{ attname: 'event_id', type: 'text' }, { attname: 'room_id', type: 'text' }, { attname: 'vector', type: 'tsvector' }]);
    expect(await sql(db, "SELECT amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname = 'event_search_fts_idx'")).toEqual([{ amname: 'gin' }]);
    // Rows: seeded by the full schema, one added in 74, old.example's removed in 75 (after the seed, not before).
    expect(await sql(db, 'SELECT server, key_id FROM server_keys ORDER BY 1, 2')).toEqual([{ server: 'relay.example', key_id: 'ed25519:a1' }, { server: 'relay.example', key_id: 'ed25519:b2' }]);
    // 76's CREATE OR REPLACE is the function's next version; 77's comment found its column.
    const [fn] = await sql<{ src: string }>(db, "SELECT prosrc AS src FROM pg_proc WHERE proname = 'check_room_creator'");
    expect(fn!.src).toContain('-- v2');
    expect(await sql(db, "SELECT col_description('events'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'origin_ts')::int) AS c")).toEqual([{ c: 'milliseconds since the epoch, as the origin server claims' }]);
    // 78 rebuilt device_lists with a key; 79 added a boolean (the SQLite integer variant never ran).
    expect(await sql(db, "SELECT conname FROM pg_constraint WHERE conrelid = 'device_lists'::regclass AND contype = 'p'")).toEqual([{ conname: 'device_lists_pkey' }]);
    expect(await sql(db, "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'shadow_banned'")).toEqual([{ type: 'boolean' }]);
    expect((await sql<{ relname: string }>(db, "SELECT relname FROM pg_class WHERE relkind = 'i' AND relname LIKE 'rooms_public%'")).map((r) => r.relname)).toEqual(['rooms_public_v2']);
    // Applying again changes nothing.
    const again = await applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('versioned') });
    expect(again.steps.every((s) => s.status === 'already-applied')).toBe(true);
  });
});
