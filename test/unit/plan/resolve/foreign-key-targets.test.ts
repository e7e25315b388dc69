import { describe, expect, it } from 'vitest';
import { planErrors } from '../../../helpers/project.js';

const TABLES = 'CREATE TABLE users (id int PRIMARY KEY, email text, handle text, UNIQUE (handle, email));\nCREATE TABLE tags (name text);\n';

describe('a foreign key to what is no key of its table', () => {
  it('columns no primary key or unique constraint is, and a table with no primary key: errors naming the key and the table', async () => {
    expect(await planErrors({ 'a/001.sql': TABLES, 'b/001.sql': 'CREATE TABLE orders (id int, user_email text REFERENCES users (email));\nCREATE TABLE posts (id int, tag text REFERENCES tags);\n' })).toEqual([
      ['plan.foreign_key_target', 'b/001.sql:1', 'plan: the foreign key at "b/001.sql:1" references users (email), which no primary key or unique constraint of the table is ("a/001.sql:1" makes it): PostgreSQL refuses a foreign key to anything but a key of its table'],
      ['plan.foreign_key_target', 'b/001.sql:2', 'plan: the foreign key at "b/001.sql:2" references tags by its primary key, which the table does not have ("a/001.sql:2" makes it): PostgreSQL refuses a foreign key to anything but a key of its table'],
    ]);
  });

  it('a column the table lacks is left to the unknown_column check', async () => {
    expect((await planErrors({ 'a/001.sql': TABLES, 'b/001.sql': 'CREATE TABLE orders (id int, user_mail text REFERENCES users (mail));\n' })).map((e) => e[0])).toEqual(['plan.unknown_column']);
  });

  it('the primary key, a unique pair in either order, a self-reference, and tables other statements may give keys: plan', async () => {
    expect(await planErrors({
      'a/001.sql': TABLES + 'CREATE TABLE nodes (id int PRIMARY KEY, parent int REFERENCES nodes (id));\n',
      'a/002.sql': 'CREATE UNIQUE INDEX tags_name ON tags (name);\n',
      'b/001.sql': 'CREATE TABLE orders (id int, user_id int REFERENCES users, h text, e text, FOREIGN KEY (e, h) REFERENCES users (email, handle));\nCREATE TABLE posts (id int, tag text REFERENCES tags (name));\n',
    })).toEqual([]);
  });
});
