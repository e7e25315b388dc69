import { describe, expect, it } from 'vitest';
import { errorsOf, planErrors, planTwoServices } from '../../../helpers/project.js';


describe('one name space per schema for tables, views, sequences and indexes', () => {
  it('an index named as another set\'s table, and a type named as a table: errors at the later creation', async () => {
    expect(await planErrors({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
      'b/001.sql': 'CREATE TABLE users_email (id int);\n',
      'b/002.sql': "CREATE INDEX users_email ON users (email);\nCREATE TYPE users AS ENUM ('x');\n",
    })).toEqual([
      ['plan.duplicate_create', 'b/002.sql:1', 'plan: index "users_email" at "b/002.sql:1" takes the name of table users_email ("b/001.sql:1") in store "main": in PostgreSQL tables, views, sequences and indexes share one name space per schema'],
      ['plan.duplicate_create', 'b/002.sql:2', 'plan: type "users" at "b/002.sql:2" takes the name of table users ("a/001.sql:1") in store "main": in PostgreSQL a table, view or materialized view has a row type of its name'],
    ]);
  });

  it('two sets nothing orders: one error, at the statement that comes later in the author\'s order', async () => {
    expect(await planErrors({ 'a/001.sql': 'CREATE SEQUENCE counters;\n', 'b/001.sql': 'CREATE VIEW counters AS SELECT 1 AS n;\n' })).toEqual([
      ['plan.duplicate_create', 'b/001.sql:1', 'plan: view "counters" at "b/001.sql:1" takes the name of sequence counters ("a/001.sql:1") in store "main": in PostgreSQL tables, views, sequences and indexes share one name space per schema'],
    ]);
  });

  it('a name freed first (dropped, renamed), in another schema, IF NOT EXISTS, or an index beside a type: plan', async () => {
    const plan = await planTwoServices({
      'a/001.sql': "CREATE TABLE legacy (id int);\nCREATE TABLE old_name (id int);\nCREATE SCHEMA app;\nCREATE TYPE mood AS ENUM ('ok');\n",
      'a/002.sql': 'DROP TABLE legacy;\nCREATE VIEW legacy AS SELECT 1 AS id;\nALTER TABLE old_name RENAME TO new_name;\nCREATE SEQUENCE old_name;\nCREATE TABLE app.mood (id int);\nCREATE INDEX mood ON new_name (id);\nCREATE SEQUENCE IF NOT EXISTS legacy;\n',
    });
    expect(errorsOf(plan)).toEqual([]);
    // The view waits for the table's drop, though a destructive step passes the file order on to no other.
    expect(plan.steps.find((s) => s.statements[0]!.startsWith('CREATE VIEW legacy'))!.dependsOn).toContain('main:a/002.sql#1');
  });
});

describe('a rename to a name the schema has', () => {
  it('of its own kind or another: an error at the rename; a rename after the holder went, or to another name, plans', async () => {
    expect(await planErrors({
      'a/001.sql': 'CREATE TABLE users (id int);\nCREATE TABLE people (id int);\nCREATE SEQUENCE counters;\nCREATE TABLE tallies (n int);\n',
      'b/001.sql': 'ALTER TABLE users RENAME TO people;\nALTER TABLE tallies RENAME TO counters;\n',
    })).toEqual([
      ['plan.duplicate_create', 'b/001.sql:1', 'plan: the rename at "b/001.sql:1" gives table users the name "people", which table people ("a/001.sql:2") holds in store "main": in PostgreSQL a schema has one object of a name and kind'],
      ['plan.duplicate_create', 'b/001.sql:2', 'plan: the rename at "b/001.sql:2" gives table tallies the name "counters", which sequence counters ("a/001.sql:3") holds in store "main": in PostgreSQL tables, views, sequences and indexes share one name space per schema'],
    ]);
    expect(await planErrors({
      'a/001.sql': 'CREATE TABLE users (id int);\nCREATE TABLE people (id int);\n',
      'a/002.sql': 'DROP TABLE people;\nALTER TABLE users RENAME TO people;\nALTER TABLE people RENAME TO members;\nCREATE TABLE people (id int);\n',
    })).toEqual([]);
  });
});
