import type { SchemaSnapshot } from './engine.js';

/**
 * The snapshot of a store that holds nothing yet (its database does not exist).
 *
 * @example if (!exists) return emptySnapshot()
 */
export function emptySnapshot(): SchemaSnapshot {
  return { tables: [], views: [], indexes: [], triggers: [], functions: [], extensions: [], types: [], sequences: [], definitions: {}, objects: [] };
}
