/**
 * Backups before destructive ClickHouse statements, on chdb: the rows a
 * statement destroys are copied into the backup database first, and
 * `restoreBackup` puts them back (row checksums equal).
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { readManifest, type BackupManifest } from '../../../src/engines/backup-manifest.js';
import type { EngineSession } from '../../../src/engines/engine.js';
import type { StepDestruction } from '../../../src/plan/model.js';
import { startTestClickHouse, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeStep } from '../../helpers/steps.js';

const DB = 'obs';
let server: TestEngine;
let session: EngineSession;
let raw: ClickHouseConnection;
let workDir: string;
let n = 0;

const events = { kind: 'table' as const, name: 'events', schema: DB };
/** Runs one destructive statement as apply does (opted in, with a backup directory); returns its backup. */
async function destroy(sql: string, destroys: Omit<StepDestruction, 'summary'>[]): Promise<{ dir: string; manifest: BackupManifest } | undefined> {
  const step = makeStep({
    id: `events:ch/${++n}`, statements: [sql], store: 'events', engine: 'clickhouse', database: DB, transactional: false,
    destructive: true, destroys: destroys.map((d) => ({ ...d, summary: `${d.kind} of ${d.object.name}` })), settings: [{ mutations_sync: '2' }],
  });
  const dir = path.join(workDir, 'backups', 'run', String(n));
  return (await session.applyStep(step, { workDir, backupDir: dir })).backup;
}
const restore = async (dir: string, force = false) => (session.restoreBackup!)((await readManifest(dir)), force ? { force } : {});
/** Row count and an order-independent hash of every row. */
async function checksum(table = 'events', where = '1'): Promise<string> {
  const r = await raw.rows<{ n: string | number; h: string | number }>(`SELECT count() AS n, sum(cityHash64(*)) AS h FROM ${DB}.${table} WHERE ${where}`);
  return `${r[0]!.n}:${r[0]!.h ?? 0}`;
}

beforeAll(async () => {
  server = await startTestClickHouse();
  workDir = await tempDir('ch-backup');
  session = await clickhouseEngine.connect({ store: 'events', database: DB, url: server.url });
  raw = await openClickHouse(server.url);
  await raw.command(`CREATE DATABASE IF NOT EXISTS ${DB}`);
  await raw.command(`CREATE TABLE ${DB}.events (day Date, id UInt64, message String, level LowCardinality(String), payload Nullable(String),
    size UInt64 MATERIALIZED length(message)) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(day) ORDER BY id`);
  await raw.command(`INSERT INTO ${DB}.events (day, id, message, level, payload) VALUES
    ('2024-01-03', 1, 'boot, "quoted"', 'info', NULL), ('2024-01-09', 2, 'line\\nbreak', 'warn', '{"a":1}'),
    ('2024-02-01', 3, 'é ü', 'error', ''), ('2024-02-11', 4, 'tab\\there', 'info', 'x'), ('2024-03-05', 5, '', '', NULL)`);
});

afterAll(async () => {
  await raw?.close();
  await session?.close();
  await server?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('ClickHouse backups', () => {
  it('DROP PARTITION: the partition\'s rows are copied first and restored', async () => {
    const before = await checksum();
    const b = await destroy('ALTER TABLE obs.events DROP PARTITION 202401', [{ kind: 'delete_rows', object: events, partition: '202401' }]);
    expect(b!.manifest).toMatchObject({ engine: 'clickhouse', store: 'events', database: DB, notBackedUp: [] });
    expect(b!.manifest.objects.map((o) => [o.kind, o.table, o.rows, o.where])).toEqual([['copy', 'obs.events', 2, '_partition_id = partitionID(202401)']]);
    expect(b!.manifest.objects[0]!.copy).toMatch(/^topoplan_backup\.b_[0-9a-f]{12}_1_events$/);
    expect(await checksum('events', "toYYYYMM(day) = 202401")).toBe('0:0');
    expect(await restore(b!.dir)).toEqual([{ table: 'obs.events', kind: 'copy', rows: 2, created: false, addedColumns: [] }]);
    expect(await checksum()).toBe(before);
    // Restoring again would mix the copy with the rows now there.
    await expect(restore(b!.dir)).rejects.toThrow(/^restore: table "obs\.events" of store "events" holds rows where _partition_id = partitionID\(202401\); nothing was restored; hint: pass --force/);
  });

  it('ALTER TABLE ... DELETE WHERE: the matching rows are copied and restored', async () => {
    const before = await checksum();
    const b = await destroy("ALTER TABLE obs.events DELETE WHERE level = 'info'", [{ kind: 'delete_rows', object: events, where: "level = 'info'" }]);
    expect(b!.manifest.objects.map((o) => [o.rows, o.where])).toEqual([[2, "(level = 'info')"]]);
    expect(await checksum('events', "level = 'info'")).toBe('0:0');
    await restore(b!.dir);
    expect(await checksum()).toBe(before);
  });

  it('DROP COLUMN: every row is copied; restoring adds the column back and, forced, replaces the rows', async () => {
    const before = await checksum();
    const b = await destroy('ALTER TABLE obs.events DROP COLUMN payload', [{ kind: 'drop_column', object: events, columns: ['payload'] }]);
    expect(b!.manifest.objects.map((o) => [o.rows, o.columns])).toEqual([[5, ['day', 'id', 'message', 'level', 'payload']]]);
    await expect(restore(b!.dir)).rejects.toThrow(/holds rows; nothing was restored/);
    expect(await restore(b!.dir, true)).toEqual([{ table: 'obs.events', kind: 'copy', rows: 5, created: false, addedColumns: ['payload'] }]);
    expect(await checksum()).toBe(before);
  });

  it('DROP TABLE: the copy keeps the rows and the CREATE statement; restore makes the table again', async () => {
    const before = await checksum();
    const definition = (await raw.rows<{ statement: string }>('SHOW CREATE TABLE obs.events'))[0]!.statement;
    const b = await destroy('DROP TABLE obs.events', [{ kind: 'drop', object: events }]);
    expect(b!.manifest.objects[0]!.create).toEqual([definition]);
    expect(await raw.rows(`SELECT 1 FROM system.tables WHERE database = 'obs' AND name = 'events'`)).toEqual([]);
    expect((await restore(b!.dir))[0]).toMatchObject({ created: true, rows: 5 });
    expect(await checksum()).toBe(before);
    expect((await raw.rows<{ statement: string }>('SHOW CREATE TABLE obs.events'))[0]!.statement).toBe(definition);
  });

  it('a copy that fails stops the statement before it starts: no row lost, no ledger record', async () => {
    const before = await checksum();
    const dir = path.join(workDir, 'backups', 'run', String(n + 1));
    // The copy's table is taken already, so CREATE TABLE ... AS SELECT fails.
    const taken = `b_${createHash('sha256').update(dir).digest('hex').slice(0, 12)}_1_events`;
    await raw.command(`CREATE TABLE topoplan_backup.${taken} (x UInt8) ENGINE = Memory`);
    const failed = destroy('TRUNCATE TABLE obs.events', [{ kind: 'delete_rows', object: events }]);
    await expect(failed).rejects.toThrow(new RegExp(`^apply: app/events_ch_${n}\\.sql:1: backing up table "obs.events" into topoplan_backup.${taken} before step "events:ch/${n}" of store "events" failed, so the statement did not run: .*; hint: `));
    expect(await checksum()).toBe(before);
    expect((await session.readLedger()).records.filter((r) => r.stepId === `events:ch/${n}`)).toEqual([]);
  });

  it('what cannot be copied is said, and a missing table needs no backup', async () => {
    const b = await destroy('DROP DATABASE IF EXISTS scratch', [{ kind: 'drop', object: { kind: 'database', name: 'scratch' }, ifExists: true }]);
    expect(b!.manifest.objects).toEqual([]);
    expect(b!.manifest.notBackedUp).toEqual(['drop of scratch: a whole database is not copied (back it up with BACKUP DATABASE before opting in)']);
    expect(await destroy('DROP TABLE IF EXISTS obs.gone', [{ kind: 'drop', object: { ...events, name: 'gone' }, ifExists: true }])).toBeUndefined();
  });
});
