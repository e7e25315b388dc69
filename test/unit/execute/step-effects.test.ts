import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../../../src/engines/empty-snapshot.js';
import { stepEffects } from '../../../src/execute/step-effects.js';
import { makeStep } from '../../helpers/steps.js';

const snap = {
  ...emptySnapshot(),
  tables: ['public.messages', 'feature_store.features'],
  indexes: ['public.idx_ok', 'public.idx_broken'],
  functions: ['public.fn_count(integer)'],
  types: ['public.message_type'],
  definitions: { 'type public.message_type': "enum 'text', 'image', 'it''s'" },
  invalidIndexes: ['public.idx_broken'],
};

describe('stepEffects', () => {
  it('finds created objects by their snapshot names and tells valid indexes from INVALID ones', () => {
    const step = makeStep({ id: 's', statements: ['x'], changes: [
      { action: 'create', kind: 'table', name: 'messages' },
      { action: 'create', kind: 'table', name: 'feature_store.features' },
      { action: 'create', kind: 'index', name: 'idx_ok' },
      { action: 'create', kind: 'index', name: 'idx_broken' },
      { action: 'create', kind: 'index', name: 'idx_missing' },
      { action: 'create', kind: 'function', name: 'fn_count' },
    ] });
    expect(stepEffects(step, snap)).toEqual({
      present: ['table messages', 'table feature_store.features', 'index idx_ok', 'function fn_count'],
      missing: ['index idx_missing'],
      invalid: ['public.idx_broken'],
      unchecked: [],
    });
  });

  it('checks the values ALTER TYPE ... ADD VALUE adds, drops by absence, and lists what a schema cannot show', () => {
    const add = (value: string) => makeStep({ id: 'a', statements: [`ALTER TYPE message_type ADD VALUE IF NOT EXISTS '${value}'`], changes: [{ action: 'alter', kind: 'type', name: 'message_type' }] });
    expect(stepEffects(add('image'), snap).present).toEqual(["type message_type value 'image'"]);
    expect(stepEffects(add("it''s"), snap).present).toEqual(["type message_type value 'it's'"]);
    expect(stepEffects(add('voice'), snap).missing).toEqual(["type message_type value 'voice'"]);
    const other = makeStep({ id: 'o', statements: ['x'], changes: [{ action: 'drop', kind: 'table', name: 'old' }, { action: 'drop', kind: 'table', name: 'messages' }, { action: 'write', kind: 'table', name: 'messages' }] });
    expect(stepEffects(other, snap)).toEqual({ present: ['table old'], missing: ['table messages'], invalid: [], unchecked: ['write table messages'] });
  });
});
