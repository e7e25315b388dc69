import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliContext } from '../../../src/cli/cli-context.js';
import { planFor } from '../../../src/cli/plan-for.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const ctxIn = (cwd: string) => cliContext({ out: () => {}, err: () => {}, cwd, env: {} });

describe('planFor', () => {
  it('plans the topology it is given, or the topoplan.yaml it finds, with the warnings of loading it', async () => {
    const { dir, topologyFile } = makeProject({ 'app/001_a.sql': 'CREATE TABLE a (id int);\n' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['a'] } }, accept: [{ conflict: 'cascade_drop', object: 'nothing_here', reason: 'x' }] }));
    const plan = await planFor(ctxIn(dir), topologyFile);
    expect(plan.steps.map((s) => s.id)).toContain('main:app/001_a.sql#1');
    expect(plan.diagnostics.some((d) => d.severity === 'warning')).toBe(true);
  });

  it('without a topology file, stops at once with the usage error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'topoplan-planfor-'));
    await expect(planFor(ctxIn(empty), undefined)).rejects.toMatchObject({ code: 'cli.usage' });
  });

  it('a named file that is not there is a topology error naming it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'topoplan-planfor-'));
    await expect(planFor(ctxIn(empty), 'missing.yaml')).rejects.toThrow('missing.yaml');
  });
});
