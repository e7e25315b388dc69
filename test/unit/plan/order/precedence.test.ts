/**
 * Precedence: a statement runs before another when it is earlier in the same step or its step is an
 * ancestor of the other's; steps nothing orders run either way round.
 */
import { describe, expect, it } from 'vitest';
import { Precedence } from '../../../../src/plan/order/precedence.js';
import type { Node } from '../../../../src/plan/order/nodes.js';
import type { DraftStep } from '../../../../src/plan/order/steps.js';

// a(1 then 2) → b → c; d stands apart.
const node = (name: string) => ({ synth: true, name }) as unknown as Node;
const [a1, a2, b, c, d] = ['a1', 'a2', 'b', 'c', 'd'].map(node) as [Node, Node, Node, Node, Node];
const step = (id: string, nodes: Node[]) => ({ id, nodes }) as unknown as DraftStep;
const steps = { a: step('a', [a1, a2]), b: step('b', [b]), c: step('c', [c]), d: step('d', [d]) };
const stepOf = new Map<Node, DraftStep>([[a1, steps.a], [a2, steps.a], [b, steps.b], [c, steps.c], [d, steps.d]]);
const preds = new Map([['a', new Set<string>()], ['b', new Set(['a'])], ['c', new Set(['b'])], ['d', new Set<string>()]]);
const wave = new Map([['a', 0], ['b', 1], ['c', 2], ['d', 0]]);
const order = new Precedence({ preds, wave }, stepOf);

describe('Precedence', () => {
  it('orders statements of one step by their place in it', () => {
    expect(order.before(a1, a2)).toBe(true);
    expect(order.before(a2, a1)).toBe(false);
  });

  it('orders a step before every step that waits for it, directly or not, and never the other way', () => {
    expect(order.before(a2, b)).toBe(true);
    expect(order.before(a1, c)).toBe(true);
    expect(order.before(c, a1)).toBe(false);
  });

  it('neither of two steps nothing orders is before the other; a node of no step precedes nothing', () => {
    expect([order.before(d, c), order.before(c, d)]).toEqual([false, false]);
    expect(order.before(node('x'), c)).toBe(false);
  });
});
