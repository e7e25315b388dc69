/**
 * Whether one statement runs before another in every apply of the plan: it is earlier in the same
 * step, or its step is an ancestor of the other's in the step graph. Two steps nothing orders may run
 * either way round.
 *
 * @example
 * const order = new Precedence(graph, stepOf);
 * order.before(alterAddColumn, createIndex); // true when the index's step waits for the ALTER's
 */
import type { Node } from './nodes.js';
import type { DraftStep } from './steps.js';
import type { StepGraph } from './graph.js';

export class Precedence {
  constructor(private readonly graph: Pick<StepGraph, 'preds' | 'wave'>, private readonly stepOf: ReadonlyMap<Node, DraftStep>) {}

  /** True when `a` runs before `b` whatever the apply's order of independent steps. */
  before(a: Node, b: Node): boolean {
    const sa = this.stepOf.get(a);
    const sb = this.stepOf.get(b);
    if (!sa || !sb) return false;
    if (sa === sb) return sa.nodes.indexOf(a) < sa.nodes.indexOf(b);
    return this.ancestor(sa.id, sb.id);
  }

  private ancestor(from: string, to: string): boolean {
    const { preds, wave } = this.graph;
    const target = wave.get(from) ?? 0;
    // Every ancestor of a step is in an earlier wave: a step in the target's wave or before it cannot lead to it.
    if (target >= (wave.get(to) ?? 0)) return false;
    // Most questions are about a step and one it waits for directly: answered without a search.
    if (preds.get(to)?.has(from)) return true;
    const seen = new Set<string>([to]);
    const stack = [to];
    while (stack.length > 0) {
      for (const p of preds.get(stack.pop()!) ?? []) {
        if (p === from) return true;
        if (seen.has(p) || (wave.get(p) ?? 0) <= target) continue;
        seen.add(p);
        stack.push(p);
      }
    }
    return false;
  }
}
