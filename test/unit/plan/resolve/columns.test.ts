/**
 * Column-level facts: an index, constraint or ALTER on a column that no statement creates is a
 * plan-time error naming both places; columns added later (also inside a DO block) count.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const topology = (ops: Record<string, unknown> = {}) => pgTopology({ sets: { app: { dir: 'app' }, ops: { dir: 'ops', ...ops } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, ops: { stores: { postgres: 'main' }, sets: ['ops'] } } });
const plan = async (files: Record<string, string>, ops?: Record<string, unknown>): Promise<Plan> => planMigration(makeProject(files, topology(ops)).topologyFile, { allowErrors: true, env: {} });
const unknown = (p: Plan) => p.diagnostics.filter((d) => d.code === 'plan.unknown_column');

describe('columns no statement creates', () => {
  it('an index, a constraint and ALTER COLUMN on missing columns are errors naming both places', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);',
      'ops/001_tuning.sql': 'CREATE INDEX users_emial_idx ON users (emial);\nALTER TABLE users ADD CONSTRAINT users_handle_key UNIQUE (handle);\nALTER TABLE users ALTER COLUMN nickname SET NOT NULL;\nCREATE INDEX users_lower_email ON users (lower(email));',
    });
    expect(unknown(p).map((d) => `${d.line}: ${d.message}`)).toEqual([
      '1: plan: "ops/001_tuning.sql:1" names column "emial" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"',
      '2: plan: "ops/001_tuning.sql:2" names column "handle" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"',
      '3: plan: "ops/001_tuning.sql:3" names column "nickname" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"',
    ]);
    expect(unknown(p)[0]).toMatchObject({ severity: 'error', file: 'ops/001_tuning.sql', object: 'table users' });
    expect(unknown(p)[0]!.hint).toContain('ALTER TABLE users ADD COLUMN emial <type>;');
  });

  it('columns added by ALTER, by RENAME COLUMN or inside a DO block count; LIKE and INHERITS tables are not checked', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, mail text);\nALTER TABLE users RENAME COLUMN mail TO email;\nCREATE TABLE users_archive (LIKE users);',
      'app/002_bio.sql': "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'bio') THEN ALTER TABLE users ADD COLUMN bio text; END IF; END $$;",
      'ops/001_idx.sql': 'CREATE INDEX users_email ON users (email) INCLUDE (bio);\nCREATE INDEX users_archive_x ON users_archive (whatever);\nALTER TABLE users DROP COLUMN IF EXISTS legacy_flag;',
    }, { after: ['app'] });
    expect(unknown(p)).toEqual([]);
  });

  it('a foreign key naming a column its referenced table lacks, and a COMMENT ON COLUMN of a missing column, are errors', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);',
      'app/002_posts.sql': "CREATE TABLE posts (id bigint PRIMARY KEY, author bigint REFERENCES users (uid), parent bigint REFERENCES posts (id));\nCOMMENT ON COLUMN users.emial IS 'typo';\nCOMMENT ON COLUMN users.email IS 'fine';\nALTER TABLE posts ADD FOREIGN KEY (author) REFERENCES users (id);",
      'ops/001_x.sql': '',
    });
    expect(unknown(p).map((d) => `${d.line}: ${d.message}`)).toEqual([
      '1: plan: "app/002_posts.sql:1" names column "uid" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"',
      '2: plan: "app/002_posts.sql:2" names column "emial" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"',
    ]);
  });

  it('a column only a CREATE TABLE IF NOT EXISTS of an existing table lists does not exist: that statement does nothing', async () => {
    const p = await planMigration(makeProject({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);',
      'app/002_users_again.sql': 'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email ON users (email);',
      'app/003_rebuilt.sql': 'DROP TABLE users;\nCREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, handle text);\nCREATE INDEX users_handle ON users (handle);',
      'ops/001_x.sql': '',
    }, { ...topology(), accept: [{ conflict: 'duplicate_create', object: 'users', reason: 'the second shape is what the service reads' }] }).topologyFile, { allowErrors: true, env: {} });
    expect(unknown(p).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'app/002_users_again.sql:2: plan: "app/002_users_again.sql:2" names column "email" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "handle"; "app/002_users_again.sql:1" lists it, but that CREATE TABLE IF NOT EXISTS does nothing: the table exists by then',
    ]);
  });

  it('a column dropped or renamed away before the use does not exist: an error naming the statement that took it away', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, mail text, legacy_flag boolean);',
      'app/002_rename.sql': 'ALTER TABLE users RENAME COLUMN mail TO email;\nALTER TABLE users DROP COLUMN legacy_flag;',
      'app/003_idx.sql': 'CREATE INDEX users_mail ON users (mail);\nCREATE INDEX users_email ON users (email);\nALTER TABLE users ALTER COLUMN legacy_flag SET DEFAULT false;',
      'ops/001_x.sql': '',
    });
    expect(unknown(p).map((d) => `${d.line}: ${d.message}`)).toEqual([
      '1: plan: "app/003_idx.sql:1" names column "mail" of table "users", which "app/002_rename.sql:1" takes away before it (it was added at "app/001_users.sql:1")',
      '3: plan: "app/003_idx.sql:3" names column "legacy_flag" of table "users", which "app/002_rename.sql:2" takes away before it (it was added at "app/001_users.sql:1")',
    ]);
  });

  it('an INSERT ... VALUES that lists a column the table does not have is an error', async () => {
    const p = await plan({ 'app/001_users.sql': "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nINSERT INTO users (id, mail) VALUES (1, 'a');", 'ops/001_x.sql': '' });
    expect(unknown(p).map((d) => `${d.line}: ${d.message}`)).toEqual(['2: plan: "app/001_users.sql:2" names column "mail" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email"']);
  });

  it('a column another set takes away, with nothing ordering the two, is an error: run first, the drop leaves the use without it', async () => {
    const files = {
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE, mail text);',
      'app/002_drop.sql': 'ALTER TABLE users DROP COLUMN code;\nALTER TABLE users RENAME COLUMN mail TO email;',
      'ops/001_orders.sql': 'CREATE TABLE orders (id bigint, user_code text REFERENCES users (code));\nCREATE INDEX users_mail ON users (mail);',
    };
    const unordered = await plan(files);
    expect(unknown(unordered).map((d) => `${d.line}: ${d.message}`)).toEqual([
      '1: plan: "ops/001_orders.sql:1" names column "code" of table "users", which "app/002_drop.sql:1" takes away, and nothing orders the two: run first, it leaves the statement without the column (it was added at "app/001_users.sql:1")',
      '2: plan: "ops/001_orders.sql:2" names column "mail" of table "users", which "app/002_drop.sql:2" takes away, and nothing orders the two: run first, it leaves the statement without the column (it was added at "app/001_users.sql:1")',
    ]);
    expect(unknown(unordered)[0]!.hint).toContain('add after: [ops] to set "app"');
    // Ordered either way, the uses are the other checks' (a drop after them) or named as taken away before them.
    expect(unknown(await plan(files, { after: ['app'] })).map((d) => d.message)).toEqual([
      'plan: "ops/001_orders.sql:1" names column "code" of table "users", which "app/002_drop.sql:1" takes away before it (it was added at "app/001_users.sql:1")',
      'plan: "ops/001_orders.sql:2" names column "mail" of table "users", which "app/002_drop.sql:2" takes away before it (it was added at "app/001_users.sql:1")',
    ]);
  });

  it('a column added only by a later statement does not exist yet: an error naming both, the later one and the use', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX users_email ON users (email);',
      'app/002_email.sql': 'ALTER TABLE users ADD COLUMN email text;\nALTER TABLE users ADD COLUMN handle text, ADD CONSTRAINT users_handle_key UNIQUE (handle);',
      'ops/001_x.sql': '',
    });
    expect(unknown(p).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'app/001_users.sql:2: plan: "app/001_users.sql:2" names column "email" of table "users" before it exists: only "app/002_email.sql:1" adds it, which runs after it',
    ]);
    expect(p.conflicts.find((c) => c.kind === 'unknown_column')!.sources.map((s) => `${s.file}:${s.line}`)).toEqual(['app/001_users.sql:2', 'app/002_email.sql:1']);
    expect(unknown(p)[0]!.hint).toContain('move the ALTER TABLE ... ADD COLUMN email to an earlier file of set "app"');
  });

  it("a column another set adds is known only when that set is ordered before the use's (after:)", async () => {
    const files = { 'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);', 'app/002_email.sql': 'ALTER TABLE users ADD COLUMN email text;', 'ops/001_idx.sql': 'CREATE INDEX users_email ON users (email);' };
    const unordered = await plan(files);
    expect(unknown(unordered).map((d) => d.message)).toEqual(['plan: "ops/001_idx.sql:1" names column "email" of table "users" before it exists: only "app/002_email.sql:1" adds it, and nothing orders "app" before "ops"']);
    expect(unknown(unordered)[0]!.hint).toContain('add after: [app] to set "ops"');
    expect(unknown(await plan(files, { after: ['app'] }))).toEqual([]);
  });

  it('a view that reads a column the table does not have, or no longer has, is an error; system columns and * are not names to check', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nALTER TABLE users RENAME COLUMN email TO mail;',
      'app/002_views.sql': 'CREATE VIEW mails AS SELECT u.id, u.email FROM users u;\nCREATE VIEW rows AS SELECT ctid, xmin, * FROM users ORDER BY id;\nCREATE VIEW sizes AS SELECT count(*) AS n FROM users GROUP BY mail ORDER BY n;',
      'ops/001_report.sql': 'CREATE MATERIALIZED VIEW handles AS SELECT handle FROM users;',
    }, { after: ['app'] });
    expect(unknown(p).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'app/002_views.sql:1: plan: "app/002_views.sql:1" names column "email" of table "users", which "app/001_users.sql:2" takes away before it (it was added at "app/001_users.sql:1")',
      'ops/001_report.sql:1: plan: "ops/001_report.sql:1" names column "handle" of table "users", which no statement gives it: "app/001_users.sql:1" creates the table with "id", "email", "mail"',
    ]);
  });
});

describe('a column added twice', () => {
  it('an ADD COLUMN another set ran first, and a RENAME COLUMN to a name the table has: errors naming both', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text, mail text);\nALTER TABLE users ADD COLUMN last_seen timestamptz;',
      'app/002_rename.sql': 'ALTER TABLE users RENAME COLUMN email TO mail;',
      'ops/001_seen.sql': 'ALTER TABLE users ADD COLUMN last_seen timestamptz;',
    });
    expect(p.diagnostics.filter((d) => d.code === 'plan.duplicate_column').map((d) => d.message)).toEqual([
      'plan: "app/002_rename.sql:1" renames a column to "mail" of table "users", which "app/001_users.sql:1" gives it before it: PostgreSQL refuses a second column of one name',
      'plan: "ops/001_seen.sql:1" adds column "last_seen" to table "users", which "app/001_users.sql:2" gives it before it: PostgreSQL refuses a second column of one name',
    ]);
  });

  it('IF NOT EXISTS, a DO block, a drop between, and a table made again: plan', async () => {
    const p = await plan({
      'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN IF NOT EXISTS a int;\nALTER TABLE users DROP COLUMN a;\nALTER TABLE users ADD COLUMN a int;',
      'app/002_guard.sql': "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'a') THEN ALTER TABLE users ADD COLUMN a int; END IF; END $$;",
      'app/003_again.sql': 'DROP TABLE users;\nCREATE TABLE users (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN a int;',
      'ops/001_none.sql': 'SELECT 1;',
    });
    expect(p.diagnostics.filter((d) => d.code === 'plan.duplicate_column')).toEqual([]);
  });
});
