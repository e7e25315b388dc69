import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../../src/engines/snapshot-of.js';
import { checkSchemaExpectation, sameType } from '../../../src/execute/schema-expectations.js';
import { sampleObjects } from '../../helpers/schema-objects.js';

const pos = { file: 't.yaml', line: 1, column: 1 };
const snap = snapshotOf(sampleObjects, () => '');

describe('schema expectations', () => {
  it('compare types as a migration writes them with how the server prints them', () => {
    expect(sameType('varchar(255)', 'character varying(255)')).toBe(true);
    expect(sameType('VARCHAR( 255 )', 'character varying(255)')).toBe(true);
    expect(sameType('timestamptz', 'timestamp with time zone')).toBe(true);
    expect(sameType('timestamptz(3)', 'timestamp(3) with time zone')).toBe(true);
    expect(sameType('int[]', 'integer[]')).toBe(true);
    expect(sameType('numeric(10, 2)', 'numeric(10,2)')).toBe(true);
    expect(sameType('bigserial', 'bigint')).toBe(true);
    expect(sameType('Nullable(String)', 'Nullable(String)')).toBe(true);
    expect(sameType('text', 'character varying(200)')).toBe(false);
    expect(sameType('int', 'bigint')).toBe(false);
    expect(sameType('timestamp', 'timestamp with time zone')).toBe(false);
  });

  it('match bare and qualified names, functions by name or signature, enums by their labels in order', () => {
    expect(checkSchemaExpectation({ kind: 'objects', objectKind: 'function', store: 's', present: ['fn_count', 'public.fn_count()', 'fn_count( )'], absent: [], after: 'apply', pos }, snap).ok).toBe(true);
    expect(checkSchemaExpectation({ kind: 'objects', objectKind: 'enum', store: 's', present: [], absent: [], values: { mood: ['sad', 'ok'] }, after: 'apply', pos }, snap).ok).toBe(true);
    expect(checkSchemaExpectation({ kind: 'objects', objectKind: 'enum', store: 's', present: [], absent: [], values: { mood: ['ok', 'sad'] }, after: 'apply', pos }, snap).message).toBe('enum "mood" has values sad, ok, expected ok, sad');
    expect(checkSchemaExpectation({ kind: 'objects', objectKind: 'enum', store: 's', present: ['titles'], absent: [], after: 'apply', pos }, snap).message).toBe('missing enums: titles');
    expect(checkSchemaExpectation({ kind: 'foreignKeys', store: 's', present: [{ from: 'public.likes', to: 'posts' }], absent: [{ from: 'posts', to: 'likes' }], after: 'apply', pos }, snap).ok).toBe(true);
    expect(checkSchemaExpectation({ kind: 'columns', store: 's', table: 'missing', present: [], absent: [], after: 'apply', pos }, snap).message).toBe('table "missing" does not exist');
  });
});
