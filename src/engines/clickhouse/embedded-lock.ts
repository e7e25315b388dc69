/**
 * The migration lock of a store on embedded ClickHouse (chdb), held in this
 * process. chdb takes one process per data directory (it locks
 * `PATH/status` while the directory is open, and the lock goes with a killed
 * process; see chdb-holder.ts), and a session keeps the directory open from
 * before it locks until after it releases. So no other process can reach the
 * store while a claim is held here, and what is left to exclude is another
 * apply in this same process: claims are kept in memory, one per data
 * directory and database. Nothing is written to the database, which saves
 * the claim table's create, inserts and reads of a server's lock
 * (clickhouse-lock.ts); a killed apply leaves no claim behind.
 *
 * The claim behaves as a server's does: a second claimant waits (polling)
 * up to its timeout and is then told who holds it since when; breaking it on
 * purpose (`topoplan unlock --force` from a library caller of this process)
 * marks the holder's lock lost, so its session starts no new step.
 *
 * @example
 * const lock = await acquireEmbeddedLock('/data/ch', { store: 'analytics', database: 'analytics', timeoutMs: 30_000 })
 * try { ... if (lock.lost()) stop() } finally { await lock.release() }
 */
import { randomUUID } from 'node:crypto';
import { TopoplanError } from '../../errors.js';
import type { LockBreak, LockHolder } from '../engine.js';
import { pause } from '../pause.js';
import { describeProcess, thisProcess } from '../process-identity.js';
import type { TableLock, TableLockRequest } from './clickhouse-lock.js';

interface Claim {
  readonly owner: string;
  readonly holder: LockHolder;
  lost: boolean;
}

const claims = new Map<string, Claim>();
const keyOf = (path: string, database: string) => `${path}\u0000${database}`;

export async function acquireEmbeddedLock(path: string, req: Pick<TableLockRequest, 'store' | 'database' | 'timeoutMs' | 'pollMs' | 'signal'>): Promise<TableLock> {
  const key = keyOf(path, req.database);
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const held = claims.get(key);
    if (!held) break;
    if (Date.now() >= deadline) {
      throw new TopoplanError('apply.locked', `apply: store "${req.store}" is locked by another apply (${describe(held.holder)}); waited ${Math.round(req.timeoutMs / 100) / 10}s`);
    }
    await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
  }
  const me = thisProcess();
  const claim: Claim = { owner: randomUUID(), holder: { host: me.host, pid: me.pid, fingerprint: me.fingerprint, since: new Date().toISOString() }, lost: false };
  claims.set(key, claim);
  return {
    async release() {
      if (claims.get(key) === claim) claims.delete(key);
    },
    lost: () => claim.lost,
  };
}

/** Breaks the claim on `database` held in this process, only with `force` (its holder runs: it is this process). */
export function breakEmbeddedLock(path: string, database: string, force = false): LockBreak {
  const key = keyOf(path, database);
  const held = claims.get(key);
  if (!held) return { broken: false };
  if (!force) return { holder: held.holder, broken: false, holderState: 'alive' };
  held.lost = true;
  claims.delete(key);
  return { holder: held.holder, broken: true, holderState: 'alive' };
}

function describe(h: LockHolder): string {
  return `${describeProcess({ host: h.host, pid: h.pid })} since ${h.since}`;
}
