/**
 * The migration lock of a PostgreSQL store: a session-level advisory lock
 * taken with `pg_try_advisory_lock` on the session's connection to the
 * maintenance database (the store's own database may not exist yet), keyed
 * by the store's database name. It is polled, never awaited, so a stuck
 * holder produces a clear error instead of a hung apply, and it vanishes
 * with the connection if the process dies. The connection is the session's
 * own and stays open until the session closes, so the lock lives exactly as
 * long as the process that holds it, without a connection of its own.
 *
 * @example
 * const release = await acquireAdvisoryLock(maintenanceClient, { store: 'nova', database: 'nova', timeoutMs: 30_000 })
 * try { ... } finally { await release() }
 */
import type pg from 'pg';
import { TopoplanError } from '../../errors.js';
import type { LockHolder } from '../engine.js';
import { pause } from '../pause.js';

/** First half of the two-int advisory key: "topo" in ASCII, so other users of advisory locks do not collide. */
const LOCK_NAMESPACE = 0x746f706f;

export interface AdvisoryLockRequest {
  readonly store: string;
  readonly database: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Takes the lock on `client` (connected to the maintenance database) or throws
 * `apply: store "x" is locked by another apply (pid N since T); waited 30s`.
 * The release function unlocks but leaves the connection open for its owner.
 */
export async function acquireAdvisoryLock(client: pg.ClientBase, req: AdvisoryLockRequest): Promise<() => Promise<void>> {
  const key = [LOCK_NAMESPACE, `topoplan:${req.database}`];
  const deadline = Date.now() + req.timeoutMs;
  for (;;) {
    const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok', key);
    if (r.rows[0]?.ok) break;
    if (Date.now() >= deadline) throw new TopoplanError('apply.locked', await lockedMessage(client, req));
    await pause(Math.min(req.pollMs ?? 250, Math.max(1, deadline - Date.now())), req.signal, `the lock of store "${req.store}"`);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await client.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', key);
  };
}

async function lockedMessage(client: pg.ClientBase, req: AdvisoryLockRequest): Promise<string> {
  const holder = await advisoryLockHolder(client, req.database);
  const who = holder ? `pid ${holder.pid} since ${holder.since}${holder.detail ? `, ${holder.detail}` : ''}` : 'holder not visible to this user';
  return `apply: store "${req.store}" is locked by another apply (${who}); waited ${formatWait(req.timeoutMs)}`;
}

/**
 * The server process (backend) holding the lock of `database`, with the
 * client's application name and address; undefined when it is not held, or
 * the holder is not visible to this user.
 */
export async function advisoryLockHolder(client: pg.ClientBase, database: string): Promise<LockHolder | undefined> {
  const r = await client.query<{ pid: number; since: Date | null; app: string | null; addr: string | null }>(
    `SELECT a.pid, a.backend_start AS since, a.application_name AS app, a.client_addr::text AS addr
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::int::oid AND l.objid = hashtext($2)::oid AND l.objsubid = 2
      LIMIT 1`,
    [LOCK_NAMESPACE, `topoplan:${database}`],
  );
  const h = r.rows[0];
  if (!h) return undefined;
  const detail = [h.app ? `"${h.app}"` : '', h.addr ? `from ${h.addr}` : ''].filter(Boolean).join(' ');
  return { host: '', pid: h.pid, fingerprint: '', since: h.since ? h.since.toISOString() : 'unknown', ...(detail ? { detail } : {}) };
}

function formatWait(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
