/**
 * The ledger of an embedded ClickHouse store (chdb): a `started` row is
 * still there after the process that wrote it is killed (SIGKILL) while its
 * statement runs, and a ledger of another table engine (an EmbeddedRocksDB
 * one, as a version of topoplan made on embedded stores) is read and written
 * as the ReplacingMergeTree one: the newest row per file and fingerprint.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { appendRecords, readLedgerState } from '../../../src/engines/clickhouse/clickhouse-ledger.js';
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

  it('is a ReplacingMergeTree, and one made as an EmbeddedRocksDB table is read and written alike', async () => {
    await conn!.command('CREATE DATABASE IF NOT EXISTS app');
    await appendRecords(conn!, 'app', { writes: [write('started', 0)] }, { create: {} });
    await appendRecords(conn!, 'app', { writes: [write('applied', 5)] });
    expect((await readLedgerState(conn!, 'app')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 5]]);
    const engine = async (db: string) => (await conn!.rows<{ engine: string }>(`SELECT engine FROM system.tables WHERE database = '${db}' AND name = 'topoplan_ledger'`))[0]!.engine;
    expect(await engine('app')).toBe('ReplacingMergeTree');
    await conn!.command('CREATE DATABASE IF NOT EXISTS rocks');
    await conn!.command(`CREATE TABLE rocks.topoplan_ledger (
      file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String,
      status LowCardinality(String), origin LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32,
      sql String, source Nullable(String), removed UInt8, version UInt64,
      key String MATERIALIZED concat(file, '\\0', fingerprint, '\\0', status)
    ) ENGINE = EmbeddedRocksDB PRIMARY KEY key SETTINGS optimize_for_bulk_insert = 0`);
    await appendRecords(conn!, 'rocks', { writes: [write('started', 0)] }, { create: {} });
    await appendRecords(conn!, 'rocks', { writes: [write('applied', 3)] }, { create: {} });
    expect((await readLedgerState(conn!, 'rocks')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 3]]);
    await appendRecords(conn!, 'rocks', { removals: [{ file: 'app/001.sql', fingerprint: 'f1' }] });
    expect((await readLedgerState(conn!, 'rocks')).records).toEqual([]);
    expect(await engine('rocks')).toBe('EmbeddedRocksDB');
  });
});
