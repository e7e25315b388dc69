/**
 * SET search_path in a migration file: the statements after it in the file create unqualified objects in its
 * first schema and look for what they use in each of its schemas; RESET, SET ... TO DEFAULT and a new file go
 * back to public; pg_dump's set_config is read too; reverts of such statements name objects as written.
 */
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePostgres } from '../../../../src/sql/postgres/analyze-postgres.js';
import { loadPostgresParser } from '../../../../src/sql/postgres/pg-parser.js';
import { searchPathSet } from '../../../../src/sql/postgres/search-path.js';

beforeAll(async () => {
  await Promise.all([loadModule(), loadPostgresParser()]);
});

const set = (sql: string) => searchPathSet(parseSync(sql).stmts![0]!.stmt);

describe('the search path a statement sets', () => {
  it.each([
    ['SET search_path TO app, public', ['app', 'public']],
    ['SET search_path = "My App"', ['My App']],
    ['SET LOCAL search_path TO app', ['app']],
    ["SET search_path = '$user', app", ['app']],
    ["SELECT pg_catalog.set_config('search_path', 'App, \"Odd\", public', false)", ['app', 'Odd', 'public']],
    ["SELECT set_config('search_path', 'chat', true)", ['chat']],
  ])('%s', (sql, path) => {
    expect(set(sql)).toEqual(path);
  });

  it.each(['RESET search_path', 'SET search_path TO DEFAULT', 'SET search_path TO public', "SET search_path = '$user', public", "SELECT pg_catalog.set_config('search_path', '', false)"])('%s: the default again', (sql) => {
    expect(set(sql)).toBeNull();
  });

  it.each(['SET statement_timeout = 0', "SELECT set_config('work_mem', '64MB', false)", "SELECT other.set_config('search_path', 'x', false)", "SELECT set_config('search_path', 'x', false) FROM t", 'SELECT 1'])('%s: none', (sql) => {
    expect(set(sql)).toBeUndefined();
  });
});

describe('statements after SET search_path', () => {
  const read = (sql: string) => analyzePostgres(sql, 'x.sql').statements;

  it('create unqualified objects in its first schema, and look for what they use in each of its schemas', () => {
    const [setting, create, qualified, reset, after] = read('SET search_path TO chat, public;\nCREATE TABLE messages (id int REFERENCES accounts (id));\nCREATE TABLE public.other (id int);\nRESET search_path;\nCREATE TABLE plain (id int);\n');
    expect(setting!.searchPath).toBeUndefined();
    expect(create!.searchPath).toEqual(['chat', 'public']);
    expect(create!.effects.map((e) => e.object)).toEqual([
      { kind: 'table', name: 'messages', schema: 'chat', searchPath: ['chat', 'public'] },
      { kind: 'table', name: 'accounts', schema: 'chat', searchPath: ['chat', 'public'] },
    ]);
    expect(qualified!.effects[0]!.object).toEqual({ kind: 'table', name: 'other', schema: 'public' });
    expect(reset!.searchPath).toEqual(['chat', 'public']);
    expect(after!.searchPath).toBeUndefined();
    expect(after!.effects[0]!.object).toEqual({ kind: 'table', name: 'plain', schema: 'public' });
  });

  it('with one schema, names are in it; reverts name objects as written, to run under the same path', () => {
    const [, create, index] = read("SELECT pg_catalog.set_config('search_path', 'chat', false);\nCREATE TABLE messages (id int);\nCREATE INDEX idx_m ON messages (id);\n");
    expect(create!.effects[0]!.object).toEqual({ kind: 'table', name: 'messages', schema: 'chat' });
    expect(create!.revert).toEqual({ sql: ['DROP TABLE messages'] });
    expect(index!.revert).toEqual({ sql: ['DROP INDEX idx_m'] });
    expect(read('CREATE TABLE messages (id int);')[0]!.revert).toEqual({ sql: ['DROP TABLE public.messages'] });
  });

  it('start from the default path in every file', () => {
    read('SET search_path TO chat;\n');
    expect(read('CREATE TABLE t (id int);')[0]!.effects[0]!.object).toEqual({ kind: 'table', name: 't', schema: 'public' });
  });
});
