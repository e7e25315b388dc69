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
    ["ALTER TABLE t UPDATE a = 0, b = concat(b, 'x,y'), c = 'p, q' WHERE 1", [{ kind: 'update_rows', object: t('t'), columns: ['a', 'b', 'c'] }]],
    ['ALTER TABLE db.t ON CLUSTER c UPDATE `a` = f(x, y) WHERE (true) SETTINGS mutations_sync = 2', [{ kind: 'update_rows', object: t('t', 'db'), columns: ['a'] }]],
    ['ALTER TABLE t MODIFY TTL day + INTERVAL 90 DAY', [{ kind: 'delete_rows', object: t('t'), where: '(day + INTERVAL 90 DAY) <= now()' }]],
    [
      "ALTER TABLE t ON CLUSTER c MODIFY TTL d + INTERVAL 1 WEEK TO VOLUME 'cold', d + INTERVAL 1 MONTH DELETE WHERE kind = 'x, y', d + INTERVAL 1 YEAR GROUP BY k SET a = max(a), b = sum(b) SETTINGS materialize_ttl_after_modify = 0",
      [
        { kind: 'delete_rows', object: t('t'), where: "(d + INTERVAL 1 MONTH) <= now() AND (kind = 'x, y')" },
        { kind: 'delete_rows', object: t('t'), where: '(d + INTERVAL 1 YEAR) <= now()' },
      ],
    ],
    ['ALTER TABLE t MODIFY COLUMN IF EXISTS raw String DEFAULT \'\' TTL toDate(ts) + INTERVAL 1 DAY', [{ kind: 'rewrite_column', object: t('t'), columns: ['raw'], where: '(toDate(ts) + INTERVAL 1 DAY) <= now()' }]],
    ['ALTER TABLE t UPDATE a = 0 IN PARTITION 2024 WHERE 1 = 1', [{ kind: 'update_rows', object: t('t'), columns: ['a'], partition: '2024' }]],
  ])('%s', (sql, expected) => {
    expect(clickhouseDestroys(sql)).toEqual(expected);
  });

  it.each([
    'DROP DICTIONARY d',
    'CREATE TABLE t (a UInt8) ENGINE = Memory',
    "ALTER TABLE t UPDATE a = 1 WHERE b = 'DELETE WHERE'",
    'ALTER TABLE t UPDATE a = 1 WHERE 0',
    'ALTER TABLE t UPDATE a = 1 WHERE 1 = 2',
    'ALTER TABLE t UPDATE a = 1 WHERE 1 AND b > 2',
    "ALTER TABLE t UPDATE a = 'WHERE 1' WHERE id = 1",
    "ALTER TABLE t MODIFY TTL d + INTERVAL 1 DAY TO DISK 'cold', d + INTERVAL 2 DAY RECOMPRESS CODEC(ZSTD(3))",
    'ALTER TABLE t ADD COLUMN a UInt8 TTL d + INTERVAL 1 DAY, REMOVE TTL, MATERIALIZE TTL',
    'ALTER TABLE t MODIFY COLUMN a REMOVE TTL',
    'ALTER TABLE t MODIFY COLUMN a UInt16 COMMENT \'TTL\'',
    'CREATE TABLE t (d Date, a UInt8 TTL d + INTERVAL 1 DAY) ENGINE = MergeTree ORDER BY a TTL d + INTERVAL 1 DAY',
    "INSERT INTO t VALUES ('TRUNCATE t')",
    'OPTIMIZE TABLE t FINAL',
  ])('not destructive: %s', (sql) => {
    expect(clickhouseDestroys(sql)).toEqual([]);
  });
});
