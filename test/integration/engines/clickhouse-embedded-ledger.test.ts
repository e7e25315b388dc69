/**
 * The ledger of an embedded ClickHouse store (chdb): an EmbeddedRocksDB
 * table where a statement keeps its newest `started` and newest `applied`
 * row, read like the ReplacingMergeTree ledger of a server (the newest row
 * per file and fingerprint); a ReplacingMergeTree ledger made before is read
 * and written as before; and a `started` row is still there after the
 * process that wrote it is killed (SIGKILL) while its statement runs.
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

  it('is an EmbeddedRocksDB table keeping the newest started and applied row of a statement, read as the newest', async () => {
    await conn!.command('CREATE DATABASE IF NOT EXISTS app');
    await appendRecords(conn!, 'app', { writes: [write('started', 0)] }, { create: {} });
    await appendRecords(conn!, 'app', { writes: [write('applied', 5)] });
    expect((await readLedgerState(conn!, 'app')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 5]]);
    // Run again: a new started row replaces the old one, and is the newest.
    await appendRecords(conn!, 'app', { writes: [write('started', 0)] });
    expect((await readLedgerState(conn!, 'app')).records.map((r) => r.status)).toEqual(['started']);
    await appendRecords(conn!, 'app', { writes: [write('applied', 7)] });
    const [table] = await conn!.rows<{ engine: string }>("SELECT engine FROM system.tables WHERE database = 'app' AND name = 'topoplan_ledger'");
    expect(table!.engine).toBe('EmbeddedRocksDB');
    expect(await conn!.rows('SELECT status, duration_ms FROM app.topoplan_ledger ORDER BY version')).toEqual([{ status: 'started', duration_ms: 0 }, { status: 'applied', duration_ms: 7 }]);
    // A removal is the newest row of its key: nothing is read.
    await appendRecords(conn!, 'app', { removals: [{ file: 'app/001.sql', fingerprint: 'f1' }] });
    expect((await readLedgerState(conn!, 'app')).records).toEqual([]);
  });

  it('reads and writes a ReplacingMergeTree ledger made before as it did', async () => {
    await conn!.command('CREATE DATABASE IF NOT EXISTS earlier');
    await conn!.command(`CREATE TABLE earlier.topoplan_ledger (
      file String, fingerprint String, ordinal UInt32, store String, step_id String, phase String,
      status LowCardinality(String), origin LowCardinality(String), applied_at DateTime64(3, 'UTC'), duration_ms UInt32,
      sql String, source Nullable(String), removed UInt8, version UInt64
    ) ENGINE = ReplacingMergeTree(version) ORDER BY (file, fingerprint)`);
    await appendRecords(conn!, 'earlier', { writes: [write('started', 0)] }, { create: {} });
    await appendRecords(conn!, 'earlier', { writes: [write('applied', 3)] }, { create: {} });
    expect((await readLedgerState(conn!, 'earlier')).records.map((r) => [r.status, r.durationMs])).toEqual([['applied', 3]]);
    const [table] = await conn!.rows<{ engine: string }>("SELECT engine FROM system.tables WHERE database = 'earlier' AND name = 'topoplan_ledger'");
    expect(table!.engine).toBe('ReplacingMergeTree');
  });
});
