import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../../src/engines/snapshot-of.js';
import { parseSchemaFile, renderSchemaFile } from '../../../src/schema/schema-file.js';
import { diffSchemas } from '../../../src/schema/diff-schemas.js';
import { storeSchema } from '../../../src/schema/store-schema.js';
import { sampleObjects as objects } from '../../helpers/schema-objects.js';

const snapshot = snapshotOf(objects, () => '');
const schema = storeSchema(snapshot, { store: 'nova', engine: 'postgres', database: 'nova' });

describe('schema files', () => {
  it('leave out what the database made by itself and what depends on the server version', () => {
    const names = schema.objects.map((o) => `${o.kind} ${o.name}`);
    expect(names).not.toContain('index public.likes_pkey');
    expect(names).not.toContain('index public.events_2024_at_idx');
    expect(names).not.toContain('sequence public.likes_id_seq');
    expect(names).toContain('sequence public.ticket_seq');
    expect(names).toContain('index public.idx_likes_post');
    const partition = schema.objects.find((o) => o.name === 'public.events_2024');
    expect(partition).toMatchObject({ constraints: [] });
    const text = renderSchemaFile(schema);
    expect(text).not.toContain('1.3');
    expect(text).toContain('"definition": "SELECT posts.title FROM posts"');
  });

  it('put one column, constraint, index and function per line, sections in a fixed order', () => {
    const text = renderSchemaFile(schema);
    expect(text).toContain('        { "name": "created_at", "type": "timestamp with time zone", "nullable": false, "default": "now()" }\n      ],\n');
    expect(text).toContain('{ "name": "likes_post_id_fkey", "type": "foreign key", "columns": ["post_id"], "references": { "table": "public.posts", "columns": ["id"] }, "definition": "FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE" }');
    expect(text).toContain('    "public.idx_likes_post": { "table": "public.likes", "unique": false, "definition": "CREATE INDEX idx_likes_post ON public.likes USING btree (post_id)" }\n');
    expect(text).toContain('    "public.fn_count()": { "returns": "trigger", "language": "plpgsql", "bodyHash": "md5:0123456789abcdef0123456789abcdef" }\n');
    const sections = [...text.matchAll(/^ {2}"(\w+)": [{"]/gm)].map((m) => m[1]);
    expect(sections).toEqual(['format', 'store', 'engine', 'database', 'after', 'extensions', 'types', 'sequences', 'tables', 'views', 'indexes', 'triggers', 'functions']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('read back to the same schema and render byte for byte the same', () => {
    const text = renderSchemaFile(schema);
    const back = parseSchemaFile(text, 'schema/nova.json');
    expect(renderSchemaFile(back)).toBe(text);
    expect(diffSchemas(schema.objects, back.objects)).toEqual([]);
    expect(back.objects.find((o) => o.kind === 'function')).toMatchObject({ routine: 'public.fn_count', arguments: '' });
  });

  it('reject a file that is not a schema file, saying how to write it again', () => {
    expect(() => parseSchemaFile('{ "format": "other" }', 'schema/x.json')).toThrow(/schema: "schema\/x.json" is not a topoplan-schema\/1 file; write it again with `topoplan check --update`/);
    expect(() => parseSchemaFile('{ nope', 'schema/x.json')).toThrow(/is not valid JSON/);
    expect(() => parseSchemaFile('{ "format": "topoplan-schema/1", "tables": [1] }', 'schema/x.json')).toThrow(/"tables" that is not a map of names/);
  });
});
