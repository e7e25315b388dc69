/**
 * What PostgreSQL refuses that the plan knows beforehand: a second drop, an index gone with its table or
 * column, a name another relation holds (also by a rename), a relation named as another kind, a second
 * primary key, NOT NULL over the plan's own rows, a type change with no cast, a view's column named twice, a foreign key to what is no key. Each plan's one error is at the statement the server refuses; the cast rule
 * (column-casts.ts) is what the server does on every pair of 18 common types; and a shared schema or
 * extension two sets each create plainly applies, its copy skipped.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject, twoServices } from '../../helpers/project.js';

const TABLES = "CREATE TABLE users (id int PRIMARY KEY, name text, email text, status text DEFAULT 'open');\nCREATE INDEX users_email_idx ON users (email);\n";

describe('statements PostgreSQL refuses, on PostgreSQL', () => {
  it.each([
    ['a second DROP TABLE', { 'a/002.sql': 'DROP TABLE users;\n', 'a/003.sql': 'DROP TABLE users;\n' }, 'a/003.sql', 'table "users" does not exist'],
    ['DROP INDEX after its column went', { 'a/002.sql': 'ALTER TABLE users DROP COLUMN email;\n', 'a/003.sql': 'DROP INDEX users_email_idx;\n' }, 'a/003.sql', 'index "users_email_idx" does not exist'],
    ['an index named as a table', { 'b/001.sql': 'CREATE TABLE users_name (id int);\n', 'b/002.sql': 'CREATE INDEX users_name ON users (name);\n' }, 'b/002.sql', 'relation "users_name" already exists'],
    ['a second primary key', { 'b/001.sql': 'ALTER TABLE users ADD PRIMARY KEY (email);\n' }, 'b/001.sql', 'multiple primary keys for table "users" are not allowed'],
    ['SET NOT NULL over rows the plan left without it', { 'b/001.sql': 'INSERT INTO users (id) VALUES (1);\n', 'b/002.sql': 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;\n' }, 'b/002.sql', 'column "name" of relation "users" contains null values'],
    ['a type change with no cast', { 'b/001.sql': 'ALTER TABLE users ALTER COLUMN email TYPE integer;\n' }, 'b/001.sql', 'column "email" cannot be cast automatically to type integer'],
    ['DROP VIEW of a materialized view', { 'b/001.sql': 'CREATE MATERIALIZED VIEW names AS SELECT name FROM users;\n', 'b/002.sql': 'DROP VIEW names;\n' }, 'b/002.sql', '"names" is not a view'],
    ['an index on a view', { 'b/001.sql': 'CREATE VIEW names AS SELECT name FROM users;\n', 'b/002.sql': 'CREATE INDEX names_idx ON names (name);\n' }, 'b/002.sql', 'cannot create index on relation "names"'],
    ['a rename to a name a table has', { 'b/001.sql': 'CREATE TABLE people (id int);\n', 'b/002.sql': 'ALTER TABLE users RENAME TO people;\n' }, 'b/002.sql', 'relation "people" already exists'],
    ['a view with two columns of one name', { 'b/001.sql': 'CREATE VIEW pairs AS SELECT u.id, v.id FROM users u JOIN users v ON v.id = u.id;\n' }, 'b/001.sql', 'column "id" specified more than once'],
    ['a foreign key to a column that is no key', { 'b/001.sql': 'CREATE TABLE orders (id int, user_email text REFERENCES users (email));\n' }, 'b/001.sql', 'there is no unique constraint matching given keys for referenced table "users"'],
    ['a type change its default cannot follow', { 'b/001.sql': 'ALTER TABLE users ALTER COLUMN status TYPE integer USING 0;\n' }, 'b/001.sql', 'default for column "status" cannot be cast automatically to type integer'],
  ])("%s: the plan's error is where the server refuses", async (_name, files, file, refusal) => {
    const plan = await planMigration(makeProject({ 'a/001.sql': TABLES, 'b/.keep': '', ...files }, twoServices()).topologyFile, { allowErrors: true, env: {} });
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.file, d.line])).toEqual([[file, 1]]);
    const result = await checkPlan(plan, { contract: true, reverts: false });
    expect(result.failures.map((f) => [f.file, f.line, f.message])).toEqual([[file, 1, refusal]]);
  });

  it('a schema and an extension two sets each create without IF NOT EXISTS: the plan skips the copy and applies', async () => {
    const plan = await planMigration(makeProject({ 'a/001.sql': 'CREATE SCHEMA app;\nCREATE EXTENSION pgcrypto;\n', 'b/001.sql': 'CREATE SCHEMA app;\nCREATE EXTENSION pgcrypto;\nCREATE TABLE app.t (id uuid DEFAULT gen_random_uuid());\n' }, twoServices()).topologyFile, { env: {} });
    expect(plan.skipped.map((s) => `${s.file}:${s.line}`)).toEqual(['b/001.sql:1', 'b/001.sql:2']);
    const result = await checkPlan(plan, { contract: true });
    expect(result.failures).toEqual([]);
    expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
  });

  it('the cast rule is the server\'s on every pair of 18 common types', async () => {
    const types = ['text', 'varchar(20)', 'char(5)', 'smallint', 'integer', 'bigint', 'numeric', 'real', 'boolean', 'date', 'timestamp', 'timestamptz', 'time', 'interval', 'uuid', 'json', 'jsonb', 'bytea'];
    const files: Record<string, string> = {};
    let create = '';
    let n = 0;
    for (const from of types) for (const to of types) {
      if (from === to) continue;
      n++;
      create += `CREATE TABLE t${n} (c ${from});\n`;
      files[`b/${String(n).padStart(3, '0')}.sql`] = `ALTER TABLE t${n} ALTER COLUMN c TYPE ${to};\n`;
    }
    const plan = await planMigration(makeProject({ 'a/001.sql': create, ...files }, twoServices()).topologyFile, { allowErrors: true, env: {} });
    const flagged = plan.diagnostics.filter((d) => d.code === 'plan.column_cast').map((d) => d.file).sort();
    const result = await checkPlan(plan, { contract: true, reverts: false });
    const refused = result.failures.filter((f) => f.message.includes('cannot be cast automatically')).map((f) => f.file).sort();
    expect(result.failures.length).toBe(refused.length);
    expect(refused.length).toBeGreaterThan(100);
    expect(flagged).toEqual(refused);
  });
});
