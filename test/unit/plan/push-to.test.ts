import { describe, expect, it } from 'vitest';
import { pushTo } from '../../../src/plan/push-to.js';

describe('pushTo', () => {
  it('makes the list at the first value and adds to it after, in order', () => {
    const map = new Map<string, number[]>();
    pushTo(map, 'a', 1);
    pushTo(map, 'b', 2);
    pushTo(map, 'a', 3);
    expect([...map]).toEqual([['a', [1, 3]], ['b', [2]]]);
  });
});
