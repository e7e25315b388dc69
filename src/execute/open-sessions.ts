/**
 * Opens an engine session for every store that has a connection url; stores
 * without one are left out (callers report them as not reachable).
 *
 * @example
 * const sessions = await openSessions(plan.stores, connections);
 * try { ... } finally { await closeSessions(sessions) }
 */
import type { EngineSession } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import type { EngineName } from '../sql/effects.js';

export async function openSessions(
  stores: Iterable<{ readonly name: string; readonly engine: EngineName; readonly database: string; readonly cluster?: string; readonly replicated?: boolean }>,
  connections: Readonly<Record<string, string | undefined>>,
): Promise<Map<string, EngineSession>> {
  const sessions = new Map<string, EngineSession>();
  try {
    for (const s of stores) {
      const url = connections[s.name];
      const cluster = s.cluster ? { cluster: s.cluster, ...(s.replicated ? { replicated: true } : {}) } : {};
      if (url) sessions.set(s.name, await engineFor(s.engine).connect({ store: s.name, database: s.database, url, ...cluster }));
    }
  } catch (e) {
    await closeSessions(sessions);
    throw e;
  }
  return sessions;
}

export async function closeSessions(sessions: ReadonlyMap<string, EngineSession>): Promise<void> {
  for (const s of sessions.values()) await s.close().catch(() => undefined);
}
