/**
 * What `topoplan unlock` says of a store's lock after trying to break it: a
 * line for standard output when the store is unlocked (or was not locked),
 * or a warning with a hint when the lock is still held.
 *
 * @example
 * unlockMessage('events', { broken: true, holderState: 'dead', holder: { host: 'ci-7', pid: 4242, fingerprint: '', since: '2026-01-02T03:04:05.000Z' } })
 * // { out: 'unlock: broke the lock of store "events" held by ci-7 pid 4242 since 2026-01-02T03:04:05.000Z (that process has ended)\n' }
 */
import type { LockBreak } from '../engines/engine.js';

export type UnlockMessage = { readonly out: string } | { readonly warning: string };

export function unlockMessage(store: string, r: LockBreak): UnlockMessage {
  const h = r.holder;
  if (!h) return { out: `unlock: store "${store}" is not locked\n` };
  const who = `${h.host ? `${h.host} ` : ''}pid ${h.pid} since ${h.since}${h.detail ? `, ${h.detail}` : ''}`;
  if (r.broken) {
    const state = r.holderState === 'dead' ? 'that process has ended' : r.holderState === 'alive' ? 'that process still runs: it will find its lock lost and start no new step' : 'whether that process still runs cannot be told from here';
    return { out: `unlock: broke the lock of store "${store}" held by ${who} (${state})\n` };
  }
  if (r.hint) return { warning: `unlock: store "${store}" is locked by ${who}\n  hint: ${r.hint}` };
  return { warning: `unlock: store "${store}" is locked by ${who}, which still runs on this host; the lock was kept\n  hint: wait for it, stop it, or break the lock anyway with --force` };
}
