/**
 * The migration lock of a ClickHouse store, which has no advisory locks: a
 * claim table `default.topoplan_locks`, in `default` because the store's own
 * database may not exist yet. Rows are only ever appended: a `claim` with the
 * claimant's host, pid and process fingerprint and a short lease, `renew`s
 * of that lease while the claimant lives (waiting or holding), and a
 * `release` when it is done or a `break` when another process ended it. The
 * holder is the oldest claim not released, not broken and not expired; every
 * contender computes the same answer from the same rows (the server's clock
 * numbers them), so at most one proceeds.
 *
 * A claim whose holder is provably dead (this host, this boot, pid gone) is
 * broken at once, with a line saying so; one of another host stops counting
 * when its lease runs out (a minute by default), as its holder no longer
 * renews it. `breakTableLock` breaks the current claim on purpose
 * (`topoplan unlock`). A holder that learns at a renewal that its claim was
 * broken or expired marks the lock lost, and its session starts no new step.
 *
 * Where the claims live depends on the store (see lock-table.ts): on a single
 * server (and embedded chdb) inserts are visible once acknowledged and one
 * clock orders them; a replicated cluster store keeps them in one replicated
 * table every node holds, written with a quorum, read with sequential
 * consistency and ordered by Keeper's block numbers, so applies through
 * different nodes exclude each other too.
 *
 * @example
 * const lock = await acquireTableLock(conn, { store: 'analytics', database: 'analytics', timeoutMs: 30_000 })
 * try { ... if (lock.lost()) stop() } finally { await lock.release() }
 */
import { randomUUID } from 'node:crypto';
import { TopoplanError } from '../../errors.js';
import type { LockBreak, LockHolder } from '../engine.js';
import { LeaseRenewal } from '../lease-renewal.js';
import { pause } from '../pause.js';
import { describeProcess, holderState, thisProcess } from '../process-identity.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chString } from './clickhouse-sql.js';
import { lockTableFor, type LockTable } from './lock-table.js';

const DEFAULT_LEASE_MS = 60_000;

export interface TableLockRequest {
  readonly store: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** How long a claim counts without a renewal; renewed every third of it. Default 60 s. */
  readonly leaseMs?: number;
  readonly signal?: AbortSignal;
  /** Told when a dead holder's claim is broken. */
  readonly onNote?: (message: string) => void;
  /** The store's cluster: a replicated one keeps its claims where every node sees them (see lock-table.ts). */
  readonly cluster?: LockCluster;
}

/** A store's cluster, as the ledger knows it. */
export interface LockCluster {
  readonly cluster?: string;
  readonly replicated?: boolean;
}

export interface TableLock {
  release(): Promise<void>;
  /** True once a renewal found that the claim no longer holds the lock. */
  lost(): boolean;
}

export async function acquireTableLock(conn: ClickHouseConnection, req: TableLockRequest): Promise<TableLock> {
  const table = lockTableFor(req.cluster);
  await ensureLockTable(conn, table);
  const me = thisProcess();
  const owner = `${describeProcess(me)} ${randomUUID().slice(0, 8)}`;
  const leaseMs = req.leaseMs ?? DEFAULT_LEASE_MS;
  await append(conn, table, req.database, owner, 'claim', leaseMs);
  let holding = false;
  const lease = new LeaseRenewal(async () => {
    await append(conn, table, req.database, owner, 'renew', leaseMs);
    return !holding || (await currentHolder(conn, table, req.database))?.owner === owner;
  }, Math.max(50, Math.floor(leaseMs / 3)));
  const giveUp = async () => {
    await lease.stop();
    await append(conn, table, req.database, owner, 'release', 0).catch(() => undefined);
  };
  try {
    const deadline = Date.now() + req.timeoutMs;
    for (;;) {
      const holder = await currentHolder(conn, table, req.database);
      if (holder?.owner === owner) break;
      if (holder && holderState(holder) === 'dead') {
        await append(conn, table, req.database, holder.owner, 'break', 0);
        req.onNote?.(`store "${req.store}": broke the lock of ${describe(holder)}: that process has ended`);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = holder ? describe(holder) : 'unknown holder';
        throw new TopoplanError('apply.locked', `apply: store "${req.store}" is locked by another apply (${who}); waited ${Math.round(req.timeoutMs / 100) / 10}s`);
      }
      await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
    }
  } catch (e) {
    await giveUp();
    throw e;
  }
  holding = true;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await giveUp();
    },
    lost: () => lease.lost,
  };
}

/**
 * Breaks the current claim of `database`; returns what was found. A holder
 * that provably still runs (on this host) is broken only with `force`.
 */
export async function breakTableLock(conn: ClickHouseConnection, database: string, force = false, cluster?: LockCluster): Promise<LockBreak> {
  const table = lockTableFor(cluster);
  await ensureLockTable(conn, table);
  const holder = await currentHolder(conn, table, database);
  if (!holder) return { broken: false };
  const state = holderState(holder);
  if (state === 'alive' && !force) return { holder, broken: false, holderState: state };
  await append(conn, table, database, holder.owner, 'break', 0);
  return { holder, broken: true, holderState: state };
}

/** The current holder of `database`'s lock, if any. */
export async function tableLockHolder(conn: ClickHouseConnection, database: string, cluster?: LockCluster): Promise<(LockHolder & { owner: string }) | undefined> {
  const table = lockTableFor(cluster);
  await ensureLockTable(conn, table);
  return currentHolder(conn, table, database);
}

async function ensureLockTable(conn: ClickHouseConnection, table: LockTable): Promise<void> {
  // A cluster's table is created ON CLUSTER every time: a node added since has none yet.
  if (table.quorum) {
    await conn.command(table.create);
    return;
  }
  // One look at its columns says whether there is anything to do: nothing, once the table is there.
  const have = new Set((await conn.rows<{ name: string }>(`SELECT name FROM system.columns WHERE database = 'default' AND table = 'topoplan_locks'`)).map((c) => c.name));
  if (have.size === 0) await conn.command(table.create);
  // Tables made before claims carried their process get the columns once; an ALTER that changes nothing still costs a mutation round.
  else if (!['host', 'pid', 'process'].every((c) => have.has(c))) {
    await conn.command(`ALTER TABLE ${table.name} ADD COLUMN IF NOT EXISTS host String, ADD COLUMN IF NOT EXISTS pid UInt32, ADD COLUMN IF NOT EXISTS process String`);
  }
}

async function append(conn: ClickHouseConnection, table: LockTable, name: string, owner: string, kind: 'claim' | 'renew' | 'release' | 'break', leaseMs: number): Promise<void> {
  const me = thisProcess();
  const sql =
    `INSERT INTO ${table.name} (name, owner, kind, expires, version, host, pid, process) ${table.insertSettings}SELECT ${chString(name)}, ${chString(owner)}, ${chString(kind)}, ` +
    `now64(3, 'UTC') + toIntervalMillisecond(${Math.max(0, Math.round(leaseMs))}), toUInt64(toUnixTimestamp64Micro(now64(6))), ` +
    `${chString(me.host)}, ${me.pid}, ${chString(me.fingerprint)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await conn.command(sql);
      return;
    } catch (e) {
      // One quorum insert at a time: another apply's claim still being replicated refuses this one for a moment.
      if (!table.quorum || attempt >= QUORUM_ATTEMPTS || !/quorum for previous write has not been satisfied/i.test((e as Error).message)) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

const QUORUM_ATTEMPTS = 20;

/**
 * Oldest claim that is neither released nor broken and whose latest lease has
 * not run out (by the server's clock). The rows of one name are few (a day of
 * claims, renewals and releases): reading them and deciding here costs a
 * sixth of the same grouping done by the server.
 */
async function currentHolder(conn: ClickHouseConnection, table: LockTable, name: string): Promise<(LockHolder & { owner: string }) | undefined> {
  const rows = await conn.rows<LockRow>(
    `SELECT owner, kind, host, pid, process, toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(expires) AS expires_ms, toString(${table.order}) AS version,
            toUnixTimestamp64Milli(now64(3, 'UTC')) AS now_ms
       FROM ${table.name} WHERE name = ${chString(name)}${table.readSettings}`,
  );
  const claims = new Map<string, { claim?: LockRow; ended: boolean; expires: number }>();
  for (const r of rows) {
    const c = claims.get(r.owner) ?? { ended: false, expires: 0 };
    if (r.kind === 'claim' && (!c.claim || BigInt(r.version) < BigInt(c.claim.version))) c.claim = r;
    if (r.kind === 'release' || r.kind === 'break') c.ended = true;
    c.expires = Math.max(c.expires, Number(r.expires_ms));
    claims.set(r.owner, c);
  }
  const now = Number(rows[0]?.now_ms ?? 0);
  const live = [...claims].filter(([, c]) => c.claim && !c.ended && c.expires > now);
  live.sort(([ao, a], [bo, b]) => {
    const [x, y] = [BigInt(a.claim!.version), BigInt(b.claim!.version)];
    return x < y ? -1 : x > y ? 1 : ao < bo ? -1 : ao > bo ? 1 : 0;
  });
  const first = live[0];
  if (!first) return undefined;
  const r = first[1].claim!;
  return { owner: r.owner, host: r.host, pid: Number(r.pid), fingerprint: r.process, since: new Date(Number(r.at_ms)).toISOString() };
}

interface LockRow { owner: string; kind: string; host: string; pid: number | string; process: string; at_ms: string | number; expires_ms: string | number; version: string; now_ms: string | number }

function describe(h: LockHolder): string {
  return `${h.host ? describeProcess({ host: h.host, pid: h.pid }) : `pid ${h.pid}`} since ${h.since}`;
}
