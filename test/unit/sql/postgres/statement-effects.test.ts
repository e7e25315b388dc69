/**
 * What PostgreSQL statements create, alter, drop, move, write and reference, and which must run outside a
 * transaction: the statements of this reader the other tests of the planner do not go through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { readStatement as read, said } from '../../../helpers/pg-statement.js';

beforeAll(async () => {
  await loadParsers();
});

describe('statement effects', () => {
  it.each([
    ['ALTER SEQUENCE app.posts_id_seq RESTART WITH 100', ['alter sequence app.posts_id_seq']],
    ['CREATE TYPE app.address AS (street text, zip app.zip_code)', ['create type app.address', 'reference type app.zip_code (type_usage)']],
    ["CREATE DOMAIN app.zip_code AS text CHECK (VALUE ~ '^[0-9]{5}$')", ['create type app.zip_code']],
    ['CREATE DATABASE analytics', ['create database analytics']],
    ['TRUNCATE sessions, app.tokens', ['write table public.sessions', 'write table app.tokens']],
    ['COPY app.countries (code, name) FROM STDIN', ['write table app.countries']],
    ['COPY users TO STDOUT', ['reference table public.users (data)']],
    ['COPY (SELECT id FROM users) TO STDOUT', ['reference table public.users (data)']],
    ['CREATE TABLE app.archive AS SELECT * FROM app.posts', ['create table app.archive', 'reference table app.posts (data)']],
    ['CREATE MATERIALIZED VIEW app.top AS SELECT user_id FROM app.posts', ['create materialized_view app.top', 'reference table app.posts (view_source)']],
    ['DROP TRIGGER IF EXISTS trg_touch ON app.posts CASCADE', ['drop trigger app.posts.trg_touch cascade if exists']],
    ['DROP TRIGGER trg_touch ON posts', ['drop trigger public.posts.trg_touch']],
    ['ALTER TABLE posts ALTER COLUMN mood TYPE app.mood USING mood::app.mood', ['alter table public.posts', 'reference type app.mood (type_usage)']],
    ['ALTER MATERIALIZED VIEW app.top SET (fillfactor = 70)', ['alter materialized_view app.top']],
    ['CREATE TABLE child (extra int) INHERITS (parent)', ['create table public.child', 'reference table public.parent (data)']],
    ['CREATE TABLE copy (LIKE app.posts INCLUDING ALL)', ['create table public.copy', 'reference table app.posts (data)']],
    ['DROP CAST (text AS int)', []],
    ['REINDEX TABLE app.users', ['reference table app.users (maintenance)']],
    ['REINDEX INDEX idx_a', ['reference index public.idx_a (maintenance)']],
    ['REINDEX (CONCURRENTLY) INDEX app.idx_a', ['reference index app.idx_a (maintenance)']],
    ['REINDEX SCHEMA app', []],
    ['CLUSTER posts USING idx_a', ['reference table public.posts (maintenance)', 'reference index public.idx_a (maintenance)']],
    ['CLUSTER app.posts USING posts_pkey', ['reference table app.posts (maintenance)', 'reference index app.posts_pkey (maintenance)']],
    ['CLUSTER app.posts', ['reference table app.posts (maintenance)']],
    ['CREATE SEQUENCE s OWNED BY posts.id', ['create sequence public.s', 'reference table public.posts (data)']],
    ['ALTER SEQUENCE s OWNED BY app.posts.id', ['alter sequence public.s', 'reference table app.posts (data)']],
    ['ALTER SEQUENCE s OWNED BY NONE', ['alter sequence public.s']],
  ])('%s', (sql, effects) => {
    expect(said(sql)).toEqual(effects);
  });

  it.each([
    ['ALTER TABLE IF EXISTS posts SET SCHEMA app', ['rename table public.posts to app.posts if exists']],
    ['ALTER VIEW app.v SET SCHEMA reports', ['rename view app.v to reports.v']],
    ['ALTER MATERIALIZED VIEW top SET SCHEMA app', ['rename materialized_view public.top to app.top']],
    ['ALTER SEQUENCE s SET SCHEMA app', ['rename sequence public.s to app.s']],
    ['ALTER TYPE app.mood SET SCHEMA public', ['rename type app.mood to public.mood']],
    ['ALTER DOMAIN zip SET SCHEMA app', ['rename type public.zip to app.zip']],
    ['ALTER FUNCTION app.touch(int) SET SCHEMA public', ['rename function app.touch to public.touch']],
    ['ALTER EXTENSION pgcrypto SET SCHEMA app', ['alter extension pgcrypto']],
    // Already there: nothing moves.
    ['ALTER TABLE app.posts SET SCHEMA app', []],
  ])('moves between schemas: %s', (sql, effects) => {
    expect(said(sql)).toEqual(effects);
  });

  it.each([
    ['CREATE DATABASE analytics', 'CREATE DATABASE'],
    ['REINDEX (CONCURRENTLY) TABLE users', 'REINDEX CONCURRENTLY'],
    ["ALTER SYSTEM SET work_mem = '64MB'", 'ALTER SYSTEM'],
    ['BEGIN', 'transaction control (BEGIN) in the file'],
    ['COMMIT', 'transaction control (COMMIT) in the file'],
  ])('runs outside a transaction: %s', (sql, reason) => {
    const s = read(sql);
    expect([s.transactional, s.nonTransactionalReason]).toEqual([false, reason]);
  });

  it('runs a plain REINDEX in a transaction', () => {
    expect(read('REINDEX TABLE users').transactional).toBe(true);
  });
});

describe('schemas made with their elements, publications and statistics', () => {
  it.each([
    ['CREATE SCHEMA reporting CREATE TABLE daily (day date PRIMARY KEY) CREATE VIEW recent AS SELECT * FROM daily', ['create schema reporting', 'create table reporting.daily', 'create view reporting.recent', 'reference table reporting.daily (view_source)']],
    ['CREATE PUBLICATION p FOR TABLE events, reporting.daily', ['reference table public.events (data)', 'reference table reporting.daily (data)']],
    ['ALTER PUBLICATION p ADD TABLE base_items', ['reference table public.base_items (data)']],
    ['CREATE PUBLICATION p FOR TABLES IN SCHEMA app', ['reference schema app (schema)']],
    ['CREATE PUBLICATION p FOR ALL TABLES', []],
    ['CREATE STATISTICS st (dependencies) ON id, qty FROM app.items', ['reference table app.items (data)']],
  ])('%s', (sql, effects) => {
    expect(said(sql)).toEqual(effects);
  });
});
