import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';

describe('the Nova plans', async () => {
  const a = await planMigration('topologies/nova-plan-a.yaml', { env: {} });
  const b = await planMigration('topologies/nova-plan-b.yaml', { env: {} });

  it.each([['a', a], ['b', b]] as const)('plan %s is deterministic and matches its reviewed golden file', async (name, plan) => {
    const again = await planMigration(`topologies/nova-plan-${name}.yaml`, { env: {} });
    const text = JSON.stringify(plan, null, 2) + '\n';
    expect(JSON.stringify(again, null, 2) + '\n').toBe(text);
    const golden = `test/fixtures/plan/nova-plan-${name}.golden.json`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('plan A drops the legacy chat tables before creating the new ones, whatever the file numbers say', () => {
    const drop = a.steps.findIndex((s) => s.source?.file === 'backend/migrations/999_cleanup_old_messaging_tables.sql' && s.changes.some((c) => c.name === 'conversations'));
    const create = a.steps.findIndex((s) => s.source?.file === 'realtime-chat-service/migrations/002_create_conversations.sql');
    expect(drop).toBeGreaterThan(-1);
    expect(create).toBeGreaterThan(drop);
    const edge = a.edges.find((e) => e.from === a.steps[drop]!.id && e.to === a.steps[create]!.id)!;
    expect(edge.reasons.join()).toContain('drops the old table conversations');
  });

  it('plan A copies renamed tables in the migrate phase and defers the old tables to the contract phase', () => {
    expect(a.steps.filter((s) => s.kind === 'copy_rows').map((s) => [s.id, s.phase])).toEqual([
      ['nova:copy:post_shares->shares', 'migrate'],
      ['nova:copy:social_metadata->post_counters', 'migrate'],
    ]);
    const cleanup = a.steps.filter((s) => s.source?.file === 'backend/migrations/998_cleanup_old_social_tables.sql');
    expect(cleanup.map((s) => s.phase)).toEqual(['contract', 'contract']);
    expect(cleanup.flatMap((s) => s.destroys.map((d) => [d.kind, d.object.name]))).toEqual([['drop', 'post_shares'], ['drop', 'social_metadata']]);
  });

  it('plan B puts each service in its database and removes foreign keys that would cross them', () => {
    expect(b.steps.find((s) => s.source?.file === 'realtime-chat-service/migrations/002_create_conversations.sql')!.store).toBe('nova_chat');
    const chat = b.steps.filter((s) => s.source?.file.startsWith('realtime-chat-service/'));
    expect(chat.some((s) => s.statements.some((q) => /references users/i.test(q)))).toBe(false);
    expect(chat.some((s) => s.statements.some((q) => /references conversations/i.test(q)))).toBe(true);
    expect(new Set(b.steps.map((s) => s.store)).size).toBeGreaterThan(new Set(a.steps.map((s) => s.store)).size);
    expect(b.waves.length).toBeLessThan(a.waves.length);
  });
});
