/**
 * Live transition benchmark: a moving table of N rows on one embedded
 * PostgreSQL server moves to a second one while a writer inserts and updates
 * rows on the old side (one write every 5 ms). Measured in the same run: the
 * snapshot copy (COPY piped into COPY, one transaction) in rows/s; the live
 * stream's initial copy (start until every row is copied under the slot's
 * snapshot and the subscription streams), and until the stream has also
 * applied what was written during the copy, in rows/s and against the
 * snapshot copy; the subscription's own table copy (`copy_data = true`,
 * subscription created until the table is ready) for comparison; the lag when
 * the cut-over takes its lock, and the write freeze of the cut-over in ms.
 * Each round runs the three copies in a rotated order; medians are printed.
 * Usage: tsx bench/transition-bench.ts [ROWS] [ROUNDS]   (default 200,000 rows, 3 rounds; 1,000,000 1 for the scale)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/engines/embedded/start-embedded-postgres.js';
import { databaseUrl } from '../src/engines/postgres/postgres-url.js';
import type { Plan } from '../src/plan/model.js';
import { copyTable } from '../src/transition/copy-table.js';
import { cutOverStream } from '../src/transition/live/cut-over-stream.js';
import type { LiveStream } from '../src/transition/live/replication-names.js';
import { startStream } from '../src/transition/live/start-stream.js';
import { stopStream } from '../src/transition/live/stop-stream.js';
import { ensureStreamLedger, ensureTransitionLedger } from '../src/transition/transition-ledger.js';
import { waitForStream } from '../src/transition/live/stream-status.js';
import { pgClient } from './pg-client.js';

const ROWS = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TABLE = 'shares_big';
const DDL = `CREATE TABLE ${TABLE} (id bigserial PRIMARY KEY, post_id uuid NOT NULL, user_id uuid NOT NULL, created_at timestamptz NOT NULL, note text NOT NULL)`;

const dir = mkdtempSync(join(tmpdir(), 'topoplan-transition-bench-'));
chmodSync(dir, 0o755);
const [one, two] = await Promise.all([startEmbeddedPostgres({ dir: join(dir, 'old') }), startEmbeddedPostgres({ dir: join(dir, 'new') })]);
try {
  for (const [url, db] of [[one.url, 'bench_old'], [two.url, 'bench_new']] as const) {
    const admin = await pgClient(url);
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
  }
  const source = await pgClient(databaseUrl(one.url, 'bench_old'));
  const target = await pgClient(databaseUrl(two.url, 'bench_new'));
  await source.query(DDL);
  await target.query(DDL);
  await source.query(`INSERT INTO ${TABLE} (post_id, user_id, created_at, note) SELECT md5(g::text)::uuid, md5((g * 7)::text)::uuid, now() - g * interval '1 second', 'note about share number ' || g || ' of the benchmark' FROM generate_series(1, ${ROWS}) g`);
  await source.query(`VACUUM ANALYZE ${TABLE}`);

  // The writer: bounded in time by the benchmark, one write every 5 ms on its own connection.
  const w = await pgClient(databaseUrl(one.url, 'bench_old'));
  let stop = false;
  let writes = 0;
  let errors = 0;
  const writer = (async () => {
    while (!stop) {
      try {
        const id = Number((await w.query<{ id: string }>(`INSERT INTO ${TABLE} (post_id, user_id, created_at, note) VALUES (gen_random_uuid(), gen_random_uuid(), now(), 'live') RETURNING id`)).rows[0]!.id);
        await w.query(`UPDATE ${TABLE} SET note = 'updated' WHERE id = $1`, [1 + (id % ROWS)]);
        writes++;
      } catch {
        errors++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const columns = ['id', 'post_id', 'user_id', 'created_at', 'note'];
  const move = { table: TABLE, service: 'bench', from: { store: 'old', database: 'bench_old' }, to: { store: 'new', database: 'bench_new' } };
  const stream: LiveStream = { from: move.from, to: move.to, publication: 'topoplan_bench', slot: 'topoplan_bench', subscription: 'topoplan_bench', tables: [move] };
  const sync: LiveStream = { ...stream, publication: 'topoplan_bench_sync', slot: 'topoplan_bench_sync', subscription: 'topoplan_bench_sync' };
  const rowsNow = async () => Number((await source.query<{ n: string }>(`SELECT count(*) AS n FROM ${TABLE}`)).rows[0]!.n);
  interface Run { snapshotRate: number; copiedRate: number; caughtRate: number; syncRate: number; lagBytes: number; catchUpMs: number; freezeMs: number; rows: number }
  const runs: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run: Partial<Run> = {};
    const snapshot = async () => {
      await target.query(`TRUNCATE ${TABLE}`);
      const t0 = performance.now();
      const copied = await copyTable({ source, target, table: TABLE, columns });
      run.snapshotRate = copied / ((performance.now() - t0) / 1000);
    };
    const live = async () => {
      await target.query(`TRUNCATE ${TABLE}`);
      // Each round streams anew: the ledger's record of the last round's cut-over is cleared (the ledger itself is
      // there, as after expand and the first stream; the snapshot copy's time leaves its ledger out too).
      await ensureTransitionLedger(target);
      await ensureStreamLedger(target);
      await target.query('DELETE FROM topoplan.transition_stream; DELETE FROM topoplan.transition');
      const t1 = performance.now();
      const started = await startStream(source, target, stream, { sourceUrl: one.url, binary: true });
      if (started.error) throw new Error(started.error);
      const copiedMs = performance.now() - t1;
      const copiedLive = await waitForStream(source, target, stream, { lagBytes: Infinity, throughLsn: started.lsn!, timeoutMs: 600_000, pollMs: 20 });
      const caughtMs = performance.now() - t1;
      if (!copiedLive.caughtUp) throw new Error('the stream did not catch up with the copy');
      const n = started.rows![TABLE]!;
      run.copiedRate = n / (copiedMs / 1000);
      run.caughtRate = n / (caughtMs / 1000);
      const caught = await waitForStream(source, target, stream, { timeoutMs: 120_000, pollMs: 20 });
      const cut = await cutOverStream(source, target, stream, { sourceUrl: one.url, planB: { steps: [] } as unknown as Plan, lockTimeoutMs: 2_000, catchUpTimeoutMs: 60_000 });
      if (cut.error) throw new Error(cut.error);
      Object.assign(run, { lagBytes: caught.status.lagBytes ?? -1, catchUpMs: cut.catchUpMs ?? -1, freezeMs: cut.freezeMs ?? -1, rows: cut.tables[0]!.rows });
    };
    // The subscription's own table copy: publication and slot made first (as the stream does), then CREATE SUBSCRIPTION with copy_data.
    const subscriptionCopy = async () => {
      await target.query(`TRUNCATE ${TABLE}`);
      const n = await rowsNow();
      const t2 = performance.now();
      await source.query(`CREATE PUBLICATION ${sync.publication} FOR TABLE ${TABLE}`);
      await source.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [sync.slot]);
      await target.query(`CREATE SUBSCRIPTION ${sync.subscription} CONNECTION '${databaseUrl(one.url, 'bench_old')}' PUBLICATION ${sync.publication} WITH (create_slot = false, slot_name = '${sync.slot}', copy_data = true, binary = true)`);
      const ready = await waitForStream(source, target, sync, { lagBytes: Infinity, timeoutMs: 600_000, pollMs: 20 });
      if (!ready.caughtUp) throw new Error("the subscription's table copy did not finish");
      run.syncRate = n / ((performance.now() - t2) / 1000);
      await stopStream(source, target, sync);
    };
    const order = [snapshot, live, subscriptionCopy];
    for (let i = 0; i < order.length; i++) await order[(i + round) % order.length]!();
    runs.push(run as Run);
  }
  stop = true;
  await writer;
  await w.end();
  const median = (f: (r: Run) => number) => [...runs.map(f)].sort((x, y) => x - y)[Math.floor(runs.length / 2)]!;
  const ratios = (f: (r: Run) => number) => runs.map((r) => (f(r) / r.snapshotRate).toFixed(2)).join(', ');
  process.stdout.write(`${ROWS.toLocaleString('en')} rows (id, 2 uuids, timestamptz, ~45-char text) moved between two embedded servers, a writer on the old side (${writes} writes, ${errors} errors); medians of ${ROUNDS} rounds in rotated order\n`);
  process.stdout.write(`snapshot copy: ${median((r) => r.snapshotRate).toFixed(0)} rows/s\n`);
  process.stdout.write(`live initial copy (start until copied under the slot's snapshot, subscription streaming): ${median((r) => r.copiedRate).toFixed(0)} rows/s, ${median((r) => r.copiedRate / r.snapshotRate).toFixed(2)}x the snapshot copy (rounds: ${ratios((r) => r.copiedRate)}; target >= 0.80)\n`);
  process.stdout.write(`live initial copy and catch-up with the writes made during it: ${median((r) => r.caughtRate).toFixed(0)} rows/s, ${median((r) => r.caughtRate / r.snapshotRate).toFixed(2)}x (rounds: ${ratios((r) => r.caughtRate)})\n`);
  process.stdout.write(`the subscription's own table copy (copy_data = true, created until ready): ${median((r) => r.syncRate).toFixed(0)} rows/s, ${median((r) => r.syncRate / r.snapshotRate).toFixed(2)}x (rounds: ${ratios((r) => r.syncRate)})\n`);
  process.stdout.write(`lag when the cut-over took its lock: ${median((r) => r.lagBytes)} bytes; last writes arrived ${median((r) => r.catchUpMs)} ms after it\n`);
  process.stdout.write(`write freeze: ${median((r) => r.freezeMs)} ms (rounds: ${runs.map((r) => r.freezeMs).join(', ')}; target < 1000), ${runs.at(-1)!.rows} rows on both sides at the last cut-over\n`);
  await Promise.all([source.end(), target.end()]);
} finally {
  await Promise.all([one.stop(), two.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
