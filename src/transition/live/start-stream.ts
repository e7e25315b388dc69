/**
 * Starts one live stream (see replication-names.ts), each step skipped when
 * it is done already, so an interrupted start resumes: the new database's
 * seed rows of the moving tables are removed (the stream's initial copy
 * brings A's rows, seed rows included), a publication of the moving tables
 * and of topoplan's marker table is created in the old database, then the
 * replication slot on the old server, then the subscription in the new
 * database (initial copy, then streaming). The slot is always created apart
 * from the subscription: CREATE SUBSCRIPTION creating it waits for a
 * consistent snapshot, which never comes while both databases are on one
 * server, since the CREATE SUBSCRIPTION itself is then one of the
 * transactions the snapshot waits for.
 *
 * Replicated rows are applied with `session_replication_role = replica`:
 * ordinary triggers (counters) and foreign-key checks do not fire for them.
 *
 * @example
 * const r = await startStream(source, target, stream, { sourceUrl, binary: true });
 * r.created // ['publication', 'slot', 'subscription'] the first time, [] on a re-run
 */
import type pg from 'pg';
import { quoteLiteral } from '../../engines/postgres/quote-literal.js';
import { databaseUrl } from '../../engines/postgres/postgres-url.js';
import { quoteIdent } from '../copy-table.js';
import { seedRowsToReplace } from '../seed-rows.js';
import { ensureStreamLedger, ensureTransitionLedger, readStreamRow, readTransitionRow, writeStreamRow, writeTransitionRow } from '../transition-ledger.js';
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

export async function startStream(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream, o: StartStreamOptions): Promise<{ created: string[]; error?: string }> {
  const created: string[] = [];
  for (const c of [source, target]) await ensureMarkerTable(c);
  await ensureTransitionLedger(target);
  await ensureStreamLedger(target);
  const row = await readStreamRow(target, s.subscription);
  if (row?.phase === 'cut-over') return { created };
  if (await subscriptionExists(target, s.subscription)) return { created };
  const cleared = await clearSeedRows(target, s);
  if (cleared) return { created, error: cleared };
  const tables = [...s.tables.map((t) => quoteIdent(t.table)), MARKER_TABLE].join(', ');
  if ((await source.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [s.publication])).rows.length === 0) {
    await source.query(`CREATE PUBLICATION ${quoteIdent(s.publication)} FOR TABLE ${tables}`);
    created.push('publication');
  } else await source.query(`ALTER PUBLICATION ${quoteIdent(s.publication)} SET TABLE ${tables}`);
  if (!(await slotExists(source, s.slot))) {
    await source.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [s.slot]);
    created.push('slot');
  }
  const conninfo = databaseUrl(o.sourceUrl, s.from.database);
  await target.query(
    `CREATE SUBSCRIPTION ${quoteIdent(s.subscription)} CONNECTION ${quoteLiteral(conninfo)} PUBLICATION ${quoteIdent(s.publication)}
     WITH (create_slot = false, slot_name = ${quoteLiteral(s.slot)}, copy_data = true, binary = ${o.binary})`,
  );
  created.push('subscription');
  await writeStreamRow(target, { subscription: s.subscription, from: s.from.store, phase: 'streaming' });
  return { created };
}

/**
 * Empties the moving tables of rows B's migrations seeded there (children first), in one transaction that marks
 * them streaming; an error when a table holds rows this transition did not put there.
 */
async function clearSeedRows(target: pg.ClientBase, s: LiveStream): Promise<string | undefined> {
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
  await target.query('BEGIN');
  try {
    for (const t of order) await target.query(`DELETE FROM ${quoteIdent(t)}`);
    for (const m of s.tables) await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'streaming', rows: 0 });
    await target.query('COMMIT');
  } catch (e) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return undefined;
}
