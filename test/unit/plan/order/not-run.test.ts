/**
 * Files the plan does not apply are listed as what they are, each with why and where it sits in its
 * set's order (after which step), and shown in the text plan; none is silently dropped, and none is
 * mixed with the statements a supersession or a skip: entry removes.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { renderPlanText } from '../../../../src/render/plan-text.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

describe('files not run', () => {
  it('a program, an empty file, a file of comments, a down file with no up file: listed in order, after the step before them', async () => {
    const p = await planMigration(makeProject({
      'app/1_a.sql': 'CREATE TABLE a (id int);',
      'app/2_empty.sql': '',
      'app/3_comments.sql': '-- nothing yet\n/* later */\n',
      'app/4_backfill.py': 'print(1)',
      'app/5_b.up.sql': 'CREATE TABLE b (id int);',
      'app/5_b.down.sql': 'DROP TABLE b;',
      'app/6_c.down.sql': 'DROP TABLE c;',
      'app/10_d.sql': 'CREATE TABLE d (id int);',
      'app/0_start.py': 'print(0)',
    }, pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } })).topologyFile, { allowErrors: true, env: {} });
    expect(p.notRun).toEqual([
      { set: 'app', file: 'app/0_start.py', reason: expect.stringContaining('a Python file: topoplan runs SQL and Cypher only') },
      { set: 'app', file: 'app/2_empty.sql', reason: 'holds no statement to run (empty, only comments)', after: 'main:app/1_a.sql#1' },
      { set: 'app', file: 'app/3_comments.sql', reason: 'holds no statement to run (empty, only comments)', after: 'main:app/1_a.sql#1' },
      { set: 'app', file: 'app/4_backfill.py', reason: expect.stringContaining('a Python file'), after: 'main:app/1_a.sql#1' },
      { set: 'app', file: 'app/6_c.down.sql', reason: 'a down file (a revert) with no up file beside it: never run forward', after: 'main:app/5_b.up.sql#1' },
    ]);
    expect(p.skipped).toEqual([]);
    expect(p.steps.find((s) => s.id === 'main:app/5_b.up.sql#1')!.revert!.file).toBe('app/5_b.down.sql');
    const text = renderPlanText(p);
    expect(text).toContain('Files not run');
    expect(text).toContain('  app/4_backfill.py: a Python file: topoplan runs SQL and Cypher only; run it yourself at this point of the order (after main:app/1_a.sql#1)');
    expect(text).toContain('  app/0_start.py: a Python file: topoplan runs SQL and Cypher only; run it yourself at this point of the order (first of set "app")');
  });

  it('in a set whose service keeps an sqlx ledger, a .sql file sqlx ignores (no "_" in its name) is not run either, with a warning saying how to run it', async () => {
    const p = await planMigration(makeProject({
      'app/1_a.sql': 'CREATE TABLE a (id int);',
      'app/seed.sql': 'TRUNCATE a;',
      'app/2_b.sql': 'CREATE TABLE b (id int);',
    }, pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], ledger: 'sqlx' } } })).topologyFile, { allowErrors: true, env: {} });
    expect(p.steps.map((s) => s.source?.file).filter(Boolean)).toEqual(['app/1_a.sql', 'app/2_b.sql']);
    expect(p.notRun).toEqual([{ set: 'app', file: 'app/seed.sql', reason: 'sqlx does not count it as a migration (its name has no "_" between version and description): never run', after: 'main:app/2_b.sql#1' }]);
    expect(p.diagnostics.filter((d) => d.code === 'topology.sqlx_ignored').map((d) => [d.file, d.message, d.hint])).toEqual([
      ['app/seed.sql', 'topology: sqlx ignores "app/seed.sql" (its name has no "_" between version and description), so topoplan does not run it either; its service keeps an sqlx ledger', 'to run it, name it <version>_<description>.sql, e.g. 1_seed.sql'],
    ]);
    // Without sqlx in play the same name is an ordinary migration.
    const plain = await planMigration(makeProject({ 'app/1_a.sql': 'CREATE TABLE a (id int);', 'app/seed.sql': 'CREATE TABLE s (id int);' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } })).topologyFile, { allowErrors: true, env: {} });
    expect(plain.steps.map((s) => s.source?.file).filter(Boolean)).toEqual(['app/1_a.sql', 'app/seed.sql']);
  });
});
