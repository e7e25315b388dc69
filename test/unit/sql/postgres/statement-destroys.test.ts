/**
 * What the PostgreSQL reader marks as destructive, statement kind by kind
 * (the golden file of test/fixtures/sql/extra/destructive_postgres.sql holds
 * the whole output): every kind that destroys data, and look-alikes that do not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';

beforeAll(async () => {
  await loadParsers();
});

const destroys = (sql: string) => {
  const f = parseMigrationFile({ file: 'x.sql', text: sql, declaredEngine: 'postgres' });
  expect(f.diagnostics).toEqual([]);
  return f.statements.map((s) => s.destroys ?? []);
};
const t = (name: string, schema = 'public') => ({ kind: 'table', name, schema });

describe('PostgreSQL destructive statements', () => {
  it.each([
    ['DROP TABLE a, s.b', [{ kind: 'drop', object: t('a') }, { kind: 'drop', object: t('b', 's') }]],
    ['DROP TABLE IF EXISTS "Mixed Case" CASCADE', [{ kind: 'drop', object: t('Mixed Case'), cascade: true, ifExists: true }]],
    ['DROP MATERIALIZED VIEW mv', [{ kind: 'drop', object: { kind: 'materialized_view', name: 'mv', schema: 'public' } }]],
    ['DROP SCHEMA s', [{ kind: 'drop', object: { kind: 'schema', name: 's' } }]],
    ['DROP DATABASE old', [{ kind: 'drop', object: { kind: 'database', name: 'old' } }]],
    ['DROP VIEW v CASCADE', [{ kind: 'drop', object: { kind: 'view', name: 'v', schema: 'public' }, cascade: true }]],
    ['DROP TYPE s.mood CASCADE', [{ kind: 'drop', object: { kind: 'type', name: 'mood', schema: 's' }, cascade: true }]],
    ['ALTER TABLE t DROP COLUMN a, DROP COLUMN b', [{ kind: 'drop_column', object: t('t'), columns: ['a', 'b'] }]],
    ['ALTER TABLE t ALTER COLUMN c TYPE int USING c::int', [{ kind: 'rewrite_column', object: t('t'), columns: ['c'] }]],
    ['TRUNCATE a, s.b CASCADE', [{ kind: 'delete_rows', object: t('a'), cascade: true }, { kind: 'delete_rows', object: t('b', 's'), cascade: true }]],
    ['DELETE FROM t', [{ kind: 'delete_rows', object: t('t') }]],
    ['UPDATE t SET a = 1, b = 2', [{ kind: 'update_rows', object: t('t'), columns: ['a', 'b'] }]],
    ['WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM x', [{ kind: 'update_rows', object: t('t'), columns: ['a'] }]],
    ['EXPLAIN (ANALYZE) DELETE FROM t', [{ kind: 'delete_rows', object: t('t') }]],
  ])('%s', (sql, expected) => {
    expect(destroys(sql)).toEqual([expected]);
  });

  it.each([
    'DROP VIEW v',
    'DROP INDEX i',
    'DROP FUNCTION f(int)',
    'DROP TYPE mood',
    'ALTER TABLE t ALTER COLUMN c TYPE bigint',
    'ALTER TABLE t ADD COLUMN c int, DROP CONSTRAINT k',
    'DELETE FROM t WHERE id = 1',
    'UPDATE t SET a = 1 WHERE b',
    'EXPLAIN DELETE FROM t',
    "INSERT INTO t VALUES ('DROP TABLE t')",
    'CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM t $$',
  ])('not destructive: %s', (sql) => {
    expect(destroys(sql)).toEqual([[]]);
  });
});
