import { describe, expect, it } from 'vitest';
import { identifier, liveStreams } from '../../../../src/transition/live/replication-names.js';
import type { TableMove, TransitionPlan } from '../../../../src/transition/plan-transition.js';

const move = (table: string, from: string, to: string): TableMove => ({ table, service: 'svc', from: { store: 'main', database: from }, to: { store: to, database: to } });

describe('liveStreams', () => {
  it('one stream per (old, new) database pair, named after topology B, tables in plan order', () => {
    const tp = { to: { topology: 'Nova-Plan-B', file: 'b.yaml' }, tables: [move('likes', 'nova', 'social'), move('orders', 'nova', 'shop'), move('shares', 'nova', 'social')] } as unknown as TransitionPlan;
    expect(liveStreams(tp).map((s) => [s.publication, s.slot, s.subscription, s.tables.map((t) => t.table)])).toEqual([
      ['topoplan_nova_plan_b_nova_to_social', 'topoplan_nova_plan_b_nova_to_social', 'topoplan_nova_plan_b_nova_to_social', ['likes', 'shares']],
      ['topoplan_nova_plan_b_nova_to_shop', 'topoplan_nova_plan_b_nova_to_shop', 'topoplan_nova_plan_b_nova_to_shop', ['orders']],
    ]);
  });

  it('names are identifiers of at most 63 bytes; a long one keeps a hash, so two long names differ', () => {
    const long = identifier(`topoplan_${'x'.repeat(80)}_a`);
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^topoplan_x+_[0-9a-f]{8}$/);
    expect(identifier(`topoplan_${'x'.repeat(80)}_b`)).not.toBe(long);
    expect(identifier('A-b.c')).toBe('a_b_c');
  });
});
