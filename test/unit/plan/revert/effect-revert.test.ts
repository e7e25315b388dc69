import { beforeAll, describe, expect, it } from 'vitest';
import { effectRevert } from '../../../../src/plan/revert/effect-revert.js';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';

beforeAll(async () => {
  await loadParsers();
});

const ch = (sql: string, cluster?: string) => effectRevert(parseMigrationFile({ file: 'a.sql', text: sql, declaredEngine: 'clickhouse' }).statements[0]!, { database: 'analytics', ...(cluster ? { cluster } : {}) });
const cypher = (text: string) => effectRevert(parseMigrationFile({ file: 'g.cypher', text }).statements[0]!, { database: 'neo4j' });

describe('effectRevert: ClickHouse statements', () => {
  it.each([
    ['CREATE TABLE events (id UInt64) ENGINE = MergeTree ORDER BY id', 'DROP TABLE `analytics`.`events`'],
    ['CREATE TABLE obs.events (id UInt64) ENGINE = MergeTree ORDER BY id', 'DROP TABLE `obs`.`events`'],
    ['CREATE VIEW v AS SELECT 1', 'DROP VIEW `analytics`.`v`'],
    ['CREATE MATERIALIZED VIEW mv TO events AS SELECT 1 AS id', 'DROP TABLE `analytics`.`mv`'],
    ["CREATE DICTIONARY d (id UInt64) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'events')) LAYOUT(FLAT()) LIFETIME(0)", 'DROP DICTIONARY `analytics`.`d`'],
    ['CREATE DATABASE IF NOT EXISTS other', 'DROP DATABASE `other`'],
    ['ALTER TABLE events ADD INDEX ix id TYPE minmax GRANULARITY 1', 'ALTER TABLE `analytics`.`events` DROP INDEX `ix`'],
    ['ALTER TABLE events ADD COLUMN note String', 'ALTER TABLE `analytics`.`events` DROP COLUMN `note`'],
    ['RENAME TABLE old_events TO events', 'RENAME TABLE `analytics`.`events` TO `analytics`.`old_events`'],
    ['RENAME TABLE analytics.events TO archive.events', 'RENAME TABLE `archive`.`events` TO `analytics`.`events`'],
    ['RENAME TABLE archive.events TO events', 'RENAME TABLE `analytics`.`events` TO `archive`.`events`'],
    ['RENAME DICTIONARY names TO names_v1', 'RENAME DICTIONARY `analytics`.`names_v1` TO `analytics`.`names`'],
    ['RENAME DATABASE scratch TO scratch_v1', 'RENAME DATABASE `scratch_v1` TO `scratch`'],
  ])('%s → %s', (sql, expected) => {
    expect(ch(sql)).toEqual({ sql: [expected] });
  });

  it('several ADD COLUMNs are dropped in reverse order, on the store\'s cluster', () => {
    expect(ch('ALTER TABLE events ADD COLUMN a String, ADD COLUMN `b` UInt8', 'main')).toEqual({
      sql: ['ALTER TABLE `analytics`.`events` ON CLUSTER `main` DROP COLUMN `b`', 'ALTER TABLE `analytics`.`events` ON CLUSTER `main` DROP COLUMN `a`'],
    });
  });

  it("the store's own database stays", () => {
    expect(ch('CREATE DATABASE IF NOT EXISTS analytics')).toBeUndefined();
  });

  it.each([
    ['INSERT INTO events VALUES (1)', /changes rows/],
    ['ALTER TABLE events DELETE WHERE id = 1', /DELETE changes rows/],
    ['DROP TABLE events', /drops what only its earlier definition/],
    ['ALTER TABLE events MODIFY TTL toDate(ts) + 1', /ALTER TABLE MODIFY/],
  ])('%s is irreversible', (sql, reason) => {
    const r = ch(sql);
    expect(r && 'irreversible' in r ? r.irreversible : '').toMatch(reason);
  });
});

describe('effectRevert: Cypher statements', () => {
  it('schema statements are dropped, data statements irreversible', () => {
    expect(cypher('CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE')).toEqual({ sql: ['DROP CONSTRAINT `user_id` IF EXISTS'] });
    expect(cypher('CREATE INDEX follows_at IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.at)')).toEqual({ sql: ['DROP INDEX `follows_at` IF EXISTS'] });
    expect(cypher('DROP INDEX follows_at')).toMatchObject({ irreversible: expect.stringContaining('drops') });
    expect(cypher('MERGE (u:User {id: 1})')).toMatchObject({ irreversible: expect.stringContaining('graph data') });
  });
});
