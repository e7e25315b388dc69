/**
 * Maps an engine name from the topology to its implementation; the only
 * place that knows every engine, so the executor never imports one directly.
 * An engine's module (and its driver: pg, @clickhouse/client, neo4j-driver)
 * is loaded at its first connect, so a command that plans or validates never
 * pays for loading drivers.
 *
 * @example
 * const session = await engineFor(step.engine).connect({ store, database, url })
 */
import type { EngineName } from '../sql/effects.js';
import type { Engine } from './engine.js';
import { ENGINE_CAPABILITIES } from './engine-capabilities.js';

const LOAD: Readonly<Record<EngineName, () => Promise<Engine>>> = {
  postgres: async () => (await import('./postgres/postgres-engine.js')).postgresEngine,
  clickhouse: async () => (await import('./clickhouse/clickhouse-engine.js')).clickhouseEngine,
  neo4j: async () => (await import('./neo4j/neo4j-engine.js')).neo4jEngine,
};

/** An engine whose module loads at its first connect, once: later connects (one per store and apply) do not resolve it again. */
function lazy(name: EngineName): Engine {
  let loaded: Promise<Engine> | undefined;
  const load = () => (loaded ??= LOAD[name]().catch((e: unknown) => { loaded = undefined; throw e; }));
  return { name, capabilities: ENGINE_CAPABILITIES[name], connect: async (options) => (await load()).connect(options) };
}

const ENGINES: Readonly<Record<EngineName, Engine>> = { postgres: lazy('postgres'), clickhouse: lazy('clickhouse'), neo4j: lazy('neo4j') };

export function engineFor(name: EngineName): Engine {
  return ENGINES[name];
}
