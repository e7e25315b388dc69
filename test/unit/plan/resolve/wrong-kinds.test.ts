import { describe, expect, it } from 'vitest';
import { planErrors } from '../../../helpers/project.js';

const TABLES = 'CREATE TABLE users (id int PRIMARY KEY, name text);\nCREATE VIEW names AS SELECT name FROM users;\nCREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM users;\n';

describe('a relation named as another kind', () => {
  it('DROP VIEW of a materialized view, DROP TABLE of a view, and an index on a view: errors naming what the name is', async () => {
    expect(await planErrors({ 'a/001.sql': TABLES, 'b/001.sql': 'DROP VIEW counts;\nDROP TABLE IF EXISTS names;\nCREATE INDEX names_idx ON names (name);\n' })).toEqual([
      ['plan.wrong_kind', 'b/001.sql:1', 'plan: "DROP VIEW counts" at "b/001.sql:1" names materialized view counts ("a/001.sql:3") as a view: PostgreSQL refuses a statement for one kind of relation on another'],
      ['plan.wrong_kind', 'b/001.sql:3', 'plan: "CREATE INDEX ON names" at "b/001.sql:3" names view names ("a/001.sql:2") as a table: PostgreSQL refuses a statement for one kind of relation on another'],
    ]);
  });

  it("the drop's own set's view of that name, dropped before, or a matview indexed: plan; IF EXISTS before another set's object is a cleanup", async () => {
    expect(await planErrors({ 'a/001.sql': TABLES, 'a/002.sql': 'DROP VIEW names;\nDROP TABLE IF EXISTS names;\nCREATE INDEX counts_n ON counts (n);\n', 'b/001.sql': 'DROP VIEW IF EXISTS users;\n' })).toEqual([]);
  });
});
