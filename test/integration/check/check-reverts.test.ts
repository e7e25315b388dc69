/**
 * `check` rolls the plan back on its throwaway engines: a revert that fails
 * or leaves the schema other than before fails the check, naming the step;
 * a step nothing undoes is listed as kept.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { renderCheckText } from '../../../src/render/check-text.js';
import { makeProject } from '../../helpers/project.js';

function topology(files: Record<string, string>) {
  return makeProject(files, { stores: { main: { engine: 'postgres', database: 'main' } }, sets: { app: { dir: 'app', convention: 'sqlx' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }).topologyFile;
}

describe('check proves the reverts', () => {
  it('reports a revert that fails, one that leaves an object behind, and a step nothing undoes', async () => {
    const plan = await planMigration(topology({
      'app/0001_a.up.sql': 'CREATE TABLE a (id int);\nCREATE TABLE keep (id int);\n',
      'app/0001_a.down.sql': 'DROP TABLE a;\n',
      'app/0002_b.up.sql': 'CREATE TABLE b (id int);\n',
      'app/0002_b.down.sql': 'DROP TABLE not_there;\n',
      'app/0003_c.up.sql': 'DO $$ BEGIN PERFORM 1; END $$;\n',
    }), { env: {} });
    const result = await checkPlan(plan, { reverts: true });
    expect(result.steps.every((s) => s.status === 'applied')).toBe(true);
    expect(result.ok).toBe(false);
    const r = result.reverts!;
    expect(r.irreversible.map((i) => [i.step, i.reason])).toEqual([['main:app/0003_c.up.sql#1', expect.stringMatching(/^irreversible: statement 1 \(app\/0003_c.up.sql:1\): a DO block/)]]);
    expect(r.failed[0]!.step).toBe('main:app/0002_b.up.sql#1');
    expect(r.failed.map((f) => f.step).sort()).toEqual(['main:app/0001_a.up.sql#1-2', 'main:app/0002_b.up.sql#1', 'main:database']);
    expect(r.failed[0]!.message).toMatch(/table "not_there" does not exist/);
    const text = renderCheckText(result, { topology: 'test', file: 'topology.yaml', command: 'topoplan check' });
    expect(text).toContain('rollback (every step reverted on the same engines)');
    expect(text).toMatch(/FAILED  main:app\/0002_b.up.sql#1 rollback: the revert of .* failed: .*not_there/);
    expect(text).toContain('kept    main:app/0003_c.up.sql#1');
    expect(text).toMatch(/check: failed: .*3 reverts failed\n$/);
  });

  it('a plan whose reverts all run is ok, and a store left other than before is named object by object', async () => {
    const plan = await planMigration(topology({ 'app/0001_a.up.sql': 'CREATE TABLE a (id int);\nCREATE TABLE keep (id int);\n', 'app/0001_a.down.sql': 'DROP TABLE a;\n' }), { env: {} });
    const result = await checkPlan(plan);
    expect(result.reverts).toEqual({ ok: false, failed: [], irreversible: [], differences: [{ store: 'main', differences: ['extra table public.keep'] }] });
    expect(renderCheckText(result, { topology: 'test', file: 'topology.yaml', command: 'topoplan check' })).toContain('DIFFERS store main after the rollback: extra table public.keep');
    const clean = await checkPlan(await planMigration(topology({ 'app/0001_a.up.sql': 'CREATE TABLE a (id int);\n' }), { env: {} }));
    expect(clean.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
    expect(clean.ok).toBe(true);
    expect(renderCheckText(clean, { topology: 'test', file: 'topology.yaml', command: 'topoplan check' })).toContain('ok     every revert ran and each store is back as before');
  });
});
