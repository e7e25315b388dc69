/**
 * `accept:` works for every conflict kind the schema lists, by object name (bare, qualified, glob or
 * with a kind); an accept or skip that matches nothing is a warning naming its line.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const files = {
  'a/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);',
  'b/001_users.sql': 'CREATE TABLE IF NOT EXISTS users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE VIEW active AS SELECT * FROM ghosts;',
  'b/002_drop.sql': 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;',
};
const topology = (accept: unknown[], skip: unknown[] = []) =>
  pgTopology({
    sets: { a: { dir: 'a' }, b: { dir: 'b' } },
    services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'] } },
    accept,
    skip,
  });
const plan = async (accept: unknown[], skip: unknown[] = []): Promise<Plan> => planMigration(makeProject(files, topology(accept, skip)).topologyFile, { allowErrors: true, env: {} });
const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort();

describe('accept: for every conflict kind', () => {
  it('without accepts: a duplicate create and a missing object fail; the drop after create warns', async () => {
    const p = await plan([]);
    expect(errors(p)).toEqual(['plan.duplicate_create', 'plan.missing_object']);
    expect(p.conflicts.find((c) => c.kind === 'drop_after_create')!.severity).toBe('warning');
  });

  it('duplicate_create, missing_object and drop_after_create are accepted by name, qualified name, glob or kind', async () => {
    const p = await plan([
      { conflict: 'duplicate_create', object: 'public.users', reason: 'both shapes are compatible' },
      { conflict: 'missing_object', object: 'table:gh*', reason: 'created by the reporting job' },
      { conflict: 'drop_after_create', object: 'scratch', reason: 'a test table' },
    ]);
    expect(errors(p)).toEqual([]);
    for (const kind of ['duplicate_create', 'missing_object', 'drop_after_create']) {
      const c = p.conflicts.find((x) => x.kind === kind)!;
      expect(c.severity).toBe('warning');
      expect(c.resolution).toMatch(/^accepted \(.*topology\.yaml:\d+\): /);
    }
    expect(p.diagnostics.filter((d) => d.code === 'plan.unused_accept')).toEqual([]);
  });

  it('an accept that matches no conflict is a warning naming its line', async () => {
    const p = await plan([
      { conflict: 'duplicate_create', object: 'users', reason: 'known' },
      { conflict: 'missing_object', object: 'ghosts', reason: 'known' },
      { conflict: 'cascade_drop', object: 'users', reason: 'left over from an old file' },
    ]);
    const w = p.diagnostics.filter((d) => d.code === 'plan.unused_accept');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ severity: 'warning', line: expect.any(Number) });
    expect(w[0]!.file).toMatch(/topology\.yaml$/);
    expect(w[0]!.message).toBe('plan: accept: { conflict: cascade_drop, object: users } matches no conflict of the plan');
  });
});

describe('skip: entries that skip nothing', () => {
  it('a file glob matching no file, and a statement range beyond the file, are warnings; used entries are not', async () => {
    const accept = [
      { conflict: 'duplicate_create', object: 'users', reason: 'known' },
      { conflict: 'missing_object', object: 'ghosts', reason: 'known' },
    ];
    const p = await plan(accept, [
      { set: 'b', file: '002_drop.sql', statements: '1-2', reason: 'scratch work' },
      { set: 'b', file: '003_*.sql', reason: 'renamed long ago' },
      { set: 'b', file: '001_users.sql', statements: '7', reason: 'renumbered' },
    ]);
    const w = p.diagnostics.filter((d) => d.code === 'plan.unused_skip').map((d) => d.message);
    expect(w).toEqual([
      'plan: skip: { set: b, file: 003_*.sql } skips nothing: no file of set "b" matches',
      'plan: skip: { set: b, file: 001_users.sql, statements: "7" } skips nothing: no statement of a matching file is in that range',
    ]);
    expect(p.diagnostics.filter((d) => d.code === 'plan.unused_accept')).toEqual([]);
  });
});
