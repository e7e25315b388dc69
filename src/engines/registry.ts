/**
 * Maps an engine name from the topology to its implementation; the only
 * place that knows every engine, so the executor never imports one directly.
 *
 * @example
 * const session = await engineFor(step.engine).connect({ store, database, url })
 */
import type { EngineName } from '../sql/effects.js';
import type { Engine } from './engine.js';
import { postgresEngine } from './postgres/postgres-engine.js';
import { clickhouseEngine } from './clickhouse/clickhouse-engine.js';
import { neo4jEngine } from './neo4j/neo4j-engine.js';

const ENGINES: Readonly<Record<EngineName, Engine>> = {
  postgres: postgresEngine,
  clickhouse: clickhouseEngine,
  neo4j: neo4jEngine,
};

export function engineFor(name: EngineName): Engine {
  return ENGINES[name];
}
