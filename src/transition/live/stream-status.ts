/**
 * Where a live stream is: per moving table, whether its initial copy is done
 * (the subscription's table state is `ready`; `copying`, with the rows so
 * far, while the start's copy runs) and its rows on both sides; for the
 * stream, the replication lag of its slot in bytes (WAL the old server wrote
 * that the new one has not confirmed) and in seconds (the WAL sender's replay
 * lag). {@link waitForStream} polls it until every table is copied, the lag
 * is at most `lagBytes` and the new side has applied the old one's WAL up to
 * `throughLsn` (what was written while the copy ran).
 *
 * @example
 * const st = await streamStatus(source, target, stream);
 * st.tables // [{ table: 'orders', state: 'ready', copied: true, rowsOld: 5000, rowsNew: 5000 }]
 * st.lagBytes // 0
 */
import type pg from 'pg';
import { quoteIdent } from '../copy-table.js';
import type { LiveStream } from './replication-names.js';
import { subscriptionExists } from './start-stream.js';

export type TableSyncState = 'not started' | 'initialising' | 'copying' | 'copied' | 'syncing' | 'ready';
const STATES: Record<string, TableSyncState> = { i: 'initialising', d: 'copying', f: 'copied', s: 'syncing', r: 'ready' };

export interface StreamTableStatus {
  readonly table: string;
  readonly state: TableSyncState;
  /** The initial copy is done and the table follows the stream. */
  readonly copied: boolean;
  /** Rows on each side (left out while waiting, where counting would slow the copy). */
  readonly rowsOld?: number;
  readonly rowsNew?: number;
  /** Rows the running copy has written so far (not visible until it commits). */
  readonly copyingRows?: number;
}

export interface StreamStatus {
  readonly subscription: string;
  readonly from: string;
  readonly to: string;
  /** The subscription exists in the new database. */
  readonly running: boolean;
  /** Bytes of WAL the new side has not confirmed; undefined without a slot. */
  readonly lagBytes?: number;
  /** The WAL sender's replay lag in seconds (0 when it has nothing to send); undefined while no WAL sender runs. */
  readonly lagSeconds?: number;
  /** How far the new side has applied the old server's WAL (`X/Y`); undefined without a slot. */
  readonly appliedLsn?: string;
  readonly tables: readonly StreamTableStatus[];
}

const count = async (c: pg.ClientBase, table: string) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).rows[0]!.n);

export async function streamStatus(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream, o: { rows?: boolean } = {}): Promise<StreamStatus> {
  const running = await subscriptionExists(target, s.subscription);
  const states = new Map<string, string>();
  if (running) {
    const r = await target.query<{ t: string; st: string }>(
      `SELECT c.relname AS t, sr.srsubstate::text AS st FROM pg_subscription_rel sr JOIN pg_subscription s ON s.oid = sr.srsubid
       JOIN pg_class c ON c.oid = sr.srrelid WHERE s.subname = $1`,
      [s.subscription],
    );
    for (const x of r.rows) states.set(x.t, x.st);
  }
  const copying = new Map<string, number>();
  if (!running) {
    const r = await target.query<{ t: string; n: string }>(
      `SELECT c.relname AS t, p.tuples_processed AS n FROM pg_stat_progress_copy p JOIN pg_class c ON c.oid = p.relid
       WHERE p.datid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND p.command = 'COPY FROM'`,
    );
    for (const x of r.rows) copying.set(x.t, Number(x.n));
  }
  const lag = (await source.query<{ bytes: string | null; secs: number | null; sender: boolean; applied: string | null }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint AS bytes,
            greatest(s.confirmed_flush_lsn, r.replay_lsn)::text AS applied,
            extract(epoch FROM r.replay_lag)::float8 AS secs, r.pid IS NOT NULL AS sender
     FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid WHERE s.slot_name = $1`,
    [s.slot],
  )).rows[0];
  const tables: StreamTableStatus[] = [];
  for (const t of s.tables) {
    const st = states.get(t.table);
    const n = copying.get(t.table);
    const state = st ? STATES[st] ?? 'initialising' : n !== undefined ? 'copying' : 'not started';
    tables.push({ table: t.table, state, copied: state === 'ready', ...(n !== undefined ? { copyingRows: n } : {}), ...(o.rows === false ? {} : { rowsOld: await count(source, t.table), rowsNew: await count(target, t.table) }) });
  }
  return {
    subscription: s.subscription,
    from: `${s.from.store}/${s.from.database}`,
    to: `${s.to.store}/${s.to.database}`,
    running,
    ...(lag?.bytes != null ? { lagBytes: Math.max(0, Number(lag.bytes)) } : {}),
    ...(lag?.sender ? { lagSeconds: lag.secs ?? 0 } : {}),
    ...(lag?.applied ? { appliedLsn: lag.applied } : {}),
    tables,
  };
}

export interface WaitOptions {
  /** Caught up when the lag is at most this many bytes (the cut-over's marker then makes it exact). Default 1 MiB. */
  readonly lagBytes?: number;
  /** Caught up only once the new side has applied the old server's WAL up to here (`X/Y`). */
  readonly throughLsn?: string;
  readonly timeoutMs: number;
  /** The longest pause between polls (default 250 ms); the first pauses are shorter, so a quick catch-up is not rounded up to it. */
  readonly pollMs?: number;
  readonly onStatus?: (s: StreamStatus) => void;
  readonly signal?: AbortSignal;
}

/** An LSN (`16/B374D848`) as a number, to compare two. */
export const lsnValue = (lsn: string): bigint => {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
};

/** Polls until every table is copied and the lag is small; the last status, and whether it got there in time. */
export async function waitForStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream, o: WaitOptions): Promise<{ status: StreamStatus; caughtUp: boolean }> {
  const until = Date.now() + o.timeoutMs;
  let pause = 5;
  for (;;) {
    const status = await streamStatus(source, target, s, { rows: false });
    o.onStatus?.(status);
    const through = o.throughLsn === undefined || (status.appliedLsn !== undefined && lsnValue(status.appliedLsn) >= lsnValue(o.throughLsn));
    const caughtUp = status.running && status.tables.every((t) => t.copied) && (status.lagBytes ?? Infinity) <= (o.lagBytes ?? 1 << 20) && through;
    if (caughtUp || Date.now() >= until || o.signal?.aborted) return { status, caughtUp };
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, o.pollMs ?? 250);
  }
}
