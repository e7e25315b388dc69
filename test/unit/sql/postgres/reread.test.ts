import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';
import { reread } from '../../../../src/sql/postgres/reread.js';
import type { ParsedStatement } from '../../../../src/sql/effects.js';

beforeAll(async () => loadParsers());

const first = (sql: string) => parseMigrationFile({ file: 't.sql', text: sql, declaredEngine: 'postgres' }).statements[0]!;

describe('reread', () => {
  it('reads the statement node once per statement, and gives `none` for other kinds', () => {
    const kept = new WeakMap<ParsedStatement, string>();
    let reads = 0;
    const name = (s: ParsedStatement) => reread(s, 'CreateStmt', 'test-name', kept, (body) => (reads++, body.relation.relname as string), '-');
    const stmt = first('CREATE TABLE accounts (id int)');
    expect([name(stmt), name(stmt)]).toEqual(['accounts', 'accounts']);
    expect(reads).toBe(1);
    expect(name(first('CREATE INDEX i ON accounts (id)'))).toBe('-');
  });

  it('gives `none` for text the parser rejects', () => {
    const stmt = { ...first('CREATE TABLE t (id int)'), sql: 'CREATE TABLE (' };
    expect(reread(stmt, 'CreateStmt', 'test-broken', new WeakMap(), () => 'read', 'none')).toBe('none');
  });
});
