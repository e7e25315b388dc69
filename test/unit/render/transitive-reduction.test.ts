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

  it('ends on a cycle', () => {
    const out = transitiveReduction([e('x', 'y'), e('y', 'x'), e('x', 'z'), e('y', 'z')]);
    expect(out.length).toBeLessThanOrEqual(4);
    expect(out).toContainEqual(e('x', 'y'));
  });
});
