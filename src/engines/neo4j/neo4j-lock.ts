/**
 * The migration lock of a Neo4j store: a `(:TopoplanLock {name})` node taken
 * with MERGE. The first SET takes the node's write lock before the owner and
 * expiry are read, so two contenders are serialised on that node and only one
 * sees it free. The node carries its holder's host, pid and process
 * fingerprint and a short lease the holder renews; a holder that is provably
 * dead (this host, pid gone) has its node deleted at once, with a line saying
 * so, and one on another host stops counting when its lease runs out.
 *
 * @example
 * const lock = await acquireNodeLock(session, { store: 'graph', database: 'neo4j', timeoutMs: 30_000 })
 */
import { randomUUID } from 'node:crypto';
import type { Session } from 'neo4j-driver';
import { TopoplanError } from '../../errors.js';
import type { LockBreak, LockHolder } from '../engine.js';
import { LeaseRenewal } from '../lease-renewal.js';
import { pause } from '../pause.js';
import { describeProcess, holderState, thisProcess } from '../process-identity.js';

export interface NodeLockRequest {
  readonly store: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** How long the node counts without a renewal; renewed every third of it. Default 60 s. */
  readonly leaseMs?: number;
  readonly signal?: AbortSignal;
  readonly onNote?: (message: string) => void;
}

export interface NodeLock {
  release(): Promise<void>;
  lost(): boolean;
}

const TRY_LOCK = `
MERGE (l:TopoplanLock {name: $name})
SET l.touched = timestamp()
WITH l, (l.owner IS NULL OR l.owner = $owner OR l.expires < timestamp()) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.owner = $owner, l.since = timestamp(), l.expires = timestamp() + $lease, l.host = $host, l.pid = $pid, l.process = $process)
RETURN l.owner AS owner, l.since AS since, l.host AS host, l.pid AS pid, l.process AS process`;

export async function acquireNodeLock(session: Session, req: NodeLockRequest): Promise<NodeLock> {
  await session.run('CREATE CONSTRAINT topoplan_lock_name IF NOT EXISTS FOR (l:TopoplanLock) REQUIRE l.name IS UNIQUE');
  const me = thisProcess();
  const owner = `${describeProcess(me)} ${randomUUID().slice(0, 8)}`;
  const leaseMs = req.leaseMs ?? 60_000;
  const params = { name: req.database, owner, lease: leaseMs, host: me.host, pid: me.pid, process: me.fingerprint };
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const r = await session.executeWrite((tx) => tx.run(TRY_LOCK, params));
    const record = r.records[0];
    if (record?.get('owner') === owner) break;
    const holder = record ? holderOf(record.toObject()) : undefined;
    if (holder && holderState(holder) === 'dead') {
      await session.executeWrite((tx) => tx.run('MATCH (l:TopoplanLock {name: $name, owner: $dead}) DELETE l', { name: req.database, dead: holder.owner }));
      req.onNote?.(`store "${req.store}": broke the lock of ${describeProcess(holder)} since ${holder.since}: that process has ended`);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `${holder.host ? describeProcess(holder) : holder.owner} since ${holder.since}` : 'unknown holder';
      throw new TopoplanError('apply.locked', `apply: store "${req.store}" is locked by another apply (${who}); waited ${Math.round(req.timeoutMs / 100) / 10}s`);
    }
    await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
  }
  const lease = new LeaseRenewal(async () => {
    const r = await session.executeWrite((tx) => tx.run('MATCH (l:TopoplanLock {name: $name, owner: $owner}) SET l.expires = timestamp() + $lease RETURN count(l) AS n', params));
    return Number(r.records[0]?.get('n') ?? 0) > 0;
  }, Math.max(50, Math.floor(leaseMs / 3)));
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await lease.stop();
      await session.executeWrite((tx) => tx.run('MATCH (l:TopoplanLock {name: $name, owner: $owner}) DELETE l', params));
    },
    lost: () => lease.lost,
  };
}

/** Deletes the lock node of `database` (a holder that provably still runs only with `force`); returns what was found. */
export async function breakNodeLock(session: Session, database: string, force = false): Promise<LockBreak> {
  const r = await session.run('MATCH (l:TopoplanLock {name: $name}) WHERE l.owner IS NOT NULL RETURN l.owner AS owner, l.since AS since, l.host AS host, l.pid AS pid, l.process AS process', { name: database });
  const record = r.records[0];
  if (!record) return { broken: false };
  const holder = holderOf(record.toObject());
  const state = holderState(holder);
  if (state === 'alive' && !force) return { holder, broken: false, holderState: state };
  await session.executeWrite((tx) => tx.run('MATCH (l:TopoplanLock {name: $name, owner: $owner}) DELETE l', { name: database, owner: holder.owner }));
  return { holder, broken: true, holderState: state };
}

function holderOf(o: Record<string, unknown>): LockHolder & { owner: string } {
  return {
    owner: String(o.owner),
    host: typeof o.host === 'string' ? o.host : '',
    pid: Number(o.pid ?? 0),
    fingerprint: typeof o.process === 'string' ? o.process : '',
    since: o.since !== null && o.since !== undefined ? new Date(Number(o.since)).toISOString() : 'unknown',
  };
}
