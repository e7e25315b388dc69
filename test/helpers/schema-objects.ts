/**
 * A store's objects as an inspection describes them, written by hand for
 * schema-file and schema-diff tests: a table with a foreign key, a partition
 * with what the database makes for it, an owned and a free sequence, and one
 * object of every other kind.
 */
import type { SchemaObject } from '../../src/engines/schema-objects.js';

export const sampleObjects: SchemaObject[] = [
  { kind: 'table', name: 'public.posts', columns: [{ name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' }, { name: 'title', type: 'text', nullable: true }], constraints: [{ name: 'posts_pkey', type: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)' }] },
  {
    kind: 'table', name: 'public.likes',
    columns: [
      { name: 'id', type: 'bigint', nullable: false, generated: 'identity always' },
      { name: 'post_id', type: 'uuid', nullable: false },
      { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
    ],
    constraints: [
      { name: 'likes_post_id_fkey', type: 'foreign key', columns: ['post_id'], definition: 'FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE', references: { table: 'public.posts', columns: ['id'] } },
      { name: 'likes_pkey', type: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)' },
    ],
  },
  { kind: 'table', name: 'public.events_2024', columns: [{ name: 'at', type: 'date', nullable: false }], constraints: [{ name: 'events_pkey', type: 'primary key', columns: ['at'], definition: 'PRIMARY KEY (at)', inherited: true }], partitionOf: { table: 'public.events', bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')" } },
  { kind: 'index', name: 'public.likes_pkey', table: 'public.likes', definition: 'CREATE UNIQUE INDEX likes_pkey ON public.likes USING btree (id)', unique: true, constraint: 'likes_pkey' },
  { kind: 'index', name: 'public.idx_likes_post', table: 'public.likes', definition: 'CREATE INDEX idx_likes_post ON public.likes USING btree (post_id)', unique: false },
  { kind: 'index', name: 'public.events_2024_at_idx', table: 'public.events_2024', definition: 'CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at)', unique: false, partitionOf: 'public.events_at_idx' },
  { kind: 'sequence', name: 'public.likes_id_seq', type: 'bigint', start: '1', increment: '1', ownedBy: 'public.likes.id' },
  { kind: 'sequence', name: 'public.ticket_seq', type: 'bigint', start: '100', increment: '5' },
  { kind: 'extension', name: 'pgcrypto', version: '1.3', schema: 'public' },
  { kind: 'type', name: 'public.mood', type: 'enum', values: ['sad', 'ok'] },
  { kind: 'view', name: 'public.titles', materialized: false, definition: ' SELECT posts.title\n   FROM posts' },
  { kind: 'trigger', name: 'public.likes.trg_count', table: 'public.likes', definition: 'CREATE TRIGGER trg_count AFTER INSERT ON public.likes FOR EACH ROW EXECUTE FUNCTION fn_count()', function: 'public.fn_count' },
  { kind: 'function', name: 'public.fn_count()', routine: 'public.fn_count', arguments: '', returns: 'trigger', language: 'plpgsql', bodyHash: 'md5:0123456789abcdef0123456789abcdef' },
];
