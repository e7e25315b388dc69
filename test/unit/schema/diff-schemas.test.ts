import { describe, expect, it } from 'vitest';
import type { SchemaObject } from '../../../src/engines/schema-objects.js';
import { snapshotOf } from '../../../src/engines/snapshot-of.js';
import { diffSchemas } from '../../../src/schema/diff-schemas.js';
import { renderSchemaDiff } from '../../../src/schema/render-schema-diff.js';
import { storeSchema } from '../../../src/schema/store-schema.js';
import { sampleObjects as objects } from '../../helpers/schema-objects.js';

const schema = storeSchema(snapshotOf(objects, () => ''), { store: 'nova', engine: 'postgres', database: 'nova' });

describe('schema diffs', () => {
  const change = (edit: (o: SchemaObject[]) => SchemaObject[]) => diffSchemas(schema.objects, storeSchema(snapshotOf(edit(structuredClone(objects)), () => ''), { store: 'nova', engine: 'postgres', database: 'nova' }).objects);

  it('name each column and constraint that changed, was added or removed', () => {
    const changes = change((os) => os.map((o) => {
      if (o.name !== 'public.likes' || o.kind !== 'table') return o;
      return {
        ...o,
        columns: [o.columns[0]!, { ...o.columns[2]!, nullable: true, default: undefined } as never, { name: 'weight', type: 'integer', nullable: true }],
        constraints: [{ ...o.constraints[0]!, definition: 'FOREIGN KEY (post_id) REFERENCES posts(id)' }],
      };
    }));
    expect(changes).toEqual([{
      change: 'changed', kind: 'table', name: 'public.likes',
      details: [
        'column "post_id" removed (uuid not null)',
        'column "created_at": timestamp with time zone not null default now() → timestamp with time zone',
        'column "weight" added (integer)',
        'constraint "likes_post_id_fkey": FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE → FOREIGN KEY (post_id) REFERENCES posts(id)',
        'constraint "likes_pkey" removed (PRIMARY KEY (id))',
      ],
    }]);
  });

  it('list added and removed objects in kind order, and changed fields of other kinds', () => {
    const changes = change((os) => [
      ...os.filter((o) => o.name !== 'public.titles').map((o) => (o.kind === 'function' ? { ...o, bodyHash: 'md5:ffff' } : o.kind === 'type' ? { ...o, values: ['sad', 'ok', 'glad'] } : o)),
      { kind: 'index', name: 'public.idx_new', table: 'public.posts', definition: 'CREATE INDEX idx_new ON public.posts USING btree (title)', unique: false },
    ]);
    const text = renderSchemaDiff(changes);
    expect(text).toBe([
      '  ~ type public.mood',
      '      values: ["sad","ok"] → ["sad","ok","glad"]',
      '  - view public.titles: SELECT posts.title FROM posts',
      '  + index public.idx_new: CREATE INDEX idx_new ON public.posts USING btree (title)',
      '  ~ function public.fn_count()',
      '      bodyHash: md5:0123456789abcdef0123456789abcdef → md5:ffff',
    ].join('\n'));
  });

  it('say when only the order of columns changed', () => {
    const changes = change((os) => os.map((o) => (o.kind === 'table' && o.name === 'public.posts' ? { ...o, columns: [...o.columns].reverse() } : o)));
    expect(changes.map((c) => c.details)).toEqual([['column order: id, title → title, id']]);
  });
});
