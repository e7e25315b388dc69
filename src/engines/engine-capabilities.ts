/**
 * What each engine can do, declared apart from the engines themselves so that
 * reading a capability never loads a database driver.
 *
 * @example
 * ENGINE_CAPABILITIES.postgres.transactionalDdl // true
 */
import type { EngineName } from '../sql/effects.js';
import type { EngineCapabilities } from './engine.js';

export const POSTGRES_CAPABILITIES: EngineCapabilities = { transactionalDdl: true, advisoryLocks: true, copy: true, stepBackups: true };
export const CLICKHOUSE_CAPABILITIES: EngineCapabilities = { transactionalDdl: false, advisoryLocks: false, copy: false, stepBackups: true };
export const NEO4J_CAPABILITIES: EngineCapabilities = { transactionalDdl: false, advisoryLocks: false, copy: false, stepBackups: false };

export const ENGINE_CAPABILITIES: Readonly<Record<EngineName, EngineCapabilities>> = { postgres: POSTGRES_CAPABILITIES, clickhouse: CLICKHOUSE_CAPABILITIES, neo4j: NEO4J_CAPABILITIES };
