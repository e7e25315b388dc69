/**
 * Takes the migration lock of every store an apply touches, store by store:
 * a store another apply holds does not stop the others. All locks are first
 * tried at once without waiting, the common uncontended case. If some are
 * held, the ones taken after the first held store (in name order) are given
 * back, and from there the stores are waited for one by one in name order,
 * all within one deadline: an apply only ever waits while holding stores
 * ordered before the one it waits for, so two applies never wait on each
 * other in a circle. A store whose lock cannot be had within the deadline is
 * reported with the holder's name; its steps fail as locked and only the
 * steps that depend on them are skipped.
 *
 * @example
 * const { releases, failed } = await lockStores(sessions, { timeoutMs: 30_000, onLocked: (s) => emit(...) });
 */
import type { EngineSession, LockOptions } from '../engines/engine.js';

export interface LockStoresOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onLocked?: (store: string) => void;
  /** Lines from the engines while locking (a dead holder's claim broken), per store. */
  readonly onNote?: (store: string, message: string) => void;
}

export interface LockedStores {
  /** Release functions of the locks taken. */
  readonly releases: (() => Promise<void>)[];
  /** Stores whose lock could not be had, with why. */
  readonly failed: Map<string, string>;
}

export async function lockStores(sessions: ReadonlyMap<string, EngineSession>, options: LockStoresOptions): Promise<LockedStores> {
  const ordered = [...sessions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lockOptions = (store: string, timeoutMs: number): LockOptions => ({
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    onNote: (message) => options.onNote?.(store, message),
  });
  const quick = await Promise.allSettled(ordered.map(([store, s]) => s.lock(lockOptions(store, 0))));
  const held = new Map<string, () => Promise<void>>();
  quick.forEach((r, i) => {
    if (r.status === 'fulfilled') held.set(ordered[i]![0], r.value);
  });
  const firstMissing = ordered.findIndex(([store]) => !held.has(store));
  const failed = new Map<string, string>();
  if (firstMissing >= 0) {
    // Hold nothing ordered after a store still to wait for.
    for (const [store] of ordered.slice(firstMissing + 1)) {
      const release = held.get(store);
      if (release) {
        held.delete(store);
        await release().catch(() => undefined);
      }
    }
    const deadline = Date.now() + options.timeoutMs;
    for (const [store, session] of ordered.slice(firstMissing)) {
      try {
        held.set(store, await session.lock(lockOptions(store, Math.max(0, deadline - Date.now()))));
      } catch (e) {
        failed.set(store, (e as Error).message);
        if (options.signal?.aborted) break;
      }
    }
  }
  for (const [store] of ordered) if (held.has(store)) options.onLocked?.(store);
  return { releases: [...held.values()], failed };
}
