/**
 * The live transition on real PostgreSQL, with logical replication: Nova's
 * social service moves to a database of its own on the same server (the
 * subscription's slot made apart, or CREATE SUBSCRIPTION would wait forever),
 * its counter triggers not firing for replicated rows; --abort leaves the old
 * database as it was; and a shop moves to a second server while a writer
 * inserts and updates rows the whole time.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../../src/engines/embedded/start-embedded-postgres.js';
import { databaseUrl } from '../../../src/engines/postgres/postgres-url.js';
import { replicationPreflight } from '../../../src/transition/live/replication-preflight.js';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { abortLiveTransition, liveTransitionStatus, planTransition, runLiveTransition, type TransitionPlan } from '../../../src/transition/index.js';
import { queryDatabase, startTestPostgres, tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let one: Awaited<ReturnType<typeof startTestPostgres>>;
let two: Awaited<ReturnType<typeof startTestPostgres>>;
beforeAll(async () => {
  [one, two] = await Promise.all([startTestPostgres(), startTestPostgres()]);
});
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
});

const nova = (f: string) => readFileSync(new URL(`../../../examples/nova/social-service/migrations/${f}`, import.meta.url), 'utf8');
const topology = (stores: Record<string, unknown>, store: string, sets: Record<string, unknown>, services: Record<string, unknown>) => ({
  stores,
  sets,
  services: { ...services, moved: { ...(services.moved as object), stores: { postgres: store }, env: 'MOVED_DATABASE_URL' } },
});

async function plans(files: Record<string, string>, a: Record<string, unknown>, b: Record<string, unknown>): Promise<{ tp: TransitionPlan; planA: Awaited<ReturnType<typeof planMigration>> }> {
  const planA = await planMigration(makeProject(files, a).topologyFile, { env: {} });
  const planB = await planMigration(makeProject(files, b).topologyFile, { env: {} });
  return { tp: planTransition(planA, planB), planA };
}

describe('live transition, both databases on one server (Nova counter triggers)', () => {
  const files = { 'social/001.sql': nova('001_create_social_tables.sql'), 'social/002.sql': nova('002_create_post_counters.sql'), 'social/003.sql': nova('003_create_comment_likes.sql'), 'social/005.sql': nova('005_counter_triggers.sql'), 'app/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);' };
  const sets = { social: { dir: 'social' }, app: { dir: 'app' } };
  const services = { app: { stores: { postgres: 'main' }, sets: ['app'] }, moved: { sets: ['social'] } };
  const sql = <T extends pg.QueryResultRow>(db: string, text: string) => queryDatabase<T>(one.url, db, text);
  const counters = async (db: string) => (await sql<{ s: string }>(db, 'SELECT coalesce(sum(like_count), 0)::text AS s FROM post_counters'))[0]!.s;
  let tp: TransitionPlan;
  let conns: { fromConnections: Record<string, string>; toConnections: Record<string, string> };

  beforeAll(async () => {
    const r = await plans(files, topology({ main: { engine: 'postgres', database: 'lv_main' } }, 'main', sets, services), topology({ main: { engine: 'postgres', database: 'lv_main' }, social: { engine: 'postgres', database: 'lv_social' } }, 'social', sets, services));
    tp = r.tp;
    expect((await applyPlan(r.planA, { connections: { main: one.url }, workDir: await tempDir('lv-') })).ok).toBe(true);
    await sql('lv_main', `INSERT INTO likes (post_id, user_id) SELECT gen_random_uuid(), gen_random_uuid() FROM generate_series(1, 300)`);
    conns = { fromConnections: { main: one.url }, toConnections: { main: one.url, social: one.url } };
  });

  it('streams the tables, reports them, and --abort leaves the old database as it was', async () => {
    const started = await runLiveTransition(tp, { ...conns, workDir: await tempDir('lv-'), phases: ['expand', 'copy'], pollMs: 50 });
    expect(started.problems).toEqual([]);
    expect(started.ok).toBe(true);
    expect(started.streams.map((s) => [s.subscription, s.created])).toEqual([['topoplan_test_lv_main_to_lv_social', ['publication', 'slot', 'subscription']]]);
    const status = await liveTransitionStatus(tp, conns);
    expect(status[0]!.phase).toBe('streaming');
    expect(status[0]!.tables.map((t) => [t.table, t.copied, t.rowsOld === t.rowsNew])).toEqual(tp.tables.map((t) => [t.table, true, true]));
    expect(await counters('lv_social')).toBe('300');

    const aborted = await abortLiveTransition(tp, conns);
    expect(aborted.ok).toBe(true);
    expect(await sql('lv_main', "SELECT pubname FROM pg_publication")).toEqual([]);
    expect(await sql('lv_main', "SELECT slot_name FROM pg_replication_slots")).toEqual([]);
    expect(await sql('lv_main', "SELECT to_regclass('topoplan.stream_marker') AS t")).toEqual([{ t: null }]);
    expect(await sql('lv_social', 'SELECT count(*)::int AS n FROM likes')).toEqual([{ n: 0 }]);
    expect(await counters('lv_main')).toBe('300');
  });

  it('a role that may not replicate, publish or subscribe is told every problem at once, and nothing is created', async () => {
    await sql('lv_main', "DROP ROLE IF EXISTS lv_plain; CREATE ROLE lv_plain LOGIN PASSWORD 'pw'");
    const plain = (u: string) => { const x = new URL(u); x.username = 'lv_plain'; x.password = 'pw'; return x.toString(); };
    const r = await runLiveTransition(tp, { fromConnections: { main: plain(one.url) }, toConnections: { main: plain(one.url), social: plain(one.url) }, workDir: await tempDir('lv-'), phases: ['copy'] });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'transition --live: role "lv_plain" of main/lv_main may not replicate; hint: ALTER ROLE lv_plain REPLICATION (a managed PostgreSQL: grant its replication role, e.g. rds_replication)',
      'transition --live: role "lv_plain" does not own "comment_likes", "comments", "likes", "post_counters", "shares" in lv_main, so it cannot publish them; hint: connect as their owner',
      'transition --live: role "lv_plain" of social/lv_social may not create subscriptions; hint: GRANT pg_create_subscription TO lv_plain and GRANT CREATE ON DATABASE lv_social TO lv_plain',
    ]);
    expect(await sql('lv_main', 'SELECT pubname FROM pg_publication')).toEqual([]);
  });

  it('a re-run streams again; replicated likes do not count twice; the cut-over sets the new connection', async () => {
    const workDir = await tempDir('lv-');
    expect((await runLiveTransition(tp, { ...conns, workDir, phases: ['copy'], pollMs: 50 })).ok).toBe(true);
    // Written while streaming: the old side's trigger counts them, the new side takes the counted rows as they are.
    await sql('lv_main', `INSERT INTO likes (post_id, user_id) SELECT post_id, gen_random_uuid() FROM likes LIMIT 50`);
    // A writer in flight longer than the lock timeout: the cut-over is called off, nothing changes, the stream runs on.
    const blocker = new pg.Client({ connectionString: databaseUrl(one.url, 'lv_main') });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('INSERT INTO likes (post_id, user_id) SELECT post_id, gen_random_uuid() FROM likes LIMIT 1');
    const held = await runLiveTransition(tp, { ...conns, workDir, phases: ['cutover'], pollMs: 50, lockTimeoutMs: 200 });
    expect(held.ok).toBe(false);
    expect(held.streams[0]!.error).toMatch(/^transition --live: cut-over lv_main → lv_social: writers kept the moving tables longer than 200 ms \(.*lock timeout\); nothing changed, the stream runs on; hint: retry, or raise --lock-timeout$/);
    expect((await liveTransitionStatus(tp, conns))[0]!.running).toBe(true);
    await blocker.query('COMMIT');
    await blocker.end();
    // A stream that delivers nothing (its subscription disabled): the cut-over waits for the last writes no longer than
    // the catch-up timeout, releases the lock, and leaves the stream as it was.
    await sql('lv_social', 'ALTER SUBSCRIPTION topoplan_test_lv_main_to_lv_social DISABLE');
    const stalled = await runLiveTransition(tp, { ...conns, workDir, phases: ['cutover'], pollMs: 50, catchUpTimeoutMs: 500 });
    expect(stalled.streams[0]!.error).toMatch(/^transition --live: cut-over lv_main → lv_social: the stream did not deliver what was committed before the lock within 500 ms; the lock is released and the stream runs on; hint: /);
    await sql('lv_social', 'ALTER SUBSCRIPTION topoplan_test_lv_main_to_lv_social ENABLE');
    // A row written on the new side by something else than the stream: the counts differ and the cut-over is called off.
    await sql('lv_social', 'INSERT INTO likes (post_id, user_id) SELECT post_id, gen_random_uuid() FROM likes LIMIT 1');
    const extra = await runLiveTransition(tp, { ...conns, workDir, phases: ['cutover'], pollMs: 50 });
    expect(extra.streams[0]!.error).toMatch(/^transition --live: cut-over lv_main → lv_social: "likes" has 351 rows in lv_main and 352 in lv_social after the stream caught up; the lock is released and the stream runs on; hint: /);
    await sql('lv_social', 'DELETE FROM likes WHERE id = (SELECT id FROM likes ORDER BY created_at DESC LIMIT 1)');
    const events: string[] = [];
    const cut = await runLiveTransition(tp, { ...conns, workDir, phases: ['cutover'], pollMs: 50, onEvent: (e) => e.type !== 'status' && events.push(e.type) });
    expect(cut.ok, JSON.stringify(cut.streams)).toBe(true);
    expect(events).toEqual(['phase', 'freeze', 'stream']);
    expect(cut.streams[0]!.cutover!.freezeMs).toBeGreaterThanOrEqual(0);
    expect(cut.cutover).toEqual(tp.cutover);
    expect(await counters('lv_main')).toBe('351');
    expect(await counters('lv_social')).toBe('351');
    expect(await sql('lv_social', 'SELECT count(*)::int AS n FROM likes')).toEqual([{ n: 351 }]);
    expect(await sql('lv_social', "SELECT subname FROM pg_subscription")).toEqual([]);
    expect(await sql('lv_main', "SELECT slot_name FROM pg_replication_slots")).toEqual([]);
    // Cut over: a re-run does nothing, abort refuses, and the new side's triggers count new likes again.
    expect((await runLiveTransition(tp, { ...conns, workDir, phases: ['copy', 'cutover'] })).streams).toEqual([]);
    expect((await abortLiveTransition(tp, conns)).streams[0]!.error).toMatch(/cut over already: lv_social is the database in use/);
    await sql('lv_social', `INSERT INTO likes (post_id, user_id) SELECT post_id, gen_random_uuid() FROM likes LIMIT 1`);
    expect(await counters('lv_social')).toBe('352');
    expect((await liveTransitionStatus(tp, conns))[0]!.phase).toBe('cut-over');
  });
});

describe('live transition to a second server, with a writer the whole time', () => {
  const files = {
    'app/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);',
    'shop/001.sql': 'CREATE TABLE orders (id bigserial PRIMARY KEY, total integer NOT NULL, note text);\nCREATE TABLE order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id), qty integer NOT NULL);',
  };
  const sets = { shop: { dir: 'shop' }, app: { dir: 'app' } };
  const services = { app: { stores: { postgres: 'main' }, sets: ['app'] }, moved: { sets: ['shop'] } };

  it('every row committed before the freeze is in the new store once, sequences ahead, the freeze measured', async () => {
    const r = await plans(files, topology({ main: { engine: 'postgres', database: 'lw_main' } }, 'main', sets, services), topology({ main: { engine: 'postgres', database: 'lw_main' }, shop: { engine: 'postgres', database: 'lw_shop' } }, 'shop', sets, services));
    expect((await applyPlan(r.planA, { connections: { main: one.url }, workDir: await tempDir('lw-') })).ok).toBe(true);
    await queryDatabase(one.url, 'lw_main', `INSERT INTO orders (total) SELECT g FROM generate_series(1, 20000) g; INSERT INTO order_lines (order_id, qty) SELECT g, 1 FROM generate_series(1, 20000) g`);

    // The writer: inserts and updates on its own connection until told to stop; acked after the freeze began = maybe not moved.
    const writer = new pg.Client({ connectionString: databaseUrl(one.url, 'lw_main') });
    await writer.connect();
    let frozen = false;
    let stop = false;
    const before = new Set<number>();
    const after = new Set<number>();
    let errors = 0;
    let writes = 0;
    const loop = (async () => {
      while (!stop) {
        try {
          const id = Number((await writer.query<{ id: string }>('INSERT INTO orders (total) VALUES (1) RETURNING id')).rows[0]!.id);
          await writer.query('UPDATE orders SET total = total + 1, note = $2 WHERE id = $1', [1 + (id % 20000), `w${id}`]);
          (frozen ? after : before).add(id);
          if (frozen) after.add(1 + (id % 20000));
          writes++;
        } catch {
          errors++;
        }
      }
    })();
    const conns = { fromConnections: { main: one.url }, toConnections: { main: one.url, shop: two.url } };
    const live = await runLiveTransition(r.tp, { ...conns, workDir: await tempDir('lw-'), pollMs: 50, onEvent: (e) => { if (e.type === 'freeze') frozen = true; } });
    stop = true;
    await loop;
    await writer.end();
    expect(live.ok, JSON.stringify(live)).toBe(true);
    expect(live.streams.map((s) => s.created ?? 'cut over')).toEqual([['publication', 'slot', 'subscription'], 'cut over']);
    const cut = live.streams[1]!.cutover!;
    console.info(`live transition: ${writes} writes, ${errors} writer errors, freeze ${cut.freezeMs} ms (marker after ${cut.catchUpMs} ms), lag ${live.streams[1]!.lagBytesAtCutover} bytes at the lock`);
    expect(errors).toBe(0);

    const ids = async (url: string, db: string) => new Set((await queryDatabase<{ id: string }>(url, db, 'SELECT id FROM orders')).map((x) => Number(x.id)));
    const [oldIds, newIds] = [await ids(one.url, 'lw_main'), await ids(two.url, 'lw_shop')];
    for (const id of before) expect(newIds.has(id)).toBe(true);
    for (const id of newIds) expect(oldIds.has(id)).toBe(true);
    for (const id of oldIds) if (!newIds.has(id)) expect(after.has(id)).toBe(true);
    expect(cut.tables.find((t) => t.table === 'orders')!.rows).toBe(newIds.size);
    // Values of every row no write touched after the freeze are the same on both sides.
    const sum = (url: string, db: string) => queryDatabase<{ s: string }>(url, db, `SELECT md5(string_agg(id || ':' || total || ':' || coalesce(note, ''), ',' ORDER BY id)) AS s FROM orders WHERE NOT (id = ANY('{${[...after].join(',')}}'::bigint[]))`);
    expect(await sum(two.url, 'lw_shop')).toEqual(await sum(one.url, 'lw_main'));
    // Sequences are ahead of the highest id on the new side.
    const [seq] = await queryDatabase<{ next: string; max: string }>(two.url, 'lw_shop', "SELECT nextval('orders_id_seq')::text AS next, (SELECT max(id) FROM orders)::text AS max");
    expect(BigInt(seq!.next)).toBeGreaterThan(BigInt(seq!.max));
    expect(await queryDatabase(one.url, 'lw_main', 'SELECT slot_name FROM pg_replication_slots')).toEqual([]);

    // Once the services use the new store: contract backs up and drops the moved tables from the old one.
    const contract = await runLiveTransition(r.tp, { ...conns, workDir: await tempDir('lw-'), phases: ['contract'], contract: true });
    expect(contract.ok, JSON.stringify(contract)).toBe(true);
    expect(contract.tables.map((t) => [t.table, t.status])).toEqual([['order_lines', 'contracted'], ['orders', 'contracted']]);
    expect(contract.backups.map((b) => [b.table, b.rows])).toEqual([['public.order_lines', 20000], ['public.orders', oldIds.size]]);
    expect(await queryDatabase(one.url, 'lw_main', "SELECT tablename FROM pg_tables WHERE tablename IN ('orders', 'order_lines')")).toEqual([]);
  });
});

describe('an interrupted start of a live transition', () => {
  const files = {
    'app/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);',
    'shop/001.sql': 'CREATE TABLE orders (id bigserial PRIMARY KEY, total integer NOT NULL);\nCREATE TABLE order_lines (id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id), qty integer NOT NULL);',
  };
  const sets = { shop: { dir: 'shop' }, app: { dir: 'app' } };
  const services = { app: { stores: { postgres: 'main' }, sets: ['app'] }, moved: { sets: ['shop'] } };

  it('a copy under way shows in --status; a copy that fails leaves no slot and nothing copied; a slot left without its subscription is made anew; every row arrives once', async () => {
    const r = await plans(files, topology({ main: { engine: 'postgres', database: 'lr_main' } }, 'main', sets, services), topology({ main: { engine: 'postgres', database: 'lr_main' }, shop: { engine: 'postgres', database: 'lr_shop' } }, 'shop', sets, services));
    expect((await applyPlan(r.planA, { connections: { main: one.url }, workDir: await tempDir('lr-') })).ok).toBe(true);
    await queryDatabase(one.url, 'lr_main', 'INSERT INTO orders (total) SELECT g FROM generate_series(1, 3000) g; INSERT INTO order_lines (order_id, qty) SELECT g, g FROM generate_series(1, 3000) g');
    const conns = { fromConnections: { main: one.url }, toConnections: { main: one.url, shop: two.url } };
    const workDir = await tempDir('lr-');
    expect((await runLiveTransition(r.tp, { ...conns, workDir, phases: ['expand'] })).ok).toBe(true);
    const shop = <T extends pg.QueryResultRow>(text: string) => queryDatabase<T>(two.url, 'lr_shop', text);
    const slots = () => queryDatabase<{ slot_name: string }>(one.url, 'lr_main', 'SELECT slot_name FROM pg_replication_slots ORDER BY 1');

    // A copy into a moving table before the subscription exists is reported with the rows it has written so far.
    const copier = new pg.Client({ connectionString: databaseUrl(two.url, 'lr_shop') });
    await copier.connect();
    await copier.query('BEGIN');
    const input = copier.query(copyFrom('COPY orders (id, total) FROM STDIN'));
    // The server reports rows in batches: enough of them that one is reported while the copy is held open.
    input.write(Array.from({ length: 5000 }, (_, i) => `${i + 1}\t1\n`).join(''));
    let copying: { state: string; copied: boolean; rowsNew?: number } | undefined;
    while (copying === undefined) {
      const t = (await liveTransitionStatus(r.tp, conns))[0]!.tables.find((x) => x.table === 'orders')!;
      if ((t.copyingRows ?? 0) > 0) copying = { state: t.state, copied: t.copied, ...(t.rowsNew !== undefined ? { rowsNew: t.rowsNew } : {}) };
    }
    expect(copying).toEqual({ state: 'copying', copied: false, rowsNew: 0 });
    input.end();
    await new Promise((done) => input.on('finish', done));
    await copier.query('ROLLBACK');
    await copier.end();

    // The second table's copy fails after the first one's rows went in: the new database keeps none of it.
    await shop('ALTER TABLE order_lines ADD CONSTRAINT small_qty CHECK (qty < 2000)');
    const failed = await runLiveTransition(r.tp, { ...conns, workDir, phases: ['copy'] });
    expect(failed.ok).toBe(false);
    expect(failed.problems).toEqual([expect.stringMatching(/^transition --live: new row for relation "order_lines" violates check constraint "small_qty".*; hint: fix the cause and run the same command again, it resumes where this one stopped$/)]);
    expect(await slots()).toEqual([]);
    expect(await shop("SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM pg_subscription)::int AS subs")).toEqual([{ orders: 0, subs: 0 }]);

    // A run killed after it made the slot leaves the slot without a subscription; its snapshot ended with that run.
    await shop('ALTER TABLE order_lines DROP CONSTRAINT small_qty');
    await queryDatabase(one.url, 'lr_main', "SELECT pg_create_logical_replication_slot('topoplan_test_lr_main_to_lr_shop', 'pgoutput')");
    await queryDatabase(one.url, 'lr_main', 'INSERT INTO orders (total) VALUES (-1)');
    const resumed = await runLiveTransition(r.tp, { ...conns, workDir, phases: ['copy'] });
    expect(resumed.ok, JSON.stringify(resumed)).toBe(true);
    expect(resumed.streams.map((s) => [s.created, s.copied])).toEqual([[['slot', 'subscription'], { orders: 3001, order_lines: 3000 }]]);
    expect(await slots()).toEqual([{ slot_name: 'topoplan_test_lr_main_to_lr_shop' }]);
    // Written after the copy: streamed, once.
    await queryDatabase(one.url, 'lr_main', 'INSERT INTO orders (total) VALUES (-2); UPDATE orders SET total = 0 WHERE id = 1');
    const cut = await runLiveTransition(r.tp, { ...conns, workDir, phases: ['cutover'], pollMs: 20 });
    expect(cut.ok, JSON.stringify(cut)).toBe(true);
    expect(await shop('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(total)::bigint::text AS total FROM orders')).toEqual([{ n: 3002, ids: 3002, total: String((3000 * 3001) / 2 - 1 - 3) }]);
    expect(await slots()).toEqual([]);
  });
});

describe('live transition of seeded tables and of a table with another shape in B', () => {
  const customers = "CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);\nINSERT INTO customers (name) VALUES ('seed 1'), ('seed 2');";
  const ordersA = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), qty integer NOT NULL, note varchar(40));';
  const ordersB = "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), qty bigint NOT NULL, note text, placed_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00', double_qty bigint GENERATED ALWAYS AS (qty * 2) STORED);";
  const top = (split: boolean) => ({
    stores: split ? { main: { engine: 'postgres', database: 'ls_main' }, sales: { engine: 'postgres', database: 'ls_sales' } } : { main: { engine: 'postgres', database: 'ls_main' } },
    sets: { sales: { dir: 'sales' } },
    services: { sales: { stores: { postgres: split ? 'sales' : 'main' }, sets: ['sales'], env: 'SALES_DATABASE_URL' } },
  });

  it("replaces the rows B's migrations seeded, converts the differing types, and sets the sequences", async () => {
    const planA = await planMigration(makeProject({ 'sales/001.sql': customers, 'sales/002.sql': ordersA }, top(false)).topologyFile, { env: {} });
    const planB = await planMigration(makeProject({ 'sales/001.sql': customers, 'sales/002.sql': ordersB }, top(true)).topologyFile, { env: {} });
    expect((await applyPlan(planA, { connections: { main: one.url }, workDir: await tempDir('ls-') })).ok).toBe(true);
    await queryDatabase(one.url, 'ls_main', `INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(3, 20) g;
      INSERT INTO orders SELECT g, 1 + g % 20, g % 7, 'note ' || g FROM generate_series(1, 300) g`);
    const tp = planTransition(planA, planB);
    const conns = { fromConnections: { main: one.url }, toConnections: { main: one.url, sales: one.url } };
    const mapped: string[] = [];
    const r = await runLiveTransition(tp, { ...conns, workDir: await tempDir('ls-'), pollMs: 50, onEvent: (e) => e.type === 'mapping' && mapped.push(...e.mapping.columns.map((c) => `${c.name} ${c.how}`)) });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    // Reported before the stream starts, as for the snapshot copy.
    expect(mapped).toEqual(['id copy', 'customer_id copy', 'qty convert', 'note convert', 'placed_at default', 'double_qty generated']);
    const cut = r.streams.find((s) => s.cutover)!.cutover!;
    expect(cut.tables).toEqual([{ table: 'customers', rows: 20 }, { table: 'orders', rows: 300 }]);
    expect(cut.sequences).toEqual([{ table: 'customers', column: 'id', value: 20 }]);
    const q = <T extends pg.QueryResultRow>(text: string) => queryDatabase<T>(one.url, 'ls_sales', text);
    expect(await q("SELECT count(*)::int AS n, count(*) FILTER (WHERE name LIKE 'seed %')::int AS seeds FROM customers")).toEqual([{ n: 20, seeds: 2 }]);
    expect(await q("SELECT count(*)::int AS n, bool_and(double_qty = qty * 2) AS generated, bool_and(placed_at = '2026-01-01 00:00:00+00') AS defaulted FROM orders")).toEqual([{ n: 300, generated: true, defaulted: true }]);
    expect(await q("SELECT nextval('customers_id_seq')::int AS n")).toEqual([{ n: 21 }]);
  });
});

describe('live transition checks', () => {
  it('a server without wal_level=logical is told how to set it, for a managed and an embedded server', async () => {
    const dir = await tempDir('lv-wal');
    const replica = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), settings: { wal_level: 'replica' }, stopWaitMs: 2_000 });
    const [source, target] = [new pg.Client({ connectionString: replica.url }), new pg.Client({ connectionString: one.url })];
    try {
      await Promise.all([source.connect(), target.connect()]);
      const stream = { from: { store: 'main', database: 'postgres' }, to: { store: 'shop', database: 'postgres' }, publication: 'p', slot: 'p', subscription: 'p', tables: [] };
      expect(await replicationPreflight(source, target, stream)).toEqual([
        'transition --live: wal_level is "replica" on the server of main/postgres (needs "logical"); hint: ALTER SYSTEM SET wal_level = logical and restart it (a managed PostgreSQL: enable logical replication in its parameters; an embedded one: topoplan stop, the next start sets it)',
      ]);
    } finally {
      await Promise.all([source.end(), target.end()]);
      await replica.stop();
    }
  });
});
