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

const LISTS = ['tables', 'views', 'indexes', 'triggers', 'functions', 'extensions', 'types', 'sequences'] as const;

/**
 * A digest per object: `table public.users` → a hash of its definition, so two
 * states of a store compare object by object.
 *
 * @example
 * objectFingerprints(await session.inspect()) // { 'tables public.users': '9c1e…', 'indexes public.idx_users_email': '…' }
 */
export function objectFingerprints(snapshot: SchemaSnapshot): Record<string, string> {
  const out: Record<string, string> = {};
  const definitions = new Map(Object.entries(snapshot.definitions));
  for (const list of LISTS) {
    for (const name of snapshot[list] ?? []) {
      const singular = SINGULAR[list];
      const def = definitions.get(`${singular} ${name}`) ?? '';
      out[`${singular} ${name}`] = createHash('sha256').update(def).digest('hex').slice(0, 16);
    }
  }
  for (const [k, v] of definitions) out[k] ??= createHash('sha256').update(v).digest('hex').slice(0, 16);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const SINGULAR: Record<(typeof LISTS)[number], string> = {
  tables: 'table', views: 'view', indexes: 'index', triggers: 'trigger', functions: 'function', extensions: 'extension', types: 'type', sequences: 'sequence',
};

/** How two states differ, object by object: `missing table public.users`, `extra index public.i`, `changed view public.v`. */
export function fingerprintDifferences(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expected)) {
    if (!(k in actual)) out.push(`missing ${k}`);
    else if (actual[k] !== v) out.push(`changed ${k}`);
  }
  for (const k of Object.keys(actual)) if (!(k in expected)) out.push(`extra ${k}`);
  return out.sort((a, b) => (a.slice(a.indexOf(' ')) < b.slice(b.indexOf(' ')) ? -1 : 1));
}
