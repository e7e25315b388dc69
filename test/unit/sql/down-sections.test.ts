import { describe, expect, it } from 'vitest';
import { blankSections, downMarkerTool, findDownSections } from '../../../src/sql/down-sections.js';

describe('findDownSections', () => {
  it('finds a dbmate down section up to the end of the file', () => {
    const text = '-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n\n';
    expect(findDownSections(text)).toEqual([{ marker: '-- migrate:down', line: 4, endLine: 5, start: 40, end: text.length, sql: 'DROP TABLE t;' }]);
  });

  it('ends a goose down section at the next up marker', () => {
    const text = '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n-- +goose Up\nCREATE TABLE b (id int);\n';
    const [s] = findDownSections(text);
    expect(s).toMatchObject({ marker: '-- +goose Down', line: 3, endLine: 4, sql: 'DROP TABLE a;' });
    expect(text.slice(s!.end)).toBe('-- +goose Up\nCREATE TABLE b (id int);\n');
  });

  it('knows a bare "-- Down" but not a comment that only mentions down', () => {
    expect(findDownSections('CREATE TABLE t (id int);\n--   Down:\nDROP TABLE t;')).toHaveLength(1);
    expect(findDownSections('-- down the road we drop this\nCREATE TABLE t (id int);')).toEqual([]);
  });

  it('blanking keeps every line and byte offset of the rest of the file', () => {
    const text = 'CREATE TABLE t (id int);\n-- Down\nDROP TABLE t; -- café\n';
    const blank = blankSections(text, findDownSections(text));
    expect(Buffer.byteLength(blank)).toBe(Buffer.byteLength(text));
    expect(blank.split('\n')).toHaveLength(text.split('\n').length);
    expect(blank.startsWith('CREATE TABLE t (id int);\n')).toBe(true);
    expect(blank.slice(25).trim()).toBe('');
  });
});

describe('downMarkerTool', () => {
  it('names the tool of each marker', () => {
    expect(['-- +goose Down', '-- migrate:down', '-- Down'].map(downMarkerTool)).toEqual(['goose', 'dbmate', 'sqlx']);
  });
});
