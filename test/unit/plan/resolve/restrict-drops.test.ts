import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../src/plan/model.js';
import { errorsOf, planTwoServices as planOf } from '../../../helpers/project.js';

/** Each error as `[code, file:line, message]`. */
const errors = (plan: Plan) => errorsOf(plan).map((e) => e.slice(0, 3));

function dependsOn(plan: Plan, id: string): readonly string[] {
  return plan.steps.find((s) => s.id === id)!.dependsOn;
}

describe('DROP without CASCADE of what other objects depend on', () => {
  it('a table a view of its own set still reads: an error at the drop naming the view', async () => {
    const plan = await planOf({
      'a/001.sql': 'CREATE TABLE invoices (id int PRIMARY KEY, note text);\nCREATE VIEW notes AS SELECT id, note FROM invoices;\n',
      'a/002.sql': 'DROP TABLE invoices;\n',
    });
    expect(errors(plan)).toEqual([[
      'plan.drop_blocked',
      'a/002.sql:1',
      'plan: "DROP TABLE invoices" at "a/002.sql:1" fails: view notes ("a/001.sql:2") depends on it, and PostgreSQL refuses to drop what other objects depend on without CASCADE',
    ]]);
    expect(plan.diagnostics.find((d) => d.code === 'plan.drop_blocked')!.hint).toMatch(/^drop view notes first, in this file before line 1/);
  });

  it("another set's table whose foreign key references it: an error naming the key", async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'a/002.sql': 'DROP TABLE users;\n',
      'b/001.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));\n',
    }))).toEqual([[
      'plan.drop_blocked',
      'a/002.sql:1',
      'plan: "DROP TABLE users" at "a/002.sql:1" fails: the foreign key orders(user_id) → users ("b/001.sql:1") depends on it, and PostgreSQL refuses to drop what other objects depend on without CASCADE',
    ]]);
  });

  it('a view dropped later in the drop\'s own set: the error says so', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE t (id int);\nCREATE MATERIALIZED VIEW c AS SELECT count(*) FROM t;\n',
      'a/002.sql': 'DROP TABLE t;\nDROP MATERIALIZED VIEW c;\n',
    }))[0]![2]).toBe('plan: "DROP TABLE t" at "a/002.sql:1" fails: materialized view c ("a/001.sql:2") depends on it; "a/002.sql:2" drops it only after, and PostgreSQL refuses to drop what other objects depend on without CASCADE');
  });

  it('a view on a view: dropping the inner one first is refused too', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE t (id int);\nCREATE VIEW v1 AS SELECT id FROM t;\nCREATE VIEW v2 AS SELECT id FROM v1;\n',
      'a/002.sql': 'DROP VIEW v1;\nDROP VIEW v2;\nDROP TABLE t;\n',
    })).map((e) => e[2])).toEqual(['plan: "DROP VIEW v1" at "a/002.sql:1" fails: view v2 ("a/001.sql:3") depends on it; "a/002.sql:2" drops it only after, and PostgreSQL refuses to drop what other objects depend on without CASCADE']);
  });

  it('dependents dropped first in the same set, or by the same statement, plan', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE TABLE u (t_id int REFERENCES t (id));\nCREATE VIEW v AS SELECT id FROM t;\n',
      'a/002.sql': 'DROP VIEW v;\nDROP TABLE u, t;\n',
    }))).toEqual([]);
  });

  it('CASCADE is left to the cascade check, which names what it removes', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t;\n',
      'a/002.sql': 'DROP TABLE t CASCADE;\n',
    })).map((e) => e[0])).toEqual(['plan.cascade_drop']);
  });

  it("another set's drop of the view, and its release of the foreign key, are ordered before the drop", async () => {
    const plan = await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, name text);\n',
      'a/002.sql': 'DROP TABLE users;\n',
      'b/001.sql': 'CREATE VIEW names AS SELECT name FROM users;\nCREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));\n',
      'b/002.sql': 'DROP VIEW names;\n',
      'b/003.sql': 'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;\n',
    });
    expect(errors(plan)).toEqual([]);
    expect(dependsOn(plan, 'main:a/002.sql#1')).toEqual(expect.arrayContaining(['main:b/002.sql#1', 'main:b/003.sql#1']));
    const edge = plan.edges.find((e) => e.from === 'main:b/002.sql#1' && e.to === 'main:a/002.sql#1')!;
    expect(edge.reasons).toContain('drops view names, which depends on table users, before that is dropped');
  });

  it('a view that a later statement replaces is left alone: it may no longer read the table', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE t (id int);\nCREATE TABLE t2 (id int);\nCREATE VIEW v AS SELECT id FROM t;\n',
      'a/002.sql': 'CREATE OR REPLACE VIEW v AS SELECT id FROM t2;\nDROP TABLE t;\n',
    }))).toEqual([]);
  });

  it('DROP INDEX of the index a constraint made: an error with the ALTER TABLE that drops it; dropping the constraint plans', async () => {
    const plan = await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE);\n',
      'b/001.sql': 'DROP INDEX IF EXISTS users_email_key;\n',
    });
    expect(errors(plan)).toEqual([[
      'plan.drop_blocked',
      'b/001.sql:1',
      'plan: "DROP INDEX users_email_key" at "b/001.sql:1" fails: the index is the one constraint users_email_key of table users made ("a/001.sql:1"), and PostgreSQL refuses to drop it apart from its constraint',
    ]]);
    expect(plan.diagnostics.find((d) => d.code === 'plan.drop_blocked')!.hint).toBe('drop the constraint, which takes its index along:\nALTER TABLE users DROP CONSTRAINT users_email_key;');
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE);\n',
      'a/002.sql': 'ALTER TABLE users DROP CONSTRAINT users_email_key;\n',
      'b/001.sql': 'DROP INDEX IF EXISTS users_email_key;\n',
    }))).toEqual([]);
  });

  it('a type a table column still has, and a function a trigger still runs: errors naming the table and the trigger', async () => {
    expect(errors(await planOf({
      'a/001.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE people (id int, m mood);\n",
      'a/002.sql': 'DROP TYPE mood;\n',
      'b/001.sql': 'CREATE TABLE t (id int, at timestamptz);\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();\n',
      'b/002.sql': 'DROP FUNCTION touch();\n',
    })).map((e) => e[2])).toEqual([
      'plan: "DROP TYPE mood" at "a/002.sql:1" fails: table people ("a/001.sql:2") depends on it, and PostgreSQL refuses to drop what other objects depend on without CASCADE',
      'plan: "DROP FUNCTION touch" at "b/002.sql:1" fails: trigger t.t_touch ("b/001.sql:3") depends on it, and PostgreSQL refuses to drop what other objects depend on without CASCADE',
    ]);
  });

  it('the trigger dropped first, or its table, and a type whose column the table drops: plan', async () => {
    expect(errors(await planOf({
      'a/001.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE people (id int, m mood);\n",
      'a/002.sql': 'ALTER TABLE people DROP COLUMN m;\nDROP TYPE mood;\n',
      'b/001.sql': 'CREATE TABLE t (id int, at timestamptz);\nCREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();\nCREATE TABLE u (id int);\nCREATE TRIGGER u_touch BEFORE UPDATE ON u FOR EACH ROW EXECUTE FUNCTION touch();\n',
      'b/002.sql': 'DROP TRIGGER t_touch ON t;\nDROP TABLE u;\nDROP FUNCTION touch();\n',
    }))).toEqual([]);
  });

  it('a schema the plan still has a table in: an error; emptied first, it plans', async () => {
    expect(errors(await planOf({
      'a/001.sql': 'CREATE SCHEMA reporting;\nCREATE TABLE reporting.daily (d date PRIMARY KEY);\n',
      'a/002.sql': 'DROP SCHEMA reporting;\n',
    })).map((e) => e[2])).toEqual(['plan: "DROP SCHEMA reporting" at "a/002.sql:1" fails: table reporting.daily ("a/001.sql:2") is in it, and PostgreSQL refuses to drop what other objects depend on without CASCADE']);
    expect(errors(await planOf({
      'a/001.sql': 'CREATE SCHEMA reporting;\nCREATE TABLE reporting.daily (d date PRIMARY KEY);\n',
      'a/002.sql': 'DROP TABLE reporting.daily;\nDROP SCHEMA reporting;\n',
    }))).toEqual([]);
  });
});

describe('drops one set makes in turn', () => {
  it('a table whose foreign key references another is dropped before it, even when both drops stand alone as destructive steps', async () => {
    const plan = await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE orders (id int, user_id int REFERENCES users (id));\n',
      'a/002.sql': 'DROP TABLE orders;\nDROP TABLE users;\n',
      'a/003.sql': 'CREATE TABLE teams (id int PRIMARY KEY);\nCREATE TABLE members (id int, team_id int REFERENCES teams (id));\n',
      'a/004.sql': 'ALTER TABLE members DROP COLUMN team_id;\nDROP TABLE teams;\n',
    });
    expect(errors(plan)).toEqual([]);
    expect(dependsOn(plan, 'main:a/002.sql#2')).toContain('main:a/002.sql#1');
    expect(dependsOn(plan, 'main:a/004.sql#2')).toContain('main:a/004.sql#1');
  });

  it("a column a foreign key references waits for its own set's release of the key", async () => {
    const plan = await planOf({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, code text UNIQUE);\nCREATE TABLE orders (id int, user_code text REFERENCES users (code));\n',
      'a/002.sql': 'ALTER TABLE orders DROP COLUMN user_code;\nALTER TABLE users DROP COLUMN code;\n',
    });
    expect(errors(plan)).toEqual([]);
    expect(dependsOn(plan, 'main:a/002.sql#2')).toContain('main:a/002.sql#1');
  });
});


describe('DROP TABLE of a table others inherit from', () => {
  it('a child of INHERITS blocks the drop; partitions go with their parent, and a child dropped first plans', async () => {
    const blocked = await planOf({ 'a/001.sql': 'CREATE TABLE people (id int, name text);\nCREATE TABLE admins (level int) INHERITS (people);\n', 'b/001.sql': 'DROP TABLE people;\n' });
    expect(errors(blocked)).toEqual([[
      'plan.drop_blocked',
      'b/001.sql:1',
      'plan: "DROP TABLE people" at "b/001.sql:1" fails: table admins (INHERITS people) ("a/001.sql:2") depends on it, and PostgreSQL refuses to drop what other objects depend on without CASCADE',
    ]]);
    expect(errors(await planOf({
      'a/001.sql': 'CREATE TABLE people (id int, name text);\nCREATE TABLE admins (level int) INHERITS (people);\nCREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM (\'2026-01-01\') TO (\'2027-01-01\');\n',
      'a/002.sql': 'DROP TABLE admins;\nDROP TABLE people;\nDROP TABLE events;\n',
    }))).toEqual([]);
  });
});
