/**
 * Two topologies' committed schemas compared object by object: the Nova
 * example's reviewed files (a database per service in plan B) and a small
 * hand-written pair with an object on one side only and a changed column.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../../src/diff/schema-comparison.js';
import type { SchemaObject, TableObject } from '../../../src/engines/schema-objects.js';
import { readSchemaDir } from '../../../src/schema/read-schema-dir.js';
import { storeSchema } from '../../../src/schema/store-schema.js';
import { sampleObjects } from '../../helpers/schema-objects.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const side = async (p: 'a' | 'b') => ({ topology: `nova-plan-${p}`, dir: `topologies/schema/nova-plan-${p}`, schemas: await readSchemaDir(join(repo, 'topologies', 'schema', `nova-plan-${p}`)) });
const schema = (store: string, objects: readonly SchemaObject[]) => storeSchema({ tables: [], views: [], indexes: [], triggers: [], functions: [], extensions: [], types: [], sequences: [], definitions: {}, objects }, { store, engine: 'postgres', database: store });

describe('compareSchemas', () => {
  it("places each of Nova's objects in its stores in A and B, with the foreign keys a database per service drops", async () => {
    const cmp = compareSchemas(await side('a'), await side('b'));
    expect(cmp.identical).toBe(false);
    expect(cmp.b.stores).toEqual(['feature_store', 'nova', 'nova_chat', 'nova_features', 'nova_social']);
    const by = new Map(cmp.objects.map((o) => [`${o.kind} ${o.name}`, o]));
    expect(by.get('table public.likes')).toEqual({ kind: 'table', name: 'public.likes', a: ['nova'], b: ['nova_social'], change: 'same', moved: true, details: [] });
    expect(by.get('table public.users')).toMatchObject({ a: ['nova'], b: ['nova'], change: 'same', moved: false });
    expect(by.get('table public.messages')).toMatchObject({ a: ['nova'], b: ['nova_chat'], change: 'changed', moved: true, details: ['constraint "messages_sender_id_fkey" removed (FOREIGN KEY (sender_id) REFERENCES users(id))'] });
    // A shared function: one copy in A, one in each store that uses it in B.
    expect(by.get('function public.update_updated_at_column()')).toMatchObject({ a: ['nova'], b: ['nova', 'nova_features'], moved: true });
    expect(by.get('table feature_store.features')).toMatchObject({ a: ['feature_store'], b: ['feature_store'], change: 'same', moved: false });
    expect(cmp.objects.filter((o) => o.change === 'changed').map((o) => o.name)).toEqual([
      'public.conversation_members', 'public.conversation_read_states', 'public.conversations', 'public.message_reactions', 'public.message_recalls', 'public.messages',
    ]);
  });

  it('an object on one side only is added or removed; a column of another type is a change; the same schema is identical', () => {
    const posts = sampleObjects.find((o) => o.name === 'public.posts') as TableObject;
    const wider: TableObject = { ...posts, columns: [posts.columns[0]!, { name: 'title', type: 'character varying(200)', nullable: false }] };
    const a = { topology: 'one', dir: 'schema/one', schemas: [schema('app', sampleObjects)] };
    const b = { topology: 'two', dir: 'schema/two', schemas: [schema('app', [...sampleObjects.filter((o) => o.name !== 'public.titles' && o.name !== 'public.posts'), wider, { kind: 'extension', name: 'citext', version: '1.6', schema: 'public' }])] };
    const cmp = compareSchemas(a, b);
    expect(cmp.objects.filter((o) => o.change !== 'same').map((o) => [o.change, o.kind, o.name, o.a, o.b, o.details])).toEqual([
      ['added', 'extension', 'citext', [], ['app'], []],
      ['changed', 'table', 'public.posts', ['app'], ['app'], ['column "title": text → character varying(200) not null']],
      ['removed', 'view', 'public.titles', ['app'], [], []],
    ]);
    // What the database makes by itself is not compared (schema files leave it out).
    expect(cmp.objects.map((o) => o.name)).not.toContain('public.likes_pkey');
    expect(compareSchemas(a, { ...a, topology: 'copy' }).identical).toBe(true);
  });
});
