import { describe, expect, it } from 'vitest';
import { transitiveReduction } from '../../../src/render/transitive-reduction.js';

const e = (from: string, to: string, reason = `${from}→${to}`) => ({ from, to, reasons: [reason] });

describe('transitiveReduction', () => {
  it('drops the edges another path implies, keeps order and content of the rest', () => {
    const edges = [e('users', 'posts'), e('users', 'likes'), e('posts', 'likes'), e('users', 'comments'), e('posts', 'comments'), e('comments', 'comment_likes'), e('users', 'comment_likes')];
    expect(transitiveReduction(edges)).toEqual([e('users', 'posts'), e('posts', 'likes'), e('posts', 'comments'), e('comments', 'comment_likes')]);
  });

  it('keeps a diamond whole, drops duplicates and self-loops', () => {
    expect(transitiveReduction([e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd'), e('a', 'd'), e('b', 'd', 'again'), e('d', 'd')])).toEqual([e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd')]);
  });

  it('keeps exactly the edges no other path implies, on random graphs with and without cycles', () => {
    // The definition, edge by edge: `to` reached from `from` by a path that does not start with the edge itself.
    const reference = (edges: { from: string; to: string }[]) => {
      const next = new Map<string, string[]>();
      for (const x of edges) if (x.from !== x.to) next.set(x.from, [...(next.get(x.from) ?? []), x.to]);
      const implied = (from: string, to: string) => {
        const seen = new Set([from]);
        const stack = (next.get(from) ?? []).filter((n) => n !== to);
        while (stack.length > 0) {
          const n = stack.pop()!;
          if (n === to) return true;
          if (seen.has(n)) continue;
          seen.add(n);
          stack.push(...(next.get(n) ?? []));
        }
        return false;
      };
      const kept = new Set<string>();
      return edges.filter((x) => {
        const k = `${x.from}>${x.to}`;
        if (x.from === x.to || kept.has(k) || implied(x.from, x.to)) return false;
        kept.add(k);
        return true;
      });
    };
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const nodes = 2 + random(12);
      const cyclic = round % 3 === 0;
      const edges = Array.from({ length: random(nodes * 3) }, () => {
        const [a, b] = [random(nodes), random(nodes)];
        // Without cycles, every edge goes from a lower node to a higher one.
        return cyclic || a < b ? e(`n${a}`, `n${b}`) : e(`n${b}`, `n${a}`);
      });
      // A plan's edges come grouped by the step they leave; other lists may not.
      if (round % 2 === 0) edges.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
      expect(transitiveReduction(edges), JSON.stringify(edges.map((x) => [x.from, x.to]))).toEqual(reference(edges));
    }
  });

  it('ends on a cycle', () => {
    const out = transitiveReduction([e('x', 'y'), e('y', 'x'), e('x', 'z'), e('y', 'z')]);
    expect(out.length).toBeLessThanOrEqual(4);
    expect(out).toContainEqual(e('x', 'y'));
  });
});
