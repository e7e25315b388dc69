/**
 * An index name already taken in its store by the index of a PRIMARY KEY or UNIQUE constraint (named,
 * or named by PostgreSQL) is a plan-time conflict naming both places; IF NOT EXISTS and other names are not.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const topology = pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } });
const plan = async (files: Record<string, string>): Promise<Plan> => planMigration(makeProject(files, topology).topologyFile, { allowErrors: true, env: {} });
const taken = (p: Plan) => p.conflicts.filter((c) => c.kind === 'duplicate_create' && c.object.startsWith('index '));

describe('index names already taken', () => {
  it.each([
    ['a column UNIQUE (table_column_key)', 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);', 'CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));', 'accounts_email_key'],
    ['a primary key (table_pkey)', 'CREATE TABLE accounts (id bigint PRIMARY KEY);', 'CREATE INDEX accounts_pkey ON accounts (id);', 'accounts_pkey'],
    ['a table UNIQUE over two columns', 'CREATE TABLE m (a int, b int, UNIQUE (a, b));', 'CREATE INDEX m_a_b_key ON m (b, a);', 'm_a_b_key'],
    ['a named constraint added later', 'CREATE TABLE m (a int);\nALTER TABLE m ADD CONSTRAINT m_a_uniq UNIQUE (a);', 'CREATE INDEX m_a_uniq ON m (a);', 'm_a_uniq'],
  ])('%s', async (_what, first, second, name) => {
    const p = await plan({ 'app/001.sql': first, 'app/002.sql': second });
    const c = taken(p);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ severity: 'error', object: `index ${name}` });
    expect(c[0]!.message).toContain(`index "${name}" at "app/002.sql:1" is already the name of the index a constraint of table`);
    expect(c[0]!.sources.map((s) => s.file)).toEqual(['app/002.sql', 'app/001.sql']);
  });

  it('a constraint dropped in between frees the name; a table renamed does not (its index keeps its name)', async () => {
    const p = await plan({
      'app/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text UNIQUE);\nCREATE TABLE m (a int UNIQUE);',
      'app/002.sql': 'ALTER TABLE accounts DROP CONSTRAINT accounts_email_key;\nCREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));\nALTER TABLE m RENAME TO m_old;\nCREATE TABLE m (a int);\nCREATE INDEX m_a_key ON m (a);',
    });
    expect(taken(p).map((c) => c.message)).toEqual([expect.stringContaining('index "m_a_key" at "app/002.sql:5" is already the name of the index a constraint of table "m" makes at "app/001.sql:2"')]);
  });

  it('IF NOT EXISTS, and names PostgreSQL does not choose, are no conflict', async () => {
    const p = await plan({ 'app/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text UNIQUE);', 'app/002.sql': 'CREATE INDEX IF NOT EXISTS accounts_email_key ON accounts (email);\nCREATE INDEX accounts_email_lower ON accounts (lower(email));' });
    expect(taken(p)).toEqual([]);
  });
});
