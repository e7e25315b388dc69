/**
 * planMigration's stage report (PlanOptions.onStage): every stage once, in the order it ran, with what it
 * worked on; the plan is the same with it or without; a plan from the parse cache says how many files came
 * from it, and when the plan saved it; planTopology reports its own reading of the files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMigration, planTopology, type PlanOptions } from '../../../src/plan/plan-migration.js';
import type { PlanStage } from '../../../src/plan/stage-clock.js';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { loadTopology } from '../../../src/topology/index.js';

const FILE = 'topologies/nova-plan-b.yaml';
const PLANNING = ['route', 'duplicates', 'versions', 'references', 'objects', 'graph', 'columns', 'steps', 'reverts', 'finish'];

async function staged(input: Parameters<typeof planMigration>[0], options: PlanOptions = {}) {
  const stages: PlanStage[] = [];
  const plan = await planMigration(input, { env: {}, parseWorkers: 0, ...options, onStage: (s) => stages.push(s) });
  return { plan, stages };
}

describe('planMigration stages', () => {
  it('reports every stage once, in order, with what it worked on, and plans the same as without', async () => {
    const { plan, stages } = await staged(FILE);
    expect(stages.map((s) => s.stage)).toEqual(['topology', 'read', ...PLANNING]);
    expect(stages.every((s) => s.ms >= 0 && s.heapMb > 0)).toBe(true);
    const detail = Object.fromEntries(stages.filter((s) => s.detail).map((s) => [s.stage, s.detail]));
    const statements = plan.steps.reduce((n, s) => n + (s.source ? s.source.ordinals.length : 0), 0);
    expect(detail.read).toMatch(/^\d+ files, \d+ statements$/);
    expect(Number(detail.read!.split(' ')[2])).toBeGreaterThanOrEqual(statements);
    expect(detail.graph).toBe(`${plan.steps.length} steps, ${plan.edges.length} edges`);
    expect(detail.objects).toBe(`${plan.objects.length} objects`);
    expect(JSON.stringify(plan)).toBe(JSON.stringify(await planMigration(FILE, { env: {}, parseWorkers: 0 })));
  });

  it('says how many files came from the parse cache, and times saving it', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'topoplan-stages-'));
    const cold = await staged(FILE, { cacheDir });
    const warm = await staged(FILE, { cacheDir });
    const read = (r: typeof cold) => r.stages.find((s) => s.stage === 'read')!.detail!;
    const files = Number(read(cold).split(' ')[0]);
    expect(files).toBeGreaterThan(10);
    expect(read(cold)).toMatch(new RegExp(`^${files} files \\(0 from the parse cache, ${files} parsed\\), \\d+ statements$`));
    expect(read(warm)).toMatch(new RegExp(`^${files} files \\(${files} from the parse cache, 0 parsed\\), \\d+ statements$`));
    expect(warm.stages.map((s) => s.stage)).toEqual(['topology', 'read', ...PLANNING, 'cache']);
    expect(JSON.stringify(warm.plan)).toBe(JSON.stringify(cold.plan));
  });

  it('reports no topology stage for a topology already loaded, and planTopology its own reading', async () => {
    const { topology } = await loadTopology(FILE, { env: {} });
    const { stages } = await staged(topology!);
    expect(stages.map((s) => s.stage)).toEqual(['read', ...PLANNING]);
    await loadParsers();
    const own: PlanStage[] = [];
    planTopology(topology!, { onStage: (s) => own.push(s) });
    expect(own.map((s) => s.stage)).toEqual(['read', ...PLANNING]);
    expect(own[0]!.detail).toBe(stages[0]!.detail);
  });
});
