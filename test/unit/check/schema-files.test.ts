import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../../src/check/schema-files.js';
import { snapshotOf } from '../../../src/engines/snapshot-of.js';
import { renderSchemaFile } from '../../../src/schema/schema-file.js';
import { storeSchema, type StoreSchema } from '../../../src/schema/store-schema.js';
import { sampleObjects } from '../../helpers/schema-objects.js';

const schemaOf = (store: string, after: 'apply' | 'contract' = 'apply', drop: string[] = []): StoreSchema =>
  storeSchema(snapshotOf(sampleObjects.filter((o) => !drop.includes(o.name)), () => ''), { store, engine: 'postgres', database: store, after });
const options = { update: false, comparable: true, contractStores: new Set<string>(['app']) };

describe('schema files of a check', () => {
  it('are missing until written, then the same; a changed schema lists its changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-sf-'));
    expect((await schemaFiles([schemaOf('app')], dir, options)).map((f) => f.status)).toEqual(['missing']);
    expect((await schemaFiles([schemaOf('app')], dir, { ...options, update: true })).map((f) => f.status)).toEqual(['written']);
    expect(readFileSync(join(dir, 'app.json'), 'utf8')).toBe(renderSchemaFile(schemaOf('app')));
    expect((await schemaFiles([schemaOf('app')], dir, options)).map((f) => f.status)).toEqual(['same']);
    const [changed] = await schemaFiles([schemaOf('app', 'apply', ['public.titles'])], dir, options);
    expect(changed).toMatchObject({ status: 'changed', changes: [{ change: 'removed', kind: 'view', name: 'public.titles' }] });
    // Rewriting shows what the new file changes.
    const [rewritten] = await schemaFiles([schemaOf('app', 'apply', ['public.titles'])], dir, { ...options, update: true });
    expect(rewritten).toMatchObject({ status: 'written', changes: [{ change: 'removed', name: 'public.titles' }] });
  });

  it('compare a file written after the contract phase only with a check that ran it, for stores that have one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-sf-'));
    writeFileSync(join(dir, 'app.json'), renderSchemaFile(schemaOf('app', 'contract')));
    writeFileSync(join(dir, 'other.json'), renderSchemaFile(schemaOf('other', 'contract')));
    const results = await schemaFiles([schemaOf('app', 'apply'), schemaOf('other', 'apply')], dir, options);
    expect(results.map((f) => [f.store, f.status])).toEqual([['app', 'other-phase'], ['other', 'same']]);
  });

  it('report a file of a store the plan no longer has, and remove it on update; leave other JSON alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-sf-'));
    writeFileSync(join(dir, 'gone.json'), renderSchemaFile(schemaOf('gone')));
    writeFileSync(join(dir, 'notes.json'), '{ "mine": true }');
    const [stale] = await schemaFiles([], dir, options);
    expect(stale).toMatchObject({ store: 'gone', status: 'changed' });
    expect(stale!.changes.every((c) => c.change === 'removed')).toBe(true);
    await schemaFiles([], dir, { ...options, update: true });
    expect(existsSync(join(dir, 'gone.json'))).toBe(false);
    expect(existsSync(join(dir, 'notes.json'))).toBe(true);
  });

  it('neither compare nor write after a failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-sf-'));
    expect(await schemaFiles([schemaOf('app')], dir, { ...options, update: true, comparable: false })).toEqual([]);
    expect(existsSync(join(dir, 'app.json'))).toBe(false);
    writeFileSync(join(dir, 'app.json'), renderSchemaFile(schemaOf('app')));
    expect((await schemaFiles([schemaOf('app', 'apply', ['public.titles'])], dir, { ...options, comparable: false })).map((f) => f.status)).toEqual(['not-compared']);
  });
});
