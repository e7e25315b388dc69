/**
 * Starts one live stream (see replication-names.ts), resuming an interrupted
 * start: a publication of the moving tables and of topoplan's marker table in
 * the old database, then a replication slot that exports its snapshot
 * (exported-snapshot.ts; its connection is opened while the rest is
 * prepared); under that snapshot the moving tables are copied with the
 * snapshot transition's COPY pipe (copy-table.ts), parents first,
 * into one transaction of the new database that also removes the rows B's
 * migrations seeded there, records the tables and creates the subscription
 * (`copy_data = false`: the slot streams every commit after the snapshot),
 * so the new database holds either everything or nothing of the start. A
 * slot without its subscription is what an interrupted start leaves: its
 * snapshot is gone, so it is dropped and made anew.
 *
 * The copy does not go through the subscription's own table copy (one
 * table-synchronisation worker per table, a second slot and snapshot per
 * table, rows handed over one message at a time, and hand-offs between the
 * workers before a table is ready): measured, that took 1.2-1.7x as long as
 * the pipe. The slot is always created apart from the subscription: CREATE
 * SUBSCRIPTION creating it waits for a consistent snapshot, which never comes
 * while both databases are on one server, since the CREATE SUBSCRIPTION
 * itself is then one of the transactions the snapshot waits for.
 *
 * Copied rows fire no user triggers (counters are copied, not recomputed);
 * replicated rows are applied with `session_replication_role = replica`:
 * ordinary triggers and foreign-key checks do not fire for them.
 *
 * @example
 * const r = await startStream(source, target, stream, { sourceUrl, binary: true });
 * r.created // ['publication', 'slot', 'subscription'] the first time, [] on a re-run
 * r.rows    // { orders: 5000 } what the initial copy brought
 */
import type pg from 'pg';
import { quoteLiteral } from '../../engines/postgres/quote-literal.js';
import { databaseUrl } from '../../engines/postgres/postgres-url.js';
import { columnMapping } from '../column-mapping.js';
import { copyRows, quoteIdent } from '../copy-table.js';
import { seedRowsToReplace } from '../seed-rows.js';
import { ensureStreamLedger, ensureTransitionLedger, readStreamRow, readTransitionRow, writeStreamRow, writeTransitionRow } from '../transition-ledger.js';
import { connectForSnapshot, type SnapshotConnection } from './exported-snapshot.js';
import type { LiveStream } from './replication-names.js';

/** A row per cut-over attempt, replicated with the tables: once it is in the new database, so is every write committed before it. */
export const MARKER_TABLE = 'topoplan.stream_marker';

export async function ensureMarkerTable(c: pg.ClientBase): Promise<void> {
  await c.query('CREATE SCHEMA IF NOT EXISTS topoplan');
  await c.query(`CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
}

export const subscriptionExists = async (target: pg.ClientBase, name: string) =>
  (await target.query('SELECT 1 FROM pg_subscription WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())', [name])).rows.length > 0;

export const slotExists = async (source: pg.ClientBase, name: string) => (await source.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [name])).rows.length > 0;

export interface StartStreamOptions {
  /** Server URL of the old store, as the new server reaches it. */
  readonly sourceUrl: string;
  /** Send rows in binary (every moving column has the same type on both sides). */
  readonly binary: boolean;
}

export interface StartStreamResult {
  readonly created: string[];
  /** Rows the initial copy brought, per table (this run's copy only). */
  readonly rows?: Readonly<Record<string, number>>;
  /** The old server's WAL position once the copy was done: the stream has caught up with the copy when it has applied this far. */
  readonly lsn?: string;
  readonly error?: string;
}

export async function startStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream, o: StartStreamOptions): Promise<StartStreamResult> {
  const created: string[] = [];
  if ((await readStreamRow(target, s.subscription))?.phase === 'cut-over') return { created };
  if (await subscriptionExists(target, s.subscription)) return { created };
  const conninfo = databaseUrl(o.sourceUrl, s.from.database);
  // Connecting (authentication included) overlaps the preparations below.
  const connecting = connectForSnapshot(conninfo);
  connecting.catch(() => undefined);
  const rows: Record<string, number> = {};
  let repl: SnapshotConnection | undefined;
  try {
    for (const c of [source, target]) await ensureMarkerTable(c);
    await ensureTransitionLedger(target);
    await ensureStreamLedger(target);
    const seeds = await seedsToClear(target, s);
    if (typeof seeds === 'string') return { created, error: seeds };
    const mappings = [];
    for (const m of s.tables) mappings.push(await columnMapping(source, target, m.table, { from: m.from.database, to: m.to.database }));
    const tables = [...s.tables.map((t) => quoteIdent(t.table)), MARKER_TABLE].join(', ');
    if ((await source.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [s.publication])).rows.length === 0) {
      await source.query(`CREATE PUBLICATION ${quoteIdent(s.publication)} FOR TABLE ${tables}`);
      created.push('publication');
    } else await source.query(`ALTER PUBLICATION ${quoteIdent(s.publication)} SET TABLE ${tables}`);
    // No subscription uses it, so nothing was copied under its snapshot, and that snapshot ended with the run that made it.
    if (await slotExists(source, s.slot)) await source.query('SELECT pg_drop_replication_slot($1)', [s.slot]);
    repl = await connecting;
    const slot = await repl.createSlot(s.slot);
    created.push('slot');
    try {
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await source.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(slot.snapshot)}`);
      await target.query('BEGIN');
      for (const t of seeds) await target.query(`DELETE FROM ${quoteIdent(t)}`);
      for (const [i, m] of s.tables.entries()) {
        rows[m.table] = await copyRows({ source, target, table: m.table, columns: mappings[i]!.copied, format: mappings[i]!.format });
        await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'streaming', rows: rows[m.table]! });
      }
      await target.query(
        `CREATE SUBSCRIPTION ${quoteIdent(s.subscription)} CONNECTION ${quoteLiteral(conninfo)} PUBLICATION ${quoteIdent(s.publication)}
         WITH (create_slot = false, slot_name = ${quoteLiteral(s.slot)}, copy_data = false, binary = ${o.binary})`,
      );
      await writeStreamRow(target, { subscription: s.subscription, from: s.from.store, phase: 'streaming' });
      await target.query('COMMIT');
      created.push('subscription');
    } catch (e) {
      await target.query('ROLLBACK').catch(() => undefined);
      await source.query('ROLLBACK').catch(() => undefined);
      await repl.close();
      // Nothing was copied under it; a slot left behind would hold the old server's WAL.
      await source.query('SELECT pg_drop_replication_slot($1)', [s.slot]).catch(() => undefined);
      throw e;
    }
    await source.query('COMMIT');
  } finally {
    await (repl ?? (await connecting.catch(() => undefined)))?.close();
  }
  const lsn = (await source.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  return { created, rows, lsn };
}

/**
 * The tables to empty before the copy (rows B's migrations seeded, children first), or an error when a moving
 * table holds rows this transition did not put there.
 */
async function seedsToClear(target: pg.ClientBase, s: LiveStream): Promise<string[] | string> {
  const order: string[] = [];
  for (const m of [...s.tables].reverse()) {
    const present = Number((await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(m.table)}`)).rows[0]!.n);
    const row = await readTransitionRow(target, m.table);
    if (present > 0 && (row?.status !== 'expanded' || row.rows !== present)) {
      return `transition --live: "${m.table}" in ${m.to.database} holds ${present} rows that this transition did not put there${row?.status === 'streaming' ? ' (a stream that was dropped outside topoplan)' : ''}; run topoplan transition --abort, or empty the table, then re-run`;
    }
    const seeds = await seedRowsToReplace(target, m.table, { present, database: m.to.database, moving: (t) => s.tables.some((x) => x.table === t) });
    if (seeds.error) return seeds.error;
    for (const c of seeds.clear) if (!order.includes(c.table)) order.push(c.table);
  }
  return order;
}
