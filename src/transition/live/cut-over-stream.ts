/**
 * The cut-over of one caught-up live stream, with writes to the moving tables
 * held on the old side for as short a time as it takes:
 * 1. `LOCK TABLE ... IN EXCLUSIVE MODE` on the old database (reads go on;
 *    writes wait), within `lockTimeoutMs`, so no write is in flight;
 * 2. a marker row is committed in the old database: every write to the
 *    moving tables was committed before it, and the stream applies commits in
 *    order, so once the marker is in the new database, so are they;
 * 3. rows are counted on both sides (equal, or the cut-over is called off);
 *    sequences are set on the new side (logical replication does not carry
 *    them); the subscription is dropped; the tables are recorded verified;
 * 4. the lock is released: the freeze, in milliseconds, ends here.
 * Anything failing before step 4 completes releases the lock and leaves the
 * stream running, so the cut-over can be tried again.
 *
 * @example
 * const r = await cutOverStream(source, target, stream, { sourceUrl, planB, lockTimeoutMs: 2000, catchUpTimeoutMs: 30000 });
 * r.freezeMs // 84
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { databaseUrl } from '../../engines/postgres/postgres-url.js';
import type { Plan } from '../../plan/model.js';
import { quoteIdent } from '../copy-table.js';
import { syncSequences } from '../sync-sequences.js';
import { recordMovedTable, writeStreamRow, writeTransitionRow } from '../transition-ledger.js';
import type { LiveStream } from './replication-names.js';
import { MARKER_TABLE } from './start-stream.js';
import { dropSubscription, stopStream } from './stop-stream.js';

export interface CutOverOptions {
  readonly sourceUrl: string;
  readonly planB: Plan;
  /** How long to wait for writers in flight before the lock is held. */
  readonly lockTimeoutMs: number;
  /** How long the marker may take to arrive (the lag left when the lock was taken). */
  readonly catchUpTimeoutMs: number;
  /** Called as soon as writes are held. */
  readonly onFreeze?: () => void;
}

export interface CutOverResult {
  /** Writes to the moving tables were held this long. */
  readonly freezeMs?: number;
  /** Time from holding the lock until the marker arrived. */
  readonly catchUpMs?: number;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  readonly sequences: readonly { readonly table: string; readonly column: string; readonly value: number }[];
  readonly error?: string;
}

const count = async (c: pg.ClientBase, table: string) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).rows[0]!.n);

export async function cutOverStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream, o: CutOverOptions): Promise<CutOverResult> {
  const where = `${s.from.database} → ${s.to.database}`;
  const lock = new pg.Client({ connectionString: databaseUrl(o.sourceUrl, s.from.database), application_name: 'topoplan transition cut-over' });
  lock.on('error', () => undefined);
  await lock.connect();
  const tables: { table: string; rows: number }[] = [];
  const sequences: { table: string; column: string; value: number }[] = [];
  let held: number | undefined;
  let catchUpMs: number | undefined;
  try {
    await lock.query('BEGIN');
    await lock.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(o.lockTimeoutMs))}`);
    try {
      await lock.query(`LOCK TABLE ${s.tables.map((t) => quoteIdent(t.table)).join(', ')} IN EXCLUSIVE MODE`);
    } catch (e) {
      return { tables, sequences, error: `transition --live: cut-over ${where}: writers kept the moving tables longer than ${o.lockTimeoutMs} ms (${(e as Error).message}); nothing changed, the stream runs on; hint: retry, or raise --lock-timeout` };
    }
    held = performance.now();
    o.onFreeze?.();
    const id = `${s.subscription}:${Date.now()}:${process.pid}`;
    await source.query(`INSERT INTO ${MARKER_TABLE} (id) VALUES ($1)`, [id]);
    const until = Date.now() + o.catchUpTimeoutMs;
    while ((await target.query(`SELECT 1 FROM ${MARKER_TABLE} WHERE id = $1`, [id])).rows.length === 0) {
      if (Date.now() >= until) return { tables, sequences, error: `transition --live: cut-over ${where}: the stream did not deliver what was committed before the lock within ${o.catchUpTimeoutMs} ms; the lock is released and the stream runs on; hint: check topoplan transition --status and the new server's log, then retry` };
      await new Promise((r) => setTimeout(r, 2));
    }
    catchUpMs = performance.now() - held;
    for (const t of s.tables) {
      const [a, b] = await Promise.all([count(lock, t.table), count(target, t.table)]);
      if (a !== b) return { tables, sequences, error: `transition --live: cut-over ${where}: "${t.table}" has ${a} rows in ${s.from.database} and ${b} in ${s.to.database} after the stream caught up; the lock is released and the stream runs on; hint: rows written in ${s.to.database} by something other than the stream differ; find them, then retry` };
      tables.push({ table: t.table, rows: a });
    }
    await target.query('BEGIN');
    try {
      for (const t of s.tables) {
        for (const q of await syncSequences(lock, target, t.table)) sequences.push({ table: t.table, ...q });
        const n = tables.find((x) => x.table === t.table)!.rows;
        await writeTransitionRow(target, { table: t.table, from: t.from.store, to: t.to.store, status: 'verified', rows: n });
        await recordMovedTable(target, o.planB, t.to.store, t.table);
      }
      await target.query('COMMIT');
    } catch (e) {
      await target.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    await dropSubscription(target, s);
    await lock.query('COMMIT');
    const freezeMs = Math.round(performance.now() - held);
    held = undefined;
    await writeStreamRow(target, { subscription: s.subscription, from: s.from.store, phase: 'cut-over', freezeMs });
    await stopStream(source, target, s);
    return { freezeMs, catchUpMs: Math.round(catchUpMs), tables, sequences };
  } catch (e) {
    return { tables, sequences, error: `transition --live: cut-over ${where} failed: ${(e as Error).message}${held !== undefined ? '; the lock is released' : ''}` };
  } finally {
    await lock.query('ROLLBACK').catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
