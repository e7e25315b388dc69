import { describe, expect, it } from 'vitest';
import { planErrors } from '../../../helpers/project.js';


describe('one primary key per table', () => {
  it('an ADD PRIMARY KEY of a table that has one, or that another set gives one too: errors naming both', async () => {
    expect(await planErrors({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE tags (id int, name text);\n',
      'a/002.sql': 'ALTER TABLE users ADD PRIMARY KEY (email);\nALTER TABLE tags ADD CONSTRAINT tags_pk PRIMARY KEY (id);\n',
      'b/001.sql': 'ALTER TABLE tags ADD PRIMARY KEY (name);\n',
    })).toEqual([
      ['plan.duplicate_create', 'a/002.sql:1', 'plan: "a/002.sql:1" adds a primary key to table "users", which has one by then ("a/001.sql:1"): PostgreSQL allows one primary key per table'],
      ['plan.duplicate_create', 'b/001.sql:1', 'plan: "b/001.sql:1" adds a primary key to table "tags", which another set gives one too, with nothing ordering the two (whichever runs second fails) ("a/002.sql:2"): PostgreSQL allows one primary key per table'],
    ]);
  });

  it('the old key dropped first, the table made again, or a table IF NOT EXISTS may not make: plan', async () => {
    expect(await planErrors({
      'a/001.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE items (id int PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY);\n',
      'a/002.sql': 'ALTER TABLE users DROP CONSTRAINT users_pkey;\nALTER TABLE users ADD PRIMARY KEY (email);\nDROP TABLE items;\nCREATE TABLE items (id int);\nALTER TABLE items ADD PRIMARY KEY (id);\nALTER TABLE notes ADD PRIMARY KEY (id);\n',
    })).toEqual([]);
  });
});
