/**
 * Constraint names already taken: a second FOREIGN KEY, CHECK or UNIQUE constraint of one name on a
 * table, and a named PRIMARY KEY / UNIQUE constraint whose index name another table's constraint or an
 * index already has in the schema, are plan-time conflicts naming both places; a name dropped in between,
 * a table dropped in between and names PostgreSQL chooses are not.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const topology = (extra: Record<string, unknown> = {}) => pgTopology({ sets: { app: { dir: 'app' }, ops: { dir: 'ops', ...extra } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, ops: { stores: { postgres: 'main' }, sets: ['ops'] } } });
const plan = async (files: Record<string, string>, extra?: Record<string, unknown>): Promise<Plan> => planMigration(makeProject({ 'ops/000.sql': '', ...files }, topology(extra)).topologyFile, { allowErrors: true, env: {} });
const taken = (p: Plan) => p.conflicts.filter((c) => c.kind === 'duplicate_create' && c.object.startsWith('constraint '));
const base = 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric);';

describe('constraint names already taken', () => {
  it.each([
    ['a foreign key', 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);', 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;', 'orders_customer_fk'],
    ['a check', 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);', 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total > 0);', 'orders_total_check'],
    ['a unique over a chosen name', 'ALTER TABLE orders ADD UNIQUE (customer_id, id);', 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_id_key UNIQUE (id, customer_id);', 'orders_customer_id_id_key'],
    ['a check over a chosen foreign key name', 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);', 'ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey CHECK (customer_id > 0);', 'orders_customer_id_fkey'],
  ])('%s twice on a table', async (_what, first, second, name) => {
    const p = await plan({ 'app/001.sql': base, 'app/002.sql': first, 'app/003.sql': second });
    expect(taken(p).map((c) => c.message)).toEqual([expect.stringContaining(`constraint "${name}" at "app/003.sql:1" is already a constraint of table "orders", added at "app/002.sql:1" in store "main"`)]);
    expect(taken(p)[0]).toMatchObject({ severity: 'error' });
    expect(taken(p)[0]!.sources.map((s) => s.file)).toEqual(['app/003.sql', 'app/002.sql']);
    expect(taken(p)[0]!.hint).toContain(`ALTER TABLE orders DROP CONSTRAINT ${name}`);
  });

  it('two constraints of one name in one CREATE TABLE', async () => {
    const p = await plan({ 'app/001.sql': 'CREATE TABLE m (a int CONSTRAINT positive CHECK (a > 0), b int CONSTRAINT positive CHECK (b > 0));' });
    expect(taken(p).map((c) => c.message)).toEqual([expect.stringContaining('constraint "positive" at "app/001.sql:1" is already a constraint of table "m", added at "app/001.sql:1"')]);
  });

  it("a named unique constraint whose index name another table's constraint or an index already has in the schema", async () => {
    const p = await plan({
      'app/001.sql': `${base}\nALTER TABLE customers ADD CONSTRAINT uq_code UNIQUE (id);\nCREATE INDEX orders_by_total ON orders (total);`,
      'app/002.sql': 'ALTER TABLE orders ADD CONSTRAINT uq_code UNIQUE (id);\nALTER TABLE orders ADD CONSTRAINT orders_by_total UNIQUE (total);',
    });
    expect(taken(p).map((c) => c.message)).toEqual([
      expect.stringContaining('constraint "orders_by_total" at "app/002.sql:2" makes an index named "orders_by_total", but an index at "app/001.sql:4" has that name in its schema already'),
      expect.stringContaining('constraint "uq_code" at "app/002.sql:1" makes an index named "uq_code", but the unique constraint of table "customers" at "app/001.sql:3" has that name in its schema already'),
    ]);
  });

  it('two sets adding one name that nothing orders conflict; a drop of the constraint or its table in between, and chosen names, do not', async () => {
    const fk = 'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);';
    const unordered = await plan({ 'app/001.sql': base, 'app/002.sql': fk, 'ops/001.sql': fk });
    expect(taken(unordered).map((c) => c.message)).toEqual([expect.stringContaining('constraint "orders_customer_fk" at "ops/001.sql:1" is already a constraint of table "orders", added at "app/002.sql:1"')]);
    const fine = await plan({
      'app/001.sql': base,
      'app/002.sql': `${fk}\nALTER TABLE orders ADD UNIQUE (customer_id);\nALTER TABLE orders ADD UNIQUE (customer_id);`,
      'app/003.sql': `ALTER TABLE orders DROP CONSTRAINT orders_customer_fk;\n${fk}`,
      'app/004.sql': 'DROP TABLE orders;\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));',
      'app/005.sql': 'CREATE UNIQUE INDEX orders_customer_uq ON orders (customer_id);\nALTER TABLE orders ADD CONSTRAINT orders_customer_uq UNIQUE USING INDEX orders_customer_uq;',
    });
    expect(taken(fine)).toEqual([]);
  });
});
