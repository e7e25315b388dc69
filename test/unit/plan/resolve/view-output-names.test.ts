import { describe, expect, it } from 'vitest';
import { planErrors } from '../../../helpers/project.js';

const TABLES = 'CREATE TABLE users (id int PRIMARY KEY, name text);\nCREATE TABLE orders (id int PRIMARY KEY, user_id int);\n';

describe('a view with two columns of one name', () => {
  it('is an error naming the column', async () => {
    expect(await planErrors({ 'a/001.sql': TABLES, 'b/001.sql': 'CREATE VIEW lines AS SELECT o.id, u.id, u.name FROM orders o JOIN users u ON u.id = o.user_id;\n' })).toEqual([
      ['plan.duplicate_column', 'b/001.sql:1', 'plan: view lines at "b/001.sql:1" has two columns named "id": PostgreSQL refuses a view whose columns share a name'],
    ]);
  });

  it('aliases, an explicit column list, and * (whose names the plan cannot tell) plan', async () => {
    expect(await planErrors({
      'a/001.sql': TABLES,
      'b/001.sql': 'CREATE VIEW a AS SELECT o.id, u.id AS user_ref FROM orders o JOIN users u ON u.id = o.user_id;\nCREATE VIEW b (order_id, user_ref) AS SELECT o.id, u.id FROM orders o JOIN users u ON u.id = o.user_id;\nCREATE VIEW c AS SELECT * FROM orders o JOIN users u ON u.id = o.user_id;\n',
    })).toEqual([]);
  });
});
