/**
 * Definitions are compared by meaning (normalised parse trees), so spelling, case, layout and
 * option order never make two definitions "differ"; real differences still do.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { sameDefinition } from '../../../../src/plan/resolve/same-definition.js';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

beforeAll(async () => {
  await loadParsers();
});

describe('definitions compared by meaning', () => {
  it.each([
    ['CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$', "create or replace function F() returns TRIGGER as $body$\n  begin\n    return new;\n  end\n$body$ language 'plpgsql'"],
    ['CREATE TABLE t (a TIMESTAMP WITH TIME ZONE NOT NULL, b INTEGER, c BOOLEAN, d CHARACTER VARYING(20))', 'create table if not exists T (a timestamptz not null, b int4, c bool, d varchar(20))'],
    ['CREATE TABLE t (id bigint PRIMARY KEY, n double precision DEFAULT 0)', 'CREATE TABLE t (\n  id   INT8 PRIMARY KEY, -- the key\n  n    FLOAT8 DEFAULT 0\n)'],
    ['CREATE FUNCTION f(a integer) RETURNS integer IMMUTABLE LANGUAGE sql AS $$ SELECT a + 1 $$', "CREATE FUNCTION f(a int) RETURNS int AS 'SELECT a + 1' LANGUAGE SQL IMMUTABLE"],
  ])('%s ≡ %s', (a, b) => {
    expect(sameDefinition(a, b, 'postgres')).toBe(true);
  });

  it.each([
    ['CREATE TABLE t (a timestamptz)', 'CREATE TABLE t (a timestamp)'],
    ['CREATE TABLE t (a int NOT NULL)', 'CREATE TABLE t (a int)'],
    ['CREATE TABLE t (a varchar(20))', 'CREATE TABLE t (a varchar(200))'],
    ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$"],
    ["CREATE TABLE t (a text DEFAULT 'A')", "CREATE TABLE t (a text DEFAULT 'a')"],
  ])('%s ≢ %s', (a, b) => {
    expect(sameDefinition(a, b, 'postgres')).toBe(false);
  });

  it('a shared function defined twice with different spelling is one identical definition in the plan', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_fn.sql': 'CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $$\nBEGIN\n  NEW.updated_at = now();\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nCREATE TABLE a (id int, updated_at timestamptz);\nCREATE TRIGGER a_touch BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION touch();',
        'b/001_fn.sql': "create or replace function touch() returns trigger language 'plpgsql' as $fn$ begin new.updated_at = now(); return new; end; $fn$;\nCREATE TABLE b (id int, updated_at TIMESTAMP WITH TIME ZONE);\nCREATE TRIGGER b_touch BEFORE UPDATE ON b FOR EACH ROW EXECUTE FUNCTION touch();",
      },
      pgTopology({ sets: { a: { dir: 'a' }, b: { dir: 'b' } }, services: { sa: { stores: { postgres: 'main' }, sets: ['a'] }, sb: { stores: { postgres: 'main' }, sets: ['b'] } }, shared: ['function:touch'] }),
    );
    const p = await planMigration(topologyFile, { allowErrors: true, env: {} });
    const c = p.conflicts.find((x) => x.kind === 'duplicate_create' && x.object === 'function touch')!;
    expect(c.severity).toBe('info');
    expect(c.message).toContain('the definitions are identical');
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
