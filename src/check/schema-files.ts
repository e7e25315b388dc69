/**
 * A check's schemas against the committed files (`<dir>/<store>.json`):
 * compared, or written with `update`. A file for a store the plan no longer
 * has is reported (and removed by `update`); a file written after the
 * contract phase is only compared with a check that ran it too.
 *
 * @example
 * const results = await schemaFiles(schemas, 'topologies/schema/nova-plan-a', { update: false, comparable: true, contractStores: new Set(['nova']) })
 * results[0] // { store: 'nova', file: 'topologies/schema/nova-plan-a/nova.json', status: 'same', changes: [] }
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffSchemas } from '../schema/diff-schemas.js';
import { parseSchemaFile, renderSchemaFile } from '../schema/schema-file.js';
import type { StoreSchema } from '../schema/store-schema.js';
import { shownPath } from '../schema/shown-path.js';
import type { SchemaFileResult } from './check-result.js';

export interface SchemaFileOptions {
  /** Write the files instead of comparing. */
  readonly update: boolean;
  /** False when the check failed: its result is not the plan's, so nothing is compared or written. */
  readonly comparable: boolean;
  /** Stores with contract-phase steps, whose schema depends on whether that phase ran. */
  readonly contractStores: ReadonlySet<string>;
}

export async function schemaFiles(schemas: readonly StoreSchema[], dir: string, options: SchemaFileOptions): Promise<SchemaFileResult[]> {
  const out: SchemaFileResult[] = [];
  const fileOf = (store: string) => path.join(dir, `${store}.json`);
  for (const schema of schemas) {
    const file = fileOf(schema.store);
    const shown = shownPath(file);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (!options.comparable) {
      if (text !== undefined) out.push({ store: schema.store, file: shown, status: 'not-compared', changes: [] });
    }
    else if (options.update) {
      const next = renderSchemaFile(schema);
      if (text !== next) {
        await mkdir(dir, { recursive: true });
        await writeFile(file, next);
      }
      out.push({ store: schema.store, file: shown, status: text === next ? 'same' : 'written', changes: text === undefined ? [] : diffSchemas(parseSchemaFile(text, shown).objects, schema.objects) });
    } else if (text === undefined) out.push({ store: schema.store, file: shown, status: 'missing', changes: [] });
    else {
      const committed = parseSchemaFile(text, shown);
      if (committed.after !== schema.after && options.contractStores.has(schema.store)) out.push({ store: schema.store, file: shown, status: 'other-phase', changes: [] });
      else {
        const changes = diffSchemas(committed.objects, schema.objects);
        out.push({ store: schema.store, file: shown, status: changes.length ? 'changed' : 'same', changes });
      }
    }
  }
  const stores = new Set(schemas.map((s) => s.store));
  for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort()) {
    const store = name.slice(0, -'.json'.length);
    if (stores.has(store)) continue;
    const file = path.join(dir, name);
    const shown = shownPath(file);
    let committed: StoreSchema;
    try {
      committed = parseSchemaFile(await readFile(file, 'utf8'), shown);
    } catch {
      continue; // not one of ours
    }
    if (options.update && options.comparable) await rm(file);
    out.push({ store, file: shown, status: options.update && options.comparable ? 'written' : 'changed', changes: diffSchemas(committed.objects, []) });
  }
  return out;
}
