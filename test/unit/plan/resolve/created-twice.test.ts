import { describe, expect, it } from 'vitest';
import { createdTwice } from '../../../../src/plan/resolve/created-twice.js';
import type { Unit } from '../../../../src/plan/read/units.js';

/** A unit of store `store` creating `names` (as `kind`), as much of one as the function reads. */
function unit(store: string | undefined, kind: string, names: string[], skipped?: string): Unit {
  return { store, skipped, stmt: { engine: 'postgres', effects: names.map((name) => ({ action: 'create', object: { kind, name } })) } } as unknown as Unit;
}

describe('createdTwice', () => {
  it('keys of objects of the kinds asked that two statements create in one store; skipped or storeless ones do not count', () => {
    const units = [
      unit('main', 'view', ['v', 'w']),
      unit('main', 'view', ['v']),
      unit('other', 'view', ['w']),
      unit('main', 'table', ['t']),
      unit('main', 'table', ['t']),
      unit('main', 'view', ['w'], 'skipped by the topology'),
      unit(undefined, 'view', ['w']),
    ];
    expect([...createdTwice(units, new Set(['view']), (store, ref) => `${store}|${ref.kind}:${ref.name}`)]).toEqual(['main|view:v']);
  });
});
