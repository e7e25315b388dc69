/**
 * Drops and column changes that views, foreign keys (also of the columns they reference), columns, triggers,
 * a schema's objects or a table's rows stand in the way of, on PostgreSQL: what the plan reports is what the
 * server refuses, at the same statement; the view-dependents fixture, which lets go of them first in other
 * sets' files, applies in the order the plan gives and rolls back whole.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject, twoServices } from '../../helpers/project.js';

const TABLES = 'CREATE TABLE users (id int PRIMARY KEY, name text);\nCREATE TABLE invoices (id int PRIMARY KEY, user_id int, amount numeric(10, 2), extra text);\n';

describe('what PostgreSQL refuses for what depends on it, on PostgreSQL', () => {
  it.each([
    ['DROP TABLE under a view', { 'b/001.sql': 'CREATE VIEW names AS SELECT name FROM users;\n', 'a/002.sql': 'DROP TABLE users;\n' }, 'a/002.sql', 'cannot drop table users because other objects depend on it'],
    ['DROP TABLE under a foreign key', { 'b/001.sql': 'CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n', 'a/002.sql': 'DROP TABLE users;\n' }, 'a/002.sql', 'cannot drop table users because other objects depend on it'],
    ['ALTER COLUMN TYPE under a view', { 'b/001.sql': 'CREATE VIEW totals AS SELECT sum(amount) FROM invoices;\n', 'b/002.sql': 'ALTER TABLE invoices ALTER COLUMN amount TYPE numeric(14, 2);\n' }, 'b/002.sql', 'cannot alter type of a column used by a view or rule'],
    ['DROP COLUMN under a view of *', { 'b/001.sql': 'CREATE MATERIALIZED VIEW everything AS SELECT * FROM invoices;\n', 'b/002.sql': 'ALTER TABLE invoices DROP COLUMN extra;\n' }, 'b/002.sql', 'cannot drop column extra of table invoices because other objects depend on it'],
    ['DROP INDEX of a primary key\'s index', { 'b/001.sql': 'DROP INDEX users_pkey;\n' }, 'b/001.sql', 'cannot drop index users_pkey because constraint users_pkey on table users requires it'],
    ['DROP TYPE under a column', { 'b/001.sql': "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE people (id int, m mood);\n", 'b/002.sql': 'DROP TYPE mood;\n' }, 'b/002.sql', 'cannot drop type mood because other objects depend on it'],
    ['DROP FUNCTION under a trigger', { 'b/001.sql': 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();\n', 'b/002.sql': 'DROP FUNCTION touch();\n' }, 'b/002.sql', 'cannot drop function touch() because other objects depend on it'],
    ['DROP SCHEMA with a table in it', { 'b/001.sql': 'CREATE SCHEMA reporting;\nCREATE TABLE reporting.daily (d date);\n', 'b/002.sql': 'DROP SCHEMA reporting;\n' }, 'b/002.sql', 'cannot drop schema reporting because other objects depend on it'],
    ['ADD COLUMN NOT NULL to a seeded table', { 'b/001.sql': "INSERT INTO users (id, name) VALUES (1, 'a');\n", 'b/002.sql': 'ALTER TABLE users ADD COLUMN email text NOT NULL;\n' }, 'b/002.sql', 'column "email" of relation "users" contains null values'],
    ['CREATE OR REPLACE VIEW renaming a column', { 'b/001.sql': 'CREATE VIEW names AS SELECT id, name FROM users;\n', 'b/002.sql': 'CREATE OR REPLACE VIEW names AS SELECT id, name AS full_name FROM users;\n' }, 'b/002.sql', 'cannot change name of view column "name" to "full_name"'],
    ['DROP TABLE under a table that inherits it', { 'b/001.sql': 'CREATE TABLE admins (level int) INHERITS (users);\n', 'a/002.sql': 'DROP TABLE users;\n' }, 'a/002.sql', 'cannot drop table users because other objects depend on it'],
    ['DROP COLUMN under a foreign key', { 'b/001.sql': 'CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n', 'b/002.sql': 'ALTER TABLE users DROP COLUMN id;\n' }, 'b/002.sql', 'cannot drop column id of table users because other objects depend on it'],
    ['a foreign key to a column another set drops, nothing ordering the two', { 'a/002.sql': 'ALTER TABLE users DROP COLUMN id;\n', 'b/001.sql': 'CREATE TABLE orders (id int, user_id int REFERENCES users (id));\n' }, 'b/001.sql', 'column "id" referenced in foreign key constraint does not exist'],
    ['ADD COLUMN another set added first', { 'b/001.sql': 'ALTER TABLE users ADD COLUMN last_seen timestamptz;\n', 'b/002.sql': 'ALTER TABLE users ADD COLUMN last_seen timestamptz;\n' }, 'b/002.sql', 'column "last_seen" of relation "users" already exists'],
  ])('%s: the plan\'s error is where the server refuses', async (_name, files, file, refusal) => {
    const plan = await planMigration(makeProject({ 'a/001.sql': TABLES, ...files }, twoServices()).topologyFile, { allowErrors: true, env: {} });
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [['plan.drop_blocked', 'plan.column_in_use', 'plan.column_needs_default', 'plan.view_columns_changed', 'plan.duplicate_column', 'plan.unknown_column'].includes(d.code), d.file, d.line])).toEqual([[true, file, 1]]);
    const result = await checkPlan(plan, { contract: true, reverts: false });
    expect(result.failures.map((f) => [f.file, f.line, f.message])).toEqual([[file, 1, refusal]]);
  });

  it('the fixture, which lets go of them first, applies in the plan\'s order and rolls back whole', async () => {
    const plan = await planMigration('test/fixtures/view-dependents/topology.yaml', { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const drop = plan.steps.find((s) => s.id === 'main:billing/002_retire_legacy.sql#1')!;
    expect(drop.dependsOn).toEqual(expect.arrayContaining(['main:orders/009_unlink_legacy.sql#1', 'main:reports/005_drop_legacy_names.sql#1']));
    const result = await checkPlan(plan, { contract: true });
    expect(result.failures).toEqual([]);
    expect(result.steps.map((s) => s.status)).toEqual(plan.steps.map(() => 'applied'));
    expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
  });
});
