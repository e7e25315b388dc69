/**
 * The search-path fixture on PostgreSQL: chat's objects land in schema chat, core's later table in public
 * (a step's SET search_path does not outlast it on the connection), and every revert runs under the path
 * its statement was written for.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';

describe('SET search_path on PostgreSQL', () => {
  it('applies where the plan says and rolls back whole', async () => {
    const plan = await planMigration('test/fixtures/search-path/topology.yaml', { env: {} });
    const result = await checkPlan(plan);
    expect(result.failures).toEqual([]);
    const objects = result.schemas.find((s) => s.store === 'main')!.objects.map((o) => `${o.kind} ${o.name}`);
    expect(objects.filter((o) => o.startsWith('table '))).toEqual(['table chat.conversations', 'table chat.messages', 'table public.accounts', 'table public.audit']);
    expect(objects).toContain('view public.chat_sizes');
    expect(result.reverts).toEqual({ ok: true, failed: [], irreversible: [], differences: [] });
    expect(result.ok).toBe(true);
  });
});
