/**
 * Takes a live stream down: the subscription in the new database (disabled
 * and detached from its slot first, so dropping it never waits on the old
 * server), then the slot, the publication and, when no other stream uses it,
 * the marker table in the old database. `abortStream` also empties the new
 * side's moving tables (rows the stream put there) and records the stream as
 * aborted, leaving the old database as it was before the stream started.
 *
 * @example
 * await stopStream(source, target, stream);   // after a cut-over
 * await abortStream(source, target, stream);  // topoplan transition --abort
 */
import type pg from 'pg';
import { quoteIdent } from '../copy-table.js';
import { ensureStreamLedger, ensureTransitionLedger, readStreamRow, writeStreamRow, writeTransitionRow } from '../transition-ledger.js';
import type { LiveStream } from './replication-names.js';
import { MARKER_TABLE, slotExists, subscriptionExists } from './start-stream.js';

export async function dropSubscription(target: pg.ClientBase, s: LiveStream): Promise<void> {
  if (!(await subscriptionExists(target, s.subscription))) return;
  const sub = quoteIdent(s.subscription);
  await target.query(`ALTER SUBSCRIPTION ${sub} DISABLE`);
  await target.query(`ALTER SUBSCRIPTION ${sub} SET (slot_name = NONE)`);
  await target.query(`DROP SUBSCRIPTION ${sub}`);
}

/** Drops the slot once its WAL sender has gone (it lingers a moment after the subscription stops). */
async function dropSlot(source: pg.ClientBase, slot: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (await slotExists(source, slot)) {
    const active = (await source.query<{ pid: number | null }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1', [slot])).rows[0]?.pid;
    if (active == null) {
      await source.query('SELECT pg_drop_replication_slot($1)', [slot]);
      return;
    }
    if (Date.now() >= until) throw new Error(`replication slot "${slot}" is still in use by process ${active}; drop it with SELECT pg_drop_replication_slot('${slot}') once that process ends`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function stopStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream): Promise<void> {
  await dropSubscription(target, s);
  await dropSlot(source, s.slot);
  await source.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(s.publication)}`);
  const used = await source.query("SELECT 1 FROM pg_publication_tables WHERE schemaname = 'topoplan' AND tablename = 'stream_marker'");
  if (used.rows.length === 0) await source.query(`DROP TABLE IF EXISTS ${MARKER_TABLE}`);
}

export async function abortStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream): Promise<{ error?: string }> {
  await ensureTransitionLedger(target);
  await ensureStreamLedger(target);
  const row = await readStreamRow(target, s.subscription);
  if (row?.phase === 'cut-over') return { error: `transition --abort: the stream from ${s.from.database} to ${s.to.database} is cut over already: ${s.to.database} is the database in use; hint: move back with a transition from B to A` };
  await stopStream(source, target, s);
  await target.query('BEGIN');
  try {
    // The rows came from the stream (seed rows included); TRUNCATE fires no row triggers, and a table outside the stream referencing them stops it.
    await target.query(`TRUNCATE ${s.tables.map((m) => quoteIdent(m.table)).join(', ')}`);
    for (const m of s.tables) await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'expanded', rows: 0 });
    await writeStreamRow(target, { subscription: s.subscription, from: s.from.store, phase: 'aborted' });
    await target.query('COMMIT');
  } catch (e) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return {};
}
