/**
 * Cycles: a cycle that exists only because statements of one file share a step is broken by running
 * them as steps of their own; a cycle through the statements themselves names the one statement whose
 * skip breaks it, and that skip does.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology, twoServices } from '../../../helpers/project.js';

const topology = (extra: Record<string, unknown> = {}) => pgTopology({
  sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, app: { dir: 'app' } },
  services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['journal', 'mood'] } },
  supersessions: [{ objects: ['mood', 'journal'], by: 'app', sets: ['legacy'] }],
  ...extra,
});
const plan = async (files: Record<string, string>, extra?: Record<string, unknown>): Promise<Plan> => planMigration(makeProject(files, topology(extra)).topologyFile, { allowErrors: true, env: {} });
const cycles = (p: Plan) => p.diagnostics.filter((d) => d.code === 'plan.cycle');

const legacy = {
  'legacy/001_base.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE journal (id int PRIMARY KEY, m mood);",
  'legacy/050_cleanup.sql': 'DROP TABLE journal;',
};

describe('cycles', () => {
  it("a superseded type skipped while its set's table is kept until a drop: the winner's file runs as one step per statement, no cycle", async () => {
    const p = await plan({ ...legacy, 'app/001_journal.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad', 'glad');\nCREATE TABLE journal (id bigint PRIMARY KEY, m mood);" });
    expect(cycles(p)).toEqual([]);
    expect(p.steps.filter((s) => s.kind === 'sql').map((s) => s.id)).toEqual([
      'main:app/001_journal.sql#1', 'main:legacy/001_base.sql#2', 'main:legacy/050_cleanup.sql#1', 'main:app/001_journal.sql#2',
    ]);
    expect(p.steps.find((s) => s.id === 'main:app/001_journal.sql#2')!.notes.join('\n')).toContain('runs as a step of its own, apart from the rest of "app/001_journal.sql"');
    expect(p.steps.find((s) => s.id === 'main:legacy/001_base.sql#2')!.notes).toEqual([]);
  });

  it('a cycle through the statements themselves names the one statement to skip, and skipping it leaves no cycle', async () => {
    const files = { ...legacy, 'app/001_journal.sql': 'CREATE TABLE journal (id bigint PRIMARY KEY);', 'app/002_mood.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad', 'glad');\nALTER TABLE journal ADD COLUMN m mood;" };
    const p = await plan(files);
    expect(cycles(p)).toHaveLength(1);
    const d = cycles(p)[0]!;
    expect(d).toMatchObject({ file: 'legacy/050_cleanup.sql', line: 1 });
    expect(d.hint).toContain('skipping "legacy/050_cleanup.sql:1" (DROP TABLE journal) breaks it');
    expect(d.hint).toContain('skip:\n  - set: legacy\n    file: 050_cleanup.sql\n    statements: "1"');
    const fixed = await plan(files, { skip: [{ set: 'legacy', file: '050_cleanup.sql', statements: '1', reason: 'the cleanup of a superseded table' }] });
    expect(fixed.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(fixed.skipped.map((s) => `${s.file}:${s.line ?? ''}`)).toEqual(['legacy/001_base.sql:1', 'legacy/001_base.sql:2', 'legacy/050_cleanup.sql:1']);
  });

  it("a cycle through a shared set's statement names that statement before a service's", async () => {
    const p = await planMigration(makeProject({ 'legacy/001.sql': 'CREATE TABLE x (id int PRIMARY KEY, y_id int REFERENCES y (id));', 'app/001.sql': 'CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id));' },
      pgTopology({ sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['y'] } } })).topologyFile, { allowErrors: true, env: {} });
    expect(cycles(p)).toHaveLength(1);
    expect(cycles(p)[0]).toMatchObject({ file: 'legacy/001.sql', line: 1 });
  });

  it('a foreign-key cycle between two services names the later statement and the foreign key to move', async () => {
    const p = await planMigration(makeProject({ 'a/001.sql': 'CREATE TABLE x (id int PRIMARY KEY, y_id int REFERENCES y (id));', 'b/001.sql': 'CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id));' },
      twoServices()).topologyFile, { allowErrors: true, env: {} });
    expect(cycles(p)).toHaveLength(1);
    expect(cycles(p)[0]!.hint).toContain('"b/001.sql:1" (CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id))) waits for (x_id) → table x through a foreign key: move it into an ALTER TABLE ... ADD FOREIGN KEY in a later file of set "b"');
  });
});
