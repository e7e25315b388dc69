/**
 * The topoplan ledger of a ClickHouse store: `<database>.topoplan_ledger`,
 * one record per statement in effect, keyed by file and statement
 * fingerprint. ClickHouse has no transactions, so every change is a new row
 * with a larger server-assigned `version` (a ReplacingMergeTree keeps the
 * newest on merge), a removal is a row marked `removed`, and readers take the
 * newest row per key. A statement is written `started` before it runs and
 * `applied` after. A ledger of the earlier per-step format is rebuilt beside
 * it and swapped in with one `EXCHANGE TABLES`.
 *
 * @example
 * await appendRecords(conn, 'analytics', { writes: ledgerWrites(step, 'started', 0) }, { create: {} }) // the table made first if need be
 * await appendRecords(conn, 'analytics', { removals: [{ file, fingerprint }] })
 */
import type { LedgerKey, LedgerRecord, LedgerState, LedgerWrite, LegacyLedgerRow } from '../engine.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chIdent, chString } from './clickhouse-sql.js';
import { keyString, lastPerKey } from '../ledger-records.js';

const NAME = 'topoplan_ledger';
/** Where an upgrade builds the new ledger before swapping it in. */
export const UPGRADE_NAME = 'topoplan_ledger_upgrade';
const table = (database: string, name = NAME) => `${chIdent(database)}.${chIdent(name)}`;

const createSql = (database: string, name: string, cluster: LedgerCluster) => `CREATE TABLE IF NOT EXISTS ${table(database, name)}${onCluster(cluster)} (
  file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String,
  status LowCardinality(String), origin LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32,
  sql String, source Nullable(String), removed UInt8, version UInt64
) ENGINE = ${onCluster(cluster) ? `ReplicatedReplacingMergeTree(${chString(`/clickhouse/topoplan/${database}/${name}`)}, '{shard}-{replica}', version)` : 'ReplacingMergeTree(version)'} ORDER BY (file, fingerprint)`;

/**
 * On a cluster the ledger follows one rule. A replicated store's ledger is a
 * ReplicatedReplacingMergeTree created ON CLUSTER, one table in Keeper
 * (`/clickhouse/topoplan/<database>/topoplan_ledger`, replica `{shard}-{replica}`)
 * that every node of every shard holds, so an apply through any node sees
 * what was applied. A cluster store that does not replicate keeps its ledger
 * on the node of its URL only (the designated node): apply through that node.
 * createSql makes the table by this rule (appendRecords' `create`).
 */
export interface LedgerCluster {
  readonly cluster?: string;
  readonly replicated?: boolean;
}

/** ` ON CLUSTER name` for topoplan's own DDL on a replicated store, else nothing. */
function onCluster(cluster: LedgerCluster): string {
  return cluster.cluster !== undefined && cluster.replicated ? ` ON CLUSTER ${chIdent(cluster.cluster)}` : '';
}

/** The rows of one write have distinct keys already (lastPerKey): nothing for the engine to replace as it inserts them. */
const INSERT_SETTINGS = 'SETTINGS optimize_on_insert = 0 ';
const COLUMNS = 'file, fingerprint, ordinal, store, step_id, phase, status, origin, applied_at, duration_ms, sql, source, removed, version';
// The server clock numbers rows, so two processes never disagree on which is newest.
const VERSION = 'toUInt64(toUnixTimestamp64Micro(now64(6)))';

/** One row of `values(...)`: a time of -1 takes the server's now. */
function valuesOf(w: LedgerWrite, removed: 0 | 1): string {
  return `(${[w.file, w.fingerprint].map(chString).join(', ')}, ${w.ordinal}, ${[w.store, w.stepId, w.phase, w.status, w.origin].map(chString).join(', ')}, ` +
    `${w.appliedAt ? Date.parse(w.appliedAt) : -1}, ${Math.max(0, Math.round(w.durationMs))}, ${chString(w.sql)}, ${w.source !== undefined ? chString(w.source) : 'NULL'}, ${removed})`;
}

const VALUES = "'file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String, status String, origin String, at_ms Int64, duration_ms UInt32, sql String, source Nullable(String), removed UInt8'";

/** What one ledger write appends: removal rows, then records (a key both removed and written ends written). */
export interface LedgerAppend {
  readonly removals?: readonly LedgerKey[];
  readonly writes?: readonly LedgerWrite[];
}

export interface AppendOptions {
  /** The ledger table; default `topoplan_ledger`. */
  readonly name?: string;
  readonly clock?: LedgerClock;
  /** Create the table first (if it does not exist), by the cluster rule above, in the same request where the connection takes several statements. */
  readonly create?: LedgerCluster;
}

/**
 * Appends removal rows and records, in one request (two on a server when the
 * table is to be created first): every row of one INSERT, so one new part.
 * On a server the rows come from one `values(...)` table, so that the
 * server's clock numbers them (a UNION ALL of one SELECT per row would cost
 * the server a plan per row: 30 rows, three times the CPU of one). Embedded
 * chdb runs in this process, on this clock: its rows are plain literals,
 * which the Values format reads without analysing an expression (a third of the CPU).
 */
export async function appendRecords(conn: ClickHouseConnection, database: string, rows: LedgerAppend, options: AppendOptions = {}): Promise<void> {
  const name = options.name ?? NAME;
  const writes = lastPerKey(rows.writes ?? []);
  const written = new Set(writes.map(keyString));
  // One row per key: a removal followed by a write of the same key is the write.
  const removals = lastPerKey(rows.removals ?? []).filter((k) => !written.has(keyString(k)));
  if (writes.length === 0 && removals.length === 0) return;
  const removal = (k: LedgerKey): LedgerWrite => ({ file: k.file, fingerprint: k.fingerprint, ordinal: 0, store: '', stepId: '', phase: '', status: 'applied', origin: 'apply', durationMs: 0, sql: '' });
  let insert: string;
  if ((options.clock ?? clockOf(conn)) === 'process') {
    const now = Date.now();
    const literals = [...removals.map((k) => literalRow(removal(k), now, 1)), ...writes.map((w) => literalRow(w, w.appliedAt ? Date.parse(w.appliedAt) : now, 0))];
    insert = `INSERT INTO ${table(database, name)} (${COLUMNS}) ${INSERT_SETTINGS}VALUES ${literals.join(', ')}`;
  } else {
    const values = [...removals.map((k) => valuesOf(removal(k), 1)), ...writes.map((w) => valuesOf(w, 0))];
    insert =
      `INSERT INTO ${table(database, name)} (${COLUMNS}) ${INSERT_SETTINGS}SELECT file, fingerprint, ordinal, store, step_id, phase, status, origin, ` +
      `if(at_ms < 0, now64(3, 'UTC'), fromUnixTimestamp64Milli(at_ms, 'UTC')), duration_ms, sql, source, removed, ${VERSION} ` +
      `FROM values(${VALUES}, ${values.join(', ')})`;
  }
  if (!options.create) return void (await conn.command(insert));
  const create = createSql(database, name, options.create);
  if (conn.multiStatement) return void (await conn.command(`${create};\n${insert}`));
  await conn.command(create);
  await conn.command(insert);
}

/** Appends records (the newest row per key wins); one request. */
export function writeRecords(conn: ClickHouseConnection, database: string, writes: readonly LedgerWrite[], name = NAME, clock = clockOf(conn)): Promise<void> {
  return appendRecords(conn, database, { writes }, { name, clock });
}

/** Whose clock numbers ledger rows: the server's, or (embedded chdb, which runs in this process) this process's. */
export type LedgerClock = 'server' | 'process';

export function clockOf(conn: ClickHouseConnection): LedgerClock {
  return conn.embeddedPath !== undefined ? 'process' : 'server';
}

/** One row of literals, numbered by this process's clock (see {@link localVersion}). */
function literalRow(w: LedgerWrite, atMs: number, removed: 0 | 1): string {
  const at = chString(new Date(atMs).toISOString().replace('T', ' ').replace('Z', ''));
  return `(${[w.file, w.fingerprint].map(chString).join(', ')}, ${w.ordinal}, ${[w.store, w.stepId, w.phase, w.status, w.origin].map(chString).join(', ')}, ` +
    `${at}, ${Math.max(0, Math.round(w.durationMs))}, ${chString(w.sql)}, ${w.source !== undefined ? chString(w.source) : 'NULL'}, ${removed}, ${localVersion()})`;
}

let lastVersion = 0n;

/**
 * The microseconds of this process's clock, as the server's `now64(6)`
 * numbers rows, and never the same twice: rows written in one millisecond
 * (a removal, then a write of the same key) keep the order they were written in.
 */
function localVersion(): bigint {
  const now = BigInt(Date.now()) * 1000n;
  lastVersion = now > lastVersion ? now : lastVersion + 1n;
  return lastVersion;
}

interface Row {
  file: string; fingerprint: string; ordinal: number; store: string; step_id: string; phase: string; status: 'applied' | 'started';
  origin: LedgerRecord['origin']; applied_ms: string | number; duration_ms: number; sql: string; source: string | null; version: string | number;
}

interface LegacyRow {
  step_id: string; file: string; statements: string; checksum: string; phase: string;
  status: 'applied' | 'started'; applied_ms: string | number; duration_ms: number; sql: string; version: string | number;
}

/** Which format the ledger table is in, if it exists. */
async function format(conn: ClickHouseConnection, database: string): Promise<'none' | 'legacy' | 'records'> {
  const cols = await conn.rows<{ name: string }>(`SELECT name FROM system.columns WHERE database = ${chString(database)} AND table = '${NAME}'`);
  if (cols.length === 0) return 'none';
  return cols.some((c) => c.name === 'fingerprint') ? 'records' : 'legacy';
}

/** A ledger as read, and whether its table exists in the records format (then a write need not create it). */
export type ReadLedger = LedgerState & { readonly found: boolean };

/**
 * Newest row per key, removals left out; empty when the database or the
 * ledger does not exist. The records are read at once, without asking first
 * which format the table is in: a missing database or table answers for
 * itself, and only a table without a `fingerprint` column (the per-step
 * format) is looked at again.
 */
export async function readLedgerState(conn: ClickHouseConnection, database: string): Promise<ReadLedger> {
  let rows: (Row & { removed: number })[];
  try {
    rows = await conn.rows<Row & { removed: number }>(
      `SELECT file, fingerprint, ordinal, store, step_id, phase, status, origin, toUnixTimestamp64Milli(applied_at) AS applied_ms, duration_ms, sql, source, removed, version
         FROM ${table(database)} ORDER BY file, fingerprint, version DESC, status = 'applied' DESC LIMIT 1 BY file, fingerprint`,
    );
  } catch (e) {
    const type = (e as { type?: unknown }).type;
    if (type === 'UNKNOWN_DATABASE') return { records: [], found: false, noDatabase: true };
    if (type === 'UNKNOWN_TABLE') return { records: [], found: false };
    if (type !== 'UNKNOWN_IDENTIFIER' || (await format(conn, database)) !== 'legacy') throw e;
    return { records: [], legacy: await readLegacy(conn, database), found: false };
  }
  return {
    found: true,
    records: rows
      .filter((r) => Number(r.removed) === 0)
      .sort((a, b) => Number(a.applied_ms) - Number(b.applied_ms) || byVersion(a, b) || a.ordinal - b.ordinal)
      .map((r) => ({
        file: r.file,
        fingerprint: r.fingerprint,
        ordinal: Number(r.ordinal),
        store: r.store,
        stepId: r.step_id,
        phase: r.phase,
        status: r.status,
        origin: r.origin,
        appliedAt: new Date(Number(r.applied_ms)).toISOString(),
        durationMs: Number(r.duration_ms),
        sql: r.sql,
        ...(r.source !== null ? { source: r.source } : {}),
      })),
  };
}

async function readLegacy(conn: ClickHouseConnection, database: string): Promise<LegacyLedgerRow[]> {
  const rows = await conn.rows<LegacyRow>(
    `SELECT step_id, file, statements, checksum, phase, status, toUnixTimestamp64Milli(applied_at) AS applied_ms, duration_ms, sql, version
       FROM ${table(database)} ORDER BY step_id, version DESC, status = 'applied' DESC LIMIT 1 BY step_id`,
  );
  return rows
    .sort((a, b) => Number(a.applied_ms) - Number(b.applied_ms) || byVersion(a, b))
    .map((r) => ({
      stepId: r.step_id,
      ...(r.file ? { file: r.file } : {}),
      statements: r.statements,
      checksum: r.checksum,
      phase: r.phase,
      status: r.status,
      appliedAt: new Date(Number(r.applied_ms)).toISOString(),
      durationMs: Number(r.duration_ms),
      sql: r.sql,
    }));
}

/**
 * Rebuilds a per-step ledger as records: the new table is filled beside the
 * old one, then the two are swapped in one `EXCHANGE TABLES` and the old one
 * dropped. Interrupted before the swap, the old ledger is still in place and
 * the next apply starts over; a no-op when the ledger has records already.
 */
export async function upgradeLedgerTable(conn: ClickHouseConnection, database: string, records: readonly LedgerWrite[]): Promise<void> {
  if ((await format(conn, database)) !== 'legacy') return;
  await conn.command(`DROP TABLE IF EXISTS ${table(database, UPGRADE_NAME)}`);
  // A ledger of the old format was never a replicated one: it is rebuilt where it is.
  await conn.command(createSql(database, UPGRADE_NAME, {}));
  await writeRecords(conn, database, records, UPGRADE_NAME);
  await conn.command(`EXCHANGE TABLES ${table(database)} AND ${table(database, UPGRADE_NAME)}`);
  await conn.command(`DROP TABLE ${table(database, UPGRADE_NAME)}`);
}

// Rows written within the same millisecond keep the order the server numbered them in.
function byVersion(a: { version: string | number }, b: { version: string | number }): number {
  const x = BigInt(a.version);
  const y = BigInt(b.version);
  return x < y ? -1 : x > y ? 1 : 0;
}
