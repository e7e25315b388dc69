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
 * On embedded chdb a new ledger is a log instead (see {@link LedgerLayout}):
 * one file the rows are appended to, so a write makes no part and no file.
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

const RECORD_COLUMNS = `file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String,
  status LowCardinality(String), origin LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32,
  sql String, source Nullable(String), removed UInt8, version UInt64`;

/**
 * How a ledger table keeps its rows. `parts`: a ReplacingMergeTree, each
 * write one part (some ten files, atomic by a rename): what a server's
 * ledger is, and what earlier versions made on embedded stores. `log`: what
 * a new ledger on embedded chdb is, a `File(JSONEachRow)` table whose writes
 * append to one file (making a part's files is most of what a write costs
 * there). chdb serves one process at a time, so one writer appends. A write
 * is all or nothing in both: a log row carries its write's `batch` and
 * `batch_rows`, and a reader takes a batch only when all its rows are there.
 * A process killed while it appends leaves at most a torn last line: the
 * table skips lines it cannot parse (a JSON object cut anywhere is one), and
 * each write begins with a blank row (batch 0) that a torn line glues onto,
 * so the write's own rows start on a line of their own. A line torn where
 * the table cannot skip it (the file ends in the middle of a value) fails
 * the read: the reader then appends the blank rows alone, after which the
 * torn line is one a write would have left, and reads again.
 */
export type LedgerLayout = 'parts' | 'log';

/** The layout a new ledger takes on this connection. */
export function layoutOf(conn: ClickHouseConnection): LedgerLayout {
  return conn.embeddedPath !== undefined ? 'log' : 'parts';
}

const createSql = (database: string, name: string, cluster: LedgerCluster, layout: LedgerLayout) =>
  layout === 'log'
    ? `CREATE TABLE IF NOT EXISTS ${table(database, name)} (${RECORD_COLUMNS}, batch UInt64, batch_rows UInt32) ENGINE = File(JSONEachRow) ` +
      'SETTINGS input_format_allow_errors_num = 1000000000, input_format_allow_errors_ratio = 1, input_format_parallel_parsing = 0, ' +
      'input_format_json_read_objects_as_strings = 0, input_format_json_read_arrays_as_strings = 0'
    : `CREATE TABLE IF NOT EXISTS ${table(database, name)}${onCluster(cluster)} (
  ${RECORD_COLUMNS}
) ENGINE = ${onCluster(cluster) ? `ReplicatedReplacingMergeTree(${chString(`/clickhouse/topoplan/${database}/${name}`)}, '{shard}-{replica}', version)` : 'ReplacingMergeTree(version)'} ORDER BY (file, fingerprint)`;

/**
 * On a cluster the ledger follows one rule. A replicated store's ledger is a
 * ReplicatedReplacingMergeTree created ON CLUSTER, one table in Keeper
 * (`/clickhouse/topoplan/<database>/topoplan_ledger`, replica `{shard}-{replica}`)
 * that every node of every shard holds, so an apply through any node sees
 * what was applied. A cluster store that does not replicate keeps its ledger
 * on the node of its URL only (the designated node): apply through that node.
 * createSql makes the table by this rule (appendRecords' `create`). Embedded
 * chdb is one node: its ledger is a log on it (no ON CLUSTER).
 */
export interface LedgerCluster {
  readonly cluster?: string;
  readonly replicated?: boolean;
}

/** ` ON CLUSTER name` for topoplan's own DDL on a replicated store, else nothing. */
function onCluster(cluster: LedgerCluster): string {
  return cluster.cluster !== undefined && cluster.replicated ? ` ON CLUSTER ${chIdent(cluster.cluster)}` : '';
}

/**
 * The blank rows a log's write begins with. A torn line can take the first
 * as the value of its last field (the JSON reader takes in a whole object
 * before it finds it is not a number or a string); the line it then fails
 * at, and skips, is the second.
 */
const BLANK_ROWS = [0, 1];

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
  /** How the table keeps its rows; default the layout a new ledger takes on the connection ({@link layoutOf}). */
  readonly layout?: LedgerLayout;
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
  const layout = options.layout ?? layoutOf(conn);
  // A log's write: the blank row first (batch 0), then its rows, each with the batch and how many rows it has.
  const log = layout === 'log' ? { batch: localVersion(), rows: removals.length + writes.length } : undefined;
  const blank = removal({ file: '', fingerprint: '' });
  const columns = log ? `${COLUMNS}, batch, batch_rows` : COLUMNS;
  let insert: string;
  if ((options.clock ?? clockOf(conn)) === 'process') {
    const now = Date.now();
    const batch = log ? `, ${log.batch}, ${log.rows}` : '';
    const literals = [...removals.map((k) => literalRow(removal(k), now, 1, batch)), ...writes.map((w) => literalRow(w, w.appliedAt ? Date.parse(w.appliedAt) : now, 0, batch))];
    if (log) literals.unshift(...BLANK_ROWS.map(() => literalRow(blank, 0, 0, ', 0, 0')));
    insert = `INSERT INTO ${table(database, name)} (${columns}) ${INSERT_SETTINGS}VALUES ${literals.join(', ')}`;
  } else {
    const values = [...(log ? BLANK_ROWS.map(() => valuesOf(blank, 0)) : []), ...removals.map((k) => valuesOf(removal(k), 1)), ...writes.map((w) => valuesOf(w, 0))];
    // Only the blank row has neither a file nor a fingerprint (a synthetic step's record has its name).
    const batch = log ? `, if(file = '' AND fingerprint = '', 0, ${log.batch}), if(file = '' AND fingerprint = '', 0, ${log.rows})` : '';
    insert =
      `INSERT INTO ${table(database, name)} (${columns}) ${INSERT_SETTINGS}SELECT file, fingerprint, ordinal, store, step_id, phase, status, origin, ` +
      `if(at_ms < 0, now64(3, 'UTC'), fromUnixTimestamp64Milli(at_ms, 'UTC')), duration_ms, sql, source, removed, ${VERSION}${batch} ` +
      `FROM values(${VALUES}, ${values.join(', ')})`;
  }
  if (!options.create) return void (await conn.command(insert));
  const create = createSql(database, name, options.create, layout);
  if (conn.multiStatement) return void (await conn.command(`${create};\n${insert}`));
  await conn.command(create);
  await conn.command(insert);
}

/** The blank rows alone, which end a log's torn last line as a write would (see {@link LedgerLayout}). */
function blankInsert(database: string): string {
  const blank = literalRow({ file: '', fingerprint: '', ordinal: 0, store: '', stepId: '', phase: '', status: 'applied', origin: 'apply', durationMs: 0, sql: '' }, 0, 0, ', 0, 0');
  return `INSERT INTO ${table(database)} (${COLUMNS}, batch, batch_rows) VALUES ${BLANK_ROWS.map(() => blank).join(', ')}`;
}

/** Appends records (the newest row per key wins); one request. */
export function writeRecords(conn: ClickHouseConnection, database: string, writes: readonly LedgerWrite[], name = NAME, clock = clockOf(conn), layout = layoutOf(conn)): Promise<void> {
  return appendRecords(conn, database, { writes }, { name, clock, layout });
}

/** Whose clock numbers ledger rows: the server's, or (embedded chdb, which runs in this process) this process's. */
export type LedgerClock = 'server' | 'process';

export function clockOf(conn: ClickHouseConnection): LedgerClock {
  return conn.embeddedPath !== undefined ? 'process' : 'server';
}

/** One row of literals, numbered by this process's clock (see {@link localVersion}), with `more` (a log's batch columns) after it. */
function literalRow(w: LedgerWrite, atMs: number, removed: 0 | 1, more = ''): string {
  const at = chString(new Date(atMs).toISOString().replace('T', ' ').replace('Z', ''));
  return `(${[w.file, w.fingerprint].map(chString).join(', ')}, ${w.ordinal}, ${[w.store, w.stepId, w.phase, w.status, w.origin].map(chString).join(', ')}, ` +
    `${at}, ${Math.max(0, Math.round(w.durationMs))}, ${chString(w.sql)}, ${w.source !== undefined ? chString(w.source) : 'NULL'}, ${removed}, ${localVersion()}${more})`;
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

/** Which format the ledger table is in, if it exists: per step, or records in one of the layouts. */
async function format(conn: ClickHouseConnection, database: string): Promise<'none' | 'legacy' | LedgerLayout> {
  const cols = await conn.rows<{ name: string }>(`SELECT name FROM system.columns WHERE database = ${chString(database)} AND table = '${NAME}'`);
  if (cols.length === 0) return 'none';
  if (!cols.some((c) => c.name === 'fingerprint')) return 'legacy';
  return cols.some((c) => c.name === 'batch') ? 'log' : 'parts';
}

/**
 * A ledger as read, and whether its table exists in the records format
 * (then a write need not create it), with the layout to write it in.
 */
export type ReadLedger = LedgerState & { readonly found: boolean; readonly layout?: LedgerLayout };

const readSql = (database: string, layout: LedgerLayout) => {
  // A log's rows of a write whose rows are not all there (cut off by a killed process) are left out, as is the blank row of each write.
  const whole = layout === 'log' ? ` WHERE batch > 0 AND (batch, batch_rows) IN (SELECT batch, toUInt32(count()) FROM ${table(database)} WHERE batch > 0 GROUP BY batch)` : '';
  return `SELECT file, fingerprint, ordinal, store, step_id, phase, status, origin, toUnixTimestamp64Milli(applied_at) AS applied_ms, duration_ms, sql, source, removed, version
         FROM ${table(database)}${whole} ORDER BY file, fingerprint, version DESC, status = 'applied' DESC LIMIT 1 BY file, fingerprint`;
};

/**
 * Newest row per key, removals left out; empty when the database or the
 * ledger does not exist. The records are read at once, without asking first
 * which format the table is in: a missing database or table answers for
 * itself, and only a table without a `fingerprint` column (the per-step
 * format) is looked at again.
 */
export async function readLedgerState(conn: ClickHouseConnection, database: string): Promise<ReadLedger> {
  let rows: (Row & { removed: number })[];
  // The layout a new ledger takes here is asked first; a table of the other one answers with an unknown column.
  let layout = layoutOf(conn);
  try {
    rows = await readRows(conn, database, layout);
  } catch (e) {
    const type = (e as { type?: unknown }).type;
    if (type === 'UNKNOWN_DATABASE') return { records: [], found: false, noDatabase: true };
    if (type === 'UNKNOWN_TABLE') return { records: [], found: false };
    const found = type === 'UNKNOWN_IDENTIFIER' ? await format(conn, database) : 'none';
    if (found === 'legacy') return { records: [], legacy: await readLegacy(conn, database), found: false };
    if (found !== 'log' && found !== 'parts') throw e;
    layout = found;
    rows = await readRows(conn, database, layout);
  }
  return {
    found: true,
    layout,
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

const ANSWERS = new Set(['UNKNOWN_DATABASE', 'UNKNOWN_TABLE', 'UNKNOWN_IDENTIFIER']);

/** The newest row per key; a log whose torn last line fails the read is ended with the blank rows and read again. */
async function readRows(conn: ClickHouseConnection, database: string, layout: LedgerLayout): Promise<(Row & { removed: number })[]> {
  try {
    return await conn.rows<Row & { removed: number }>(readSql(database, layout));
  } catch (e) {
    if (layout !== 'log' || ANSWERS.has(String((e as { type?: unknown }).type))) throw e;
    await conn.command(blankInsert(database));
    return conn.rows<Row & { removed: number }>(readSql(database, layout));
  }
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
  await conn.command(createSql(database, UPGRADE_NAME, {}, layoutOf(conn)));
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
