/**
 * The messy fixture tree's plan against its reviewed golden file: where every statement runs, what
 * it waits for, every conflict with its resolution and every diagnostic. UPDATE_GOLDEN=1 rewrites.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';

describe('the messy tree', () => {
  it('plans as reviewed, deterministically', async () => {
    const plan = await planMigration('test/fixtures/messy/topology.yaml', { env: {} });
    const view = {
      steps: plan.steps.map((s) => ({ id: s.id, wave: s.wave, dependsOn: s.dependsOn, ...(s.notes.length ? { notes: s.notes } : {}) })),
      conflicts: plan.conflicts.map((c) => ({ kind: c.kind, severity: c.severity, message: c.message, ...(c.resolution ? { resolution: c.resolution } : {}) })),
      skipped: plan.skipped,
      diagnostics: plan.diagnostics.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}`),
    };
    const text = JSON.stringify(view, null, 2) + '\n';
    const golden = 'test/fixtures/messy/plan.golden.json';
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
    const again = await planMigration('test/fixtures/messy/topology.yaml', { env: {} });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
  });
});
