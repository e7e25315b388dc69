import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { statementRevert } from '../../../../src/sql/postgres/statement-revert.js';

beforeAll(async () => {
  await loadModule();
});

const revert = (sql: string) => statementRevert(parseSync(sql).stmts![0]!.stmt);

describe('statementRevert: each kind of PostgreSQL statement', () => {
  it.each([
    ['CREATE TABLE app.t (id int)', 'DROP TABLE app.t'],
    ['CREATE TABLE "Odd" (id int)', 'DROP TABLE public."Odd"'],
    ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'DROP MATERIALIZED VIEW public.mv'],
    ['CREATE TABLE copy AS SELECT 1', 'DROP TABLE public.copy'],
    ['CREATE VIEW v AS SELECT 1', 'DROP VIEW public.v'],
    ['CREATE INDEX i ON app.t (id)', 'DROP INDEX app.i'],
    ['CREATE SEQUENCE s', 'DROP SEQUENCE public.s'],
    ["CREATE FUNCTION s.f(a int, b text[], OUT c int) AS 'select 1' LANGUAGE sql", 'DROP FUNCTION s.f(int4, text[])'],
    ["CREATE PROCEDURE p() LANGUAGE sql AS 'select 1'", 'DROP PROCEDURE public.p()'],
    ['CREATE TYPE pair AS (a int, b int)', 'DROP TYPE public.pair'],
    ["CREATE TYPE app.mood AS ENUM ('ok')", 'DROP TYPE app.mood'],
    ['CREATE DOMAIN d AS int', 'DROP DOMAIN public.d'],
    ['CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()', 'DROP TRIGGER trg ON public.t'],
    ['CREATE POLICY p ON t USING (true)', 'DROP POLICY p ON public.t'],
    ['CREATE EXTENSION IF NOT EXISTS "uuid-ossp"', 'DROP EXTENSION "uuid-ossp"'],
    ['CREATE SCHEMA app', 'DROP SCHEMA app'],
    ['CREATE SCHEMA app CREATE TABLE t (id int)', 'DROP SCHEMA app CASCADE'],
    ['CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f()', 'DROP EVENT TRIGGER et'],
    ['CREATE RULE r AS ON INSERT TO t DO NOTHING', 'DROP RULE r ON public.t'],
    ['ALTER TABLE t DISABLE ROW LEVEL SECURITY', 'ALTER TABLE public.t ENABLE ROW LEVEL SECURITY'],
    ['CREATE TYPE r AS RANGE (subtype = int)', 'DROP TYPE public.r'],
    ['ALTER TABLE t ADD COLUMN note text', 'ALTER TABLE public.t DROP COLUMN note'],
    ['ALTER TABLE t ADD COLUMN a int, ADD CONSTRAINT c CHECK (a > 0)', 'ALTER TABLE public.t DROP CONSTRAINT c, DROP COLUMN a'],
    ['ALTER TABLE t ADD FOREIGN KEY (u_id) REFERENCES u (id)', 'ALTER TABLE public.t DROP CONSTRAINT t_u_id_fkey'],
    ['ALTER TABLE t ADD PRIMARY KEY (id)', 'ALTER TABLE public.t DROP CONSTRAINT t_pkey'],
    ['ALTER TABLE t ADD UNIQUE (a, b)', 'ALTER TABLE public.t DROP CONSTRAINT t_a_b_key'],
    ['ALTER TABLE t ALTER COLUMN a SET NOT NULL', 'ALTER TABLE public.t ALTER COLUMN a DROP NOT NULL'],
    ['ALTER TABLE t ALTER COLUMN a DROP NOT NULL', 'ALTER TABLE public.t ALTER COLUMN a SET NOT NULL'],
    ['ALTER TABLE t ENABLE ROW LEVEL SECURITY', 'ALTER TABLE public.t DISABLE ROW LEVEL SECURITY'],
    ['ALTER TABLE app.post_shares RENAME TO shares', 'ALTER TABLE app.shares RENAME TO post_shares'],
    ['ALTER INDEX i RENAME TO j', 'ALTER INDEX public.j RENAME TO i'],
    ['ALTER TABLE t RENAME COLUMN a TO b', 'ALTER TABLE public.t RENAME COLUMN b TO a'],
    ['ALTER TABLE t RENAME CONSTRAINT c TO d', 'ALTER TABLE public.t RENAME CONSTRAINT d TO c'],
    ["ALTER TYPE mood RENAME VALUE 'a' TO 'b'", "ALTER TYPE public.mood RENAME VALUE 'b' TO 'a'"],
  ])('%s → %s', (sql, expected) => {
    expect(revert(sql)).toEqual({ sql: [expected] });
  });

  it.each([
    ['INSERT INTO t VALUES (1)', /INSERT changes rows/],
    ['UPDATE t SET a = 1', /UPDATE changes rows/],
    ['DELETE FROM t', /DELETE changes rows/],
    ['DROP TABLE t', /only its earlier definition or a backup/],
    ['ALTER TABLE t DROP COLUMN a', /drops column "a"/],
    ['ALTER TABLE t DROP CONSTRAINT c', /drops constraint "c"/],
    ['ALTER TABLE t ALTER COLUMN a SET DEFAULT 1', /ALTER TABLE ColumnDefault/],
    ['ALTER TABLE t ADD CHECK (a > 0)', /no name to drop it by/],
    ['CREATE INDEX ON t (a)', /no name to drop it by/],
    ["ALTER TYPE mood ADD VALUE 'voice'", /cannot remove the enum value 'voice'/],
    ["DO $$ BEGIN PERFORM 1; END $$", /DO block/],
    ['ALTER VIEW v ALTER COLUMN a SET DEFAULT 1', /ALTER VIEW/],
    ['ALTER FUNCTION f() RENAME TO g', /renaming a function/],
    ['CREATE CAST (int AS text) WITH INOUT', /CreateCast/],
  ])('%s is irreversible with its reason', (sql, reason) => {
    const r = revert(sql);
    expect(r && 'irreversible' in r ? r.irreversible : '').toMatch(reason);
  });

  it.each(["COMMENT ON TABLE t IS 'x'", 'GRANT SELECT ON t TO PUBLIC', 'SET search_path = app', "SELECT setval('s', 1)", 'ALTER TABLE t OWNER TO app', 'REINDEX TABLE t', 'CLUSTER t USING t_pkey'])('%s has nothing of its own to undo', (sql) => {
    expect(revert(sql)).toBeUndefined();
  });
});

describe('reverts of moves between schemas', () => {
  it.each([
    ['ALTER TABLE posts SET SCHEMA app', ['ALTER TABLE app.posts SET SCHEMA public']],
    ['ALTER TABLE IF EXISTS "Odd"."Posts" SET SCHEMA app', ['ALTER TABLE app."Posts" SET SCHEMA "Odd"']],
    ['ALTER MATERIALIZED VIEW app.top SET SCHEMA reports', ['ALTER MATERIALIZED VIEW reports.top SET SCHEMA app']],
    ['ALTER TYPE mood SET SCHEMA app', ['ALTER TYPE app.mood SET SCHEMA public']],
    ['ALTER DOMAIN app.zip SET SCHEMA public', ['ALTER DOMAIN public.zip SET SCHEMA app']],
    ['ALTER FUNCTION touch(integer, text[]) SET SCHEMA app', ['ALTER FUNCTION app.touch(int4, text[]) SET SCHEMA public']],
    ['ALTER TABLE app.posts SET SCHEMA app', []],
  ])('%s', (sql, back) => {
    expect(revert(sql)).toEqual({ sql: back });
  });

  it('says what it cannot move back', () => {
    expect(revert('ALTER EXTENSION pgcrypto SET SCHEMA app')).toEqual({ irreversible: 'no revert is generated for moving the extension to another schema; write a down file' });
  });
});

describe('reverts of publications and statistics', () => {
  it.each([
    ['CREATE PUBLICATION pub FOR TABLE events', { sql: ['DROP PUBLICATION pub'] }],
    ['ALTER PUBLICATION pub ADD TABLE base_items, app.more', { sql: ['ALTER PUBLICATION pub DROP TABLE public.base_items, app.more'] }],
    ['ALTER PUBLICATION pub DROP TABLE base_items', { irreversible: 'no revert is generated for this ALTER PUBLICATION; write a down file' }],
    ['CREATE STATISTICS app.st ON a, b FROM t', { sql: ['DROP STATISTICS app.st'] }],
    ['CREATE STATISTICS ON a, b FROM t', { irreversible: 'the statistics object has no name to drop it by: name it' }],
  ])('%s', (sql, back) => {
    expect(revert(sql)).toEqual(back);
  });
});
