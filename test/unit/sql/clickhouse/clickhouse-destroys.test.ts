/**
 * What the ClickHouse reader marks as destructive, statement kind by kind
 * (test/fixtures/sql/extra/clickhouse_destructive.sql has the golden output).
 */
import { describe, expect, it } from 'vitest';
import { clickhouseDestroys } from '../../../../src/sql/clickhouse/clickhouse-destroys.js';

const t = (name: string, schema?: string) => ({ kind: 'table', name, ...(schema ? { schema } : {}) });

describe('ClickHouse destructive statements', () => {
  it.each([
    ['DROP TABLE IF EXISTS db.t ON CLUSTER c SYNC', [{ kind: 'drop', object: t('t', 'db'), ifExists: true }]],
    ['DROP VIEW mv', [{ kind: 'drop', object: { kind: 'view', name: 'mv' } }]],
    ['DROP DATABASE `old db`', [{ kind: 'drop', object: { kind: 'database', name: 'old db' } }]],
    ['TRUNCATE t', [{ kind: 'delete_rows', object: t('t') }]],
    ['TRUNCATE TABLE IF EXISTS db.t', [{ kind: 'delete_rows', object: t('t', 'db'), ifExists: true }]],
    ["ALTER TABLE t DELETE WHERE note = 'a, DROP COLUMN b'", [{ kind: 'delete_rows', object: t('t'), where: "note = 'a, DROP COLUMN b'" }]],
    ['ALTER TABLE t ON CLUSTER c DELETE IN PARTITION 2024 WHERE x > 1', [{ kind: 'delete_rows', object: t('t'), where: 'x > 1', partition: '2024' }]],
    ['DELETE FROM db.t WHERE day < today()', [{ kind: 'delete_rows', object: t('t', 'db'), where: 'day < today()' }]],
    ['ALTER TABLE t DROP PARTITION (2024, 1), DROP PART \'all_1_1_0\'', [{ kind: 'delete_rows', object: t('t'), partition: '(2024, 1)' }, { kind: 'delete_rows', object: t('t'), partition: "'all_1_1_0'" }]],
    ['ALTER TABLE t REPLACE PARTITION 2024 FROM staging', [{ kind: 'delete_rows', object: t('t'), partition: '2024' }]],
    ['ALTER TABLE t ADD COLUMN z Int8, DROP COLUMN a, DROP COLUMN IF EXISTS `b c`', [{ kind: 'drop_column', object: t('t'), columns: ['a', 'b c'] }]],
    ['ALTER TABLE t CLEAR COLUMN a', [{ kind: 'rewrite_column', object: t('t'), columns: ['a'] }]],
    ['CREATE OR REPLACE TABLE t (a UInt8) ENGINE = Memory', [{ kind: 'replace', object: t('t') }]],
    ['REPLACE TABLE t (a UInt8) ENGINE = Memory', [{ kind: 'replace', object: t('t') }]],
  ])('%s', (sql, expected) => {
    expect(clickhouseDestroys(sql)).toEqual(expected);
  });

  it.each([
    'DROP DICTIONARY d',
    'CREATE TABLE t (a UInt8) ENGINE = Memory',
    "ALTER TABLE t UPDATE a = 1 WHERE b = 'DELETE WHERE'",
    'ALTER TABLE t ADD COLUMN a UInt8, MODIFY TTL d + INTERVAL 1 DAY',
    "INSERT INTO t VALUES ('TRUNCATE t')",
    'OPTIMIZE TABLE t FINAL',
  ])('not destructive: %s', (sql) => {
    expect(clickhouseDestroys(sql)).toEqual([]);
  });
});
