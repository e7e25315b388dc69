/**
 * The messy fixture tree's plan against its reviewed golden file: where every statement runs, what
 * it waits for, every conflict with its resolution and every diagnostic. UPDATE_GOLDEN=1 rewrites.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
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

  it('a first run with none of its resolutions gives ten grouped diagnostics, one per real conflict', async () => {
    // The tree as a team first writes its topology: sets and services, no owns, supersessions, shared or destructive entries.
    const t = parse(readFileSync('test/fixtures/messy/topology.yaml', 'utf8')) as Record<string, any>;
    for (const key of ['supersessions', 'allowDestructive', 'shared']) delete t[key];
    delete t.sets.legacy.stores;
    for (const s of Object.values(t.services) as Record<string, unknown>[]) delete s.owns;
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-first-run-'));
    cpSync('test/fixtures/messy', dir, { recursive: true });
    writeFileSync(join(dir, 'topology.yaml'), stringify(t));
    const plan = await planMigration(join(dir, 'topology.yaml'), { allowErrors: true, env: {} });
    const counts: Record<string, number> = {};
    for (const d of plan.diagnostics) counts[`${d.severity} ${d.code}`] = (counts[`${d.severity} ${d.code}`] ?? 0) + 1;
    expect(counts).toEqual({
      'error plan.duplicate_create': 6, // users, set_updated_at, likes, mood, journal_entries and its sequence: each created twice in one store
      'error plan.unowned_object': 1, // one per shared set, listing what no service owns
      'error plan.unrouted': 1, // one per shared set, listing the statements without a store
      'warning plan.routed_by_neighbours': 1,
      'warning sql.unknown_effects': 1,
    });
    expect(plan.diagnostics.some((d) => d.message.includes('which no migration creates'))).toBe(false);
    for (const d of plan.diagnostics) expect(d.file, d.message).toBeTruthy();
  });
});
