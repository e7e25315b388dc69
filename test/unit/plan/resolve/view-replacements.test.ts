import { describe, expect, it } from 'vitest';
import { errorsOf as errorsIn, planTwoServices } from '../../../helpers/project.js';

/** Each error as `[code, file:line, message]`. */
const errorsOf = async (files: Record<string, string>) => errorsIn(await planTwoServices(files)).map((e) => e.slice(0, 3));

const BASE = 'CREATE TABLE t (id int, a int, b int);\nCREATE VIEW v AS SELECT id, a FROM t;\n';

describe('CREATE OR REPLACE VIEW and the columns the view has', () => {
  it('a replacement that renames a column: an error naming both definitions and both column lists', async () => {
    expect(await errorsOf({ 'a/001.sql': BASE, 'a/002.sql': 'CREATE OR REPLACE VIEW v AS SELECT id, b FROM t;\n' })).toEqual([[
      'plan.view_columns_changed',
      'a/002.sql:1',
      'plan: "CREATE OR REPLACE VIEW v" at "a/002.sql:1" changes the columns of view v ("a/001.sql:2"): id, a → id, b; PostgreSQL keeps a replaced view\'s columns, adding new ones only at the end',
    ]]);
  });

  it.each([
    ['one that drops the last column', 'CREATE OR REPLACE VIEW v AS SELECT id FROM t;\n'],
    ['one that reorders them', 'CREATE OR REPLACE VIEW v AS SELECT a, id FROM t;\n'],
  ])('%s is one too', async (_name, sql) => {
    expect((await errorsOf({ 'a/001.sql': BASE, 'a/002.sql': sql })).map((e) => e[0])).toEqual(['plan.view_columns_changed']);
  });

  it.each([
    ['columns added at the end, and a new query for the same names', 'CREATE OR REPLACE VIEW v AS SELECT id, a + 1 AS a, b FROM t;\n'],
    ['the view dropped first', 'DROP VIEW v;\nCREATE OR REPLACE VIEW v AS SELECT b FROM t;\n'],
    ['names that cannot be told (*)', 'CREATE OR REPLACE VIEW v AS SELECT * FROM t;\n'],
    ['a column list naming them', 'CREATE OR REPLACE VIEW v (id, a) AS SELECT id, b FROM t;\n'],
  ])('%s plans', async (_name, sql) => {
    expect(await errorsOf({ 'a/001.sql': BASE, 'a/002.sql': sql })).toEqual([]);
  });
});
