import { describe, expect, it } from 'vitest';
import { memoized, memoKey, withStatementMemo, type StatementMemoStore } from '../../../src/sql/statement-memo.js';

function mapStore(): StatementMemoStore & { readonly values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return { values, recall: (key) => (values.has(key) ? { value: values.get(key) } : undefined), remember: (key, value) => values.set(key, value) };
}

describe('the statement memo', () => {
  it('computes once per kind and text within a store, undefined included, and records what it computed', () => {
    const store = mapStore();
    let calls = 0;
    const shape = () => withStatementMemo(store, () => memoized('table-shape', 'CREATE TABLE t (id int)', () => (calls++, { columns: ['id'] })));
    expect(shape()).toEqual({ columns: ['id'] });
    expect(shape()).toEqual({ columns: ['id'] });
    expect(calls).toBe(1);
    expect(withStatementMemo(store, () => memoized('canonical-tree', 'SELEC', () => (calls++, undefined)))).toBeUndefined();
    expect(withStatementMemo(store, () => memoized('canonical-tree', 'SELEC', () => (calls++, 'never')))).toBeUndefined();
    expect(calls).toBe(2);
    expect([...store.values.keys()].sort()).toEqual([memoKey('canonical-tree', 'SELEC'), memoKey('table-shape', 'CREATE TABLE t (id int)')].sort());
    expect(memoKey('table-shape', 'x')).toMatch(/^[0-9a-f]{64}$/);
    expect(memoKey('table-shape', 'x')).not.toBe(memoKey('canonical-tree', 'x'));
  });

  it('outside a store computes every time, and a store ends with its run even when the run throws', () => {
    let calls = 0;
    memoized('k', 't', () => calls++);
    memoized('k', 't', () => calls++);
    expect(calls).toBe(2);
    const store = mapStore();
    expect(() => withStatementMemo(store, () => { throw new Error('planning failed'); })).toThrow('planning failed');
    memoized('k', 'after', () => calls++);
    expect(store.values.size).toBe(0);
  });
});
