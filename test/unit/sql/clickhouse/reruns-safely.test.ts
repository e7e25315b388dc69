/**
 * Which ClickHouse statements run a second time with the result of one run,
 * so the session records them without a `started` row first.
 */
import { describe, expect, it } from 'vitest';
import { rerunsSafely } from '../../../../src/sql/clickhouse/reruns-safely.js';

describe('statements that rerun safely', () => {
  it.each([
    'CREATE DATABASE IF NOT EXISTS obs_logs ON CLUSTER obs',
    'create table if not exists `obs`.`spans local` ON CLUSTER obs (a UInt8) ENGINE = MergeTree ORDER BY (a AS b)',
    'CREATE TABLE IF NOT EXISTS obs.spans AS obs.spans_local ENGINE = Distributed(obs, obs, spans_local, rand())',
    'CREATE MATERIALIZED VIEW IF NOT EXISTS obs.mv TO obs.t AS SELECT a FROM obs.spans',
    "CREATE DICTIONARY IF NOT EXISTS obs.d (k String) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 't')) LAYOUT(FLAT()) LIFETIME(0)",
    'CREATE OR REPLACE VIEW obs.v AS SELECT 1',
    'CREATE VIEW IF NOT EXISTS obs.v AS SELECT 1',
    'DROP TABLE IF EXISTS obs.mv ON CLUSTER obs SYNC',
    'DROP DICTIONARY IF EXISTS obs.d',
    'RENAME TABLE IF EXISTS obs.a TO obs.b ON CLUSTER obs',
    'ALTER TABLE obs.spans ON CLUSTER obs ADD COLUMN IF NOT EXISTS kind Int8 DEFAULT 0 AFTER name, ADD INDEX IF NOT EXISTS i kind TYPE minmax GRANULARITY 1',
    'ALTER TABLE obs.spans DROP PROJECTION IF EXISTS p, MODIFY TTL ts + INTERVAL 3 DAY, COMMENT COLUMN a \'x\'',
    'ALTER TABLE obs.spans ADD PROJECTION IF NOT EXISTS by_trace (SELECT trace_id ORDER BY trace_id)',
    'SET mutations_sync = 2',
  ])('%s', (sql) => expect(rerunsSafely(sql)).toBe(true));

  it.each([
    'CREATE TABLE obs.spans (a UInt8) ENGINE = MergeTree ORDER BY a',
    'CREATE TABLE IF NOT EXISTS obs.top ENGINE = MergeTree ORDER BY a AS SELECT a FROM obs.spans',
    'CREATE MATERIALIZED VIEW IF NOT EXISTS obs.mv ENGINE = MergeTree ORDER BY a POPULATE AS SELECT a FROM obs.spans',
    'CREATE OR REPLACE TABLE obs.kv (k String) ENGINE = MergeTree ORDER BY k',
    'DROP TABLE obs.old',
    'RENAME TABLE obs.a TO obs.b',
    'EXCHANGE TABLES obs.a AND obs.b',
    "INSERT INTO obs.owners VALUES ('if not exists', 1)",
    'ALTER TABLE obs.spans ADD COLUMN IF NOT EXISTS a UInt8, ADD COLUMN b UInt8',
    'ALTER TABLE obs.spans UPDATE kind = 1 WHERE kind = 0',
    "ALTER TABLE obs.spans DROP PARTITION '2024-01-01'",
    'ALTER TABLE obs.spans MATERIALIZE PROJECTION p',
    'OPTIMIZE TABLE obs.spans FINAL',
    'TRUNCATE TABLE IF EXISTS obs.spans',
    'SET ROLE admin',
    'SYSTEM RELOAD DICTIONARY obs.d',
  ])('not: %s', (sql) => expect(rerunsSafely(sql)).toBe(false));
});
