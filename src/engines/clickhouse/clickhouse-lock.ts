/**
 * The migration lock of a ClickHouse store, which has no advisory locks: a
 * claim table `default.topoplan_locks`, in `default` because the store's own
 * database may not exist yet. Each apply appends a claim with an owner token
 * and an expiry; the server clock numbers the rows; the holder is the oldest
 * unexpired claim whose owner has not released it (a claim that timed out
 * is released too). Every contender computes the
 * same answer from the same rows, so at most one proceeds.
 *
 * Limits, honestly: it relies on inserts being visible as soon as they are
 * acknowledged and on one server clock, which holds for a single server and
 * for embedded chdb, not for a cluster with asynchronous replication. A
 * holder that dies keeps the lock until its claim expires (`leaseMs`, 15
 * minutes by default). With chdb, another process cannot open the data
 * directory at all while one has it, which is the stronger lock; this table
 * then only orders applies within one process.
 *
 * @example
 * const release = await acquireTableLock(conn, { store: 'analytics', database: 'analytics', timeoutMs: 30_000 })
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { TopoplanError } from '../../errors.js';
import { pause } from '../pause.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chString } from './clickhouse-sql.js';

const TABLE = 'default.topoplan_locks';

export interface TableLockRequest {
  readonly store: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly leaseMs?: number;
  readonly signal?: AbortSignal;
}

interface Claim { owner: string; kind: string; since_ms: string | number }

export async function acquireTableLock(conn: ClickHouseConnection, req: TableLockRequest): Promise<() => Promise<void>> {
  await conn.command(`CREATE TABLE IF NOT EXISTS ${TABLE} (
  name String, owner String, kind LowCardinality(String), expires DateTime64(3, 'UTC'), version UInt64, at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')
) ENGINE = MergeTree ORDER BY (name, version) TTL toDateTime(expires) + INTERVAL 1 DAY`);
  const owner = `${os.hostname()} pid ${process.pid} ${randomUUID().slice(0, 8)}`;
  const lease = Math.round((req.leaseMs ?? 15 * 60_000) / 1000);
  await append(conn, req.database, owner, 'claim', lease);
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const holder = await currentHolder(conn, req.database);
    if (holder?.owner === owner) break;
    if (Date.now() >= deadline) {
      await append(conn, req.database, owner, 'release', 0);
      const who = holder ? `${holder.owner} since ${new Date(Number(holder.since_ms)).toISOString()}` : 'unknown holder';
      throw new TopoplanError('apply.locked', `apply: store "${req.store}" is locked by another apply (${who}); waited ${Math.round(req.timeoutMs / 100) / 10}s`);
    }
    await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await append(conn, req.database, owner, 'release', 0);
  };
}

async function append(conn: ClickHouseConnection, name: string, owner: string, kind: string, leaseSeconds: number): Promise<void> {
  await conn.command(
    `INSERT INTO ${TABLE} (name, owner, kind, expires, version) SELECT ${chString(name)}, ${chString(owner)}, ${chString(kind)}, ` +
      `now64(3, 'UTC') + toIntervalSecond(${leaseSeconds}), toUInt64(toUnixTimestamp64Micro(now64(6)))`,
  );
}

/** Oldest unexpired claim not yet released. */
async function currentHolder(conn: ClickHouseConnection, name: string): Promise<Claim | undefined> {
  const rows = await conn.rows<Claim>(
    `SELECT owner, kind, toUnixTimestamp64Milli(at) AS since_ms FROM ${TABLE}
      WHERE name = ${chString(name)}
        AND kind = 'claim' AND expires > now64(3, 'UTC')
        AND owner NOT IN (SELECT owner FROM ${TABLE} WHERE name = ${chString(name)} AND kind = 'release')
      ORDER BY version, owner LIMIT 1`,
  );
  return rows[0];
}
