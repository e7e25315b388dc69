/**
 * The committed schema files of a topology (`<dir>/<store>.json`), read back
 * in store order. A missing directory holds none; a file that is not a
 * schema file is an error naming it.
 *
 * @example
 * const schemas = await readSchemaDir('topologies/schema/nova-plan-b')
 * schemas.map((s) => s.store) // ['feature_store', 'nova', 'nova_chat', 'nova_features', 'nova_social']
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSchemaFile } from './schema-file.js';
import { shownPath } from './shown-path.js';
import type { StoreSchema } from './store-schema.js';

export async function readSchemaDir(dir: string): Promise<StoreSchema[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const out: StoreSchema[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const schema = parseSchemaFile(await readFile(file, 'utf8'), shownPath(file));
    // The file name is the store's: a copied file keeps its old store inside.
    out.push({ ...schema, store: name.slice(0, -'.json'.length) });
  }
  return out;
}
