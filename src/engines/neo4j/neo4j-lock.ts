/**
 * The migration lock of a Neo4j store: a `(:TopoplanLock {name})` node taken
 * with MERGE. The first SET takes the node's write lock before the owner and
 * expiry are read, so two contenders are serialised on that node and only one
 * sees it free. A holder that dies keeps the lock until its lease expires
 * (15 minutes by default).
 *
 * @example
 * const release = await acquireNodeLock(session, { store: 'graph', database: 'neo4j', timeoutMs: 30_000 })
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Session } from 'neo4j-driver';
import { TopoplanError } from '../../errors.js';
import { pause } from '../pause.js';

export interface NodeLockRequest {
  readonly store: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly leaseMs?: number;
  readonly signal?: AbortSignal;
}

const TRY_LOCK = `
MERGE (l:TopoplanLock {name: $name})
SET l.touched = timestamp()
WITH l, (l.owner IS NULL OR l.owner = $owner OR l.expires < timestamp()) AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
  SET l.owner = $owner, l.since = timestamp(), l.expires = timestamp() + $lease)
RETURN l.owner AS owner, l.since AS since`;

export async function acquireNodeLock(session: Session, req: NodeLockRequest): Promise<() => Promise<void>> {
  await session.run('CREATE CONSTRAINT topoplan_lock_name IF NOT EXISTS FOR (l:TopoplanLock) REQUIRE l.name IS UNIQUE');
  const owner = `${os.hostname()} pid ${process.pid} ${randomUUID().slice(0, 8)}`;
  const params = { name: req.database, owner, lease: req.leaseMs ?? 15 * 60_000 };
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const r = await session.executeWrite((tx) => tx.run(TRY_LOCK, params));
    const holder = r.records[0];
    if (holder?.get('owner') === owner) break;
    if (Date.now() >= deadline) {
      const since = holder ? new Date(Number(holder.get('since'))).toISOString() : 'unknown';
      throw new TopoplanError('apply.locked', `apply: store "${req.store}" is locked by another apply (${String(holder?.get('owner'))} since ${since}); waited ${Math.round(req.timeoutMs / 100) / 10}s`);
    }
    await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await session.executeWrite((tx) => tx.run('MATCH (l:TopoplanLock {name: $name, owner: $owner}) DELETE l', params));
  };
}
