/** A table's, view's or materialized view's row type is a type of its name: a function returning `SETOF orders` runs after orders, and needs no CREATE TYPE. */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, twoServices } from '../../../helpers/project.js';

describe('row types', () => {
  it('are the tables and views of their names; a type nothing defines is still missing', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE VIEW open_orders AS SELECT id FROM orders;\n',
        'b/001_fns.sql': 'CREATE FUNCTION all_orders() RETURNS SETOF orders LANGUAGE sql AS $$ SELECT * FROM orders $$;\nCREATE FUNCTION first_open() RETURNS open_orders LANGUAGE sql AS $$ SELECT * FROM open_orders LIMIT 1 $$;\nCREATE FUNCTION nothing() RETURNS SETOF no_such_type LANGUAGE sql AS $$ SELECT 1 $$;\n',
      },
      twoServices(['orders', 'open_orders']),
    );
    const p = await planMigration(topologyFile, { env: {}, allowErrors: true });
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['plan: "b/001_fns.sql:3" references type no_such_type, which no migration creates']);
    const edge = p.edges.find((e) => e.from === 'main:a/001_orders.sql#1-2' && e.to.startsWith('main:b/001_fns.sql'));
    expect(edge?.reasons).toEqual(['uses type open_orders', 'uses type orders']);
  });
});
