/**
 * A stable digest of what a store holds (object names and definitions), so a
 * resumed apply can be compared with a clean one.
 *
 * @example
 * schemaFingerprint(await session.inspect()) // 'a3f1…'
 */
import { createHash } from 'node:crypto';
import type { SchemaSnapshot } from '../engines/engine.js';

export function schemaFingerprint(snapshot: SchemaSnapshot): string {
  const h = createHash('sha256');
  for (const k of ['tables', 'views', 'indexes', 'triggers', 'functions', 'extensions', 'types'] as const) h.update(`${k}:${[...snapshot[k]].sort().join(',')}\n`);
  for (const k of Object.keys(snapshot.definitions).sort()) h.update(`${k}=${snapshot.definitions[k]}\n`);
  return h.digest('hex');
}
