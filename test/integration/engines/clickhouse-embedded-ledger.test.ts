/**
 * The ledger of an embedded ClickHouse store (chdb): a log (a `File` table
 * its writes append to). A `started` row is still there after the process
 * that wrote it is killed (SIGKILL) while its statement runs; a write cut off
 * anywhere by a killed process is left out whole and the next write reads
 * back; and ledgers made by earlier versions on embedded stores (a
 * ReplacingMergeTree, an EmbeddedRocksDB table) are read and written in their
 * own layout: the newest row per file and fingerprint.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { appendRecords, readLedgerState } from '../../../src/engines/clickhouse/clickhouse-ledger.js';
import { ClickHouseSession } from '../../../src/engines/clickhouse/clickhouse-session.js';
import { embeddedClickHouseUrl } from '../../../src/engines/embedded/embedded-clickhouse-url.js';
import type { LedgerWrite } from '../../../src/engines/engine.js';
import { tempDir } from '../../helpers/engines.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
let dir: string;
let url: string;
let conn: ClickHouseConnection | undefined;

const write = (status: LedgerWrite['status'], durationMs: number): LedgerWrite => ({
  file: 'app/001.sql', fingerprint: 'f1', ordinal: 0, store: 'app', stepId: 'app:001', phase: 'expand', status, origin: 'apply', durationMs, sql: 'INSERT INTO t VALUES (1)',
});

beforeAll(async () => {
  dir = await tempDir('ch-embedded-ledger');
  url = await embeddedClickHouseUrl(join(dir, 'ch'));
  // Killed while its statement runs: the `started` row is written, the statement never returns.
  const script = `
    import { openClickHouse } from ${JSON.stringify(join(repo, 'src/engines/clickhouse/clickhouse-connection.ts'))};
    import { appendRecords } from ${JSON.stringify(join(repo, 'src/engines/clickhouse/clickhouse-ledger.ts'))};
    const conn = await openClickHouse(${JSON.stringify(url)});
    await conn.command('CREATE DATABASE IF NOT EXISTS killed');
    await appendRecords(conn, 'killed', { writes: [${JSON.stringify({ ...write('started', 0), store: 'killed' })}] }, { create: {} });
    conn.command('SELECT sleepEachRow(0.5) FROM numbers(10) SETTINGS max_block_size = 1 FORMAT Null').catch(() => undefined);
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  expect(child.signal, child.stderr).toBe('SIGKILL');
  conn = await openClickHouse(url);
});

afterAll(async () => {
  await conn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the ledger of an embedded ClickHouse store', () => {
  it('keeps a started row written before a statement whose process was killed', async () => {
    const state = await readLedgerState(conn!, 'killed');
    expect(state.records.map((r) => [r.stepId, r.status])).toEqual([['app:001', 'started']]);
  });

  it('is a log, and one made as a ReplacingMergeTree or an EmbeddedRocksDB table is read and written alike', async () => {
    await conn!.command('CREATE DATABASE IF NOT EXISTS app');
    await appendRecords(conn!, 'app', { writes: [write('started', 0)] }, { create: {} });
    await appendRecords(conn!, 'app', { writes: [write('applied', 5)] });
    expect((await readLedgerState(conn!, 'app')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 5]]);
    const engine = async (db: string) => (await conn!.rows<{ engine: string }>(`SELECT engine FROM system.tables WHERE database = '${db}' AND name = 'topoplan_ledger'`))[0]!.engine;
    expect(await engine('app')).toBe('File');
    expect((await readLedgerState(conn!, 'app')).layout).toBe('log');
    await conn!.command('CREATE DATABASE IF NOT EXISTS parts');
    await appendRecords(conn!, 'parts', { writes: [write('started', 0)] }, { create: {}, layout: 'parts' });
    const parts = await readLedgerState(conn!, 'parts');
    expect([await engine('parts'), parts.layout, parts.records.map((r) => r.status)]).toEqual(['ReplacingMergeTree', 'parts', ['started']]);
    await appendRecords(conn!, 'parts', { writes: [write('applied', 4)] }, { layout: 'parts' });
    expect((await readLedgerState(conn!, 'parts')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 4]]);
    // A session continues the ledger it finds as it keeps its rows.
    const session = new ClickHouseSession(await openClickHouse(url), { store: 'app', database: 'parts', url });
    try {
      expect((await session.readLedger()).records.map((r) => r.status)).toEqual(['applied']);
      await session.record([{ ...write('applied', 6), fingerprint: 'f2' }]);
      expect((await session.readLedger()).records.map((r) => [r.fingerprint, r.durationMs])).toEqual([['f1', 4], ['f2', 6]]);
    } finally {
      await session.close();
    }
    expect(await engine('parts')).toBe('ReplacingMergeTree');
    await conn!.command('CREATE DATABASE IF NOT EXISTS rocks');
    await conn!.command(`CREATE TABLE rocks.topoplan_ledger (
      file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String,
      status LowCardinality(String), origin LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32,
      sql String, source Nullable(String), removed UInt8, version UInt64,
      key String MATERIALIZED concat(file, '\\0', fingerprint, '\\0', status)
    ) ENGINE = EmbeddedRocksDB PRIMARY KEY key SETTINGS optimize_for_bulk_insert = 0`);
    expect((await readLedgerState(conn!, 'rocks')).layout).toBe('parts');
    await appendRecords(conn!, 'rocks', { writes: [write('started', 0)] }, { create: {}, layout: 'parts' });
    await appendRecords(conn!, 'rocks', { writes: [write('applied', 3)] }, { create: {}, layout: 'parts' });
    expect((await readLedgerState(conn!, 'rocks')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 3]]);
    await appendRecords(conn!, 'rocks', { removals: [{ file: 'app/001.sql', fingerprint: 'f1' }] }, { layout: 'parts' });
    expect((await readLedgerState(conn!, 'rocks')).records).toEqual([]);
    expect(await engine('rocks')).toBe('EmbeddedRocksDB');
  });

  it('leaves out a write cut off anywhere by a killed process, whole, and reads the writes after it', async () => {
    await conn!.command('CREATE DATABASE IF NOT EXISTS torn');
    const other = { ...write('applied', 1), file: 'app/002.sql', fingerprint: 'f2', sql: "INSERT INTO t VALUES ('a\nb', '{\"x\": 1}')" };
    await appendRecords(conn!, 'torn', { writes: [write('started', 0)] }, { create: {} });
    const file = (await conn!.rows<{ path: string }>("SELECT data_paths[1] AS path FROM system.tables WHERE database = 'torn' AND name = 'topoplan_ledger'"))[0]!.path;
    const before = readFileSync(file);
    // One write of two rows: the `applied` row of the first statement and a record of another.
    await appendRecords(conn!, 'torn', { writes: [write('applied', 2), other] });
    const whole = readFileSync(file);
    const seen = async () => (await readLedgerState(conn!, 'torn')).records.map((r) => [r.fingerprint, r.status]);
    expect(await seen()).toEqual([['f1', 'applied'], ['f2', 'applied']]);
    // Lengths the file can have while the write is under way: a torn line may end anywhere (in a key, after it, in a value,
    // in an escape). Every length within the write's first line (a blank row: every key), within the text of its last
    // record (escapes) and in its last bytes; some bytes apart elsewhere.
    const firstEnd = whole.indexOf(10, before.length) + 1;
    const sql = whole.lastIndexOf('"sql":');
    const cuts = Array.from({ length: whole.length - before.length }, (_, i) => before.length + i)
      .filter((c) => c < firstEnd || (c >= sql && c < sql + 60) || c >= whole.length - 12 || c % 17 === 0);
    for (const cut of cuts) {
      writeFileSync(file, whole.subarray(0, cut));
      // Only a write that lost no more than its line end is all there. A line the table cannot skip is ended first.
      const done = cut >= whole.length - 1;
      expect([cut, await seen()]).toEqual([cut, done ? [['f1', 'applied'], ['f2', 'applied']] : [['f1', 'started']]]);
      // The next write glues no row of its own onto the torn line.
      await appendRecords(conn!, 'torn', { writes: [{ ...write('applied', 3), fingerprint: 'f3' }] });
      expect([cut, await seen()]).toEqual([cut, [['f1', done ? 'applied' : 'started'], ...(done ? [['f2', 'applied']] : []), ['f3', 'applied']]]);
    }
    writeFileSync(file, whole);
  });
});
