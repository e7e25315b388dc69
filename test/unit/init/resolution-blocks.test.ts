import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/errors.js';
import { resolutionBlocks } from '../../../src/init/resolution-blocks.js';

const error = (message: string, hint?: string): Diagnostic => ({ code: 'plan.x', severity: 'error', message, ...(hint ? { hint } : {}) });
const supersession = (object: string, by = 'social') => `supersessions:\n  - objects: [${object}]\n    by: ${by}\n    sets: [legacy]\n    reason: "..."`;

describe('resolutionBlocks', () => {
  it('merges supersessions of one winner over the same sets, keeping every conflict it resolves', () => {
    const r = resolutionBlocks([
      error('plan: table likes is created by both', supersession('likes')),
      error('plan: index likes_idx is created by both', supersession('likes')),
      error('plan: table shares is created by both', supersession('shares')),
      error('plan: table rooms is created by both', supersession('rooms', 'chat')),
    ]);
    expect(r.sections).toEqual([
      {
        key: 'supersessions',
        entries: [
          { value: { objects: ['likes', 'shares'], by: 'social', sets: ['legacy'], reason: '...' }, conflicts: ['table likes is created by both', 'index likes_idx is created by both', 'table shares is created by both'] },
          { value: { objects: ['rooms'], by: 'chat', sets: ['legacy'], reason: '...' }, conflicts: ['table rooms is created by both'] },
        ],
      },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('takes the first list snippet after the words of a hint; sections come in a fixed order; identical entries once', () => {
    const accept = 'drop the foreign key first, or accept it:\naccept:\n  - conflict: cascade_drop\n    object: messages\n    reason: "..."';
    const r = resolutionBlocks([error('plan: cascade', accept), error('plan: cascade again', accept), error('plan: f', 'shared: ["function:f"]')]);
    expect(r.sections.map((s) => [s.key, s.entries.length])).toEqual([['shared', 1], ['accept', 1]]);
    expect(r.sections[1]!.entries[0]!.conflicts).toEqual(['cascade', 'cascade again']);
  });

  it('a hint with no list snippet, a snippet that is not YAML, or one that changes a set is a note; warnings are left out', () => {
    const r = resolutionBlocks([
      error('plan: a cycle', 'split a file'),
      error('plan: broken', 'skip:\n  - { set: [oops'),
      error('plan: down section', 'sets:\n  app: { dir: app, convention: dbmate }'),
      error('plan: no hint'),
      { code: 'plan.w', severity: 'warning', message: 'plan: just a warning', hint: supersession('x') },
    ]);
    expect(r.sections).toEqual([]);
    expect(r.notes).toEqual([
      { conflict: 'a cycle', hint: 'split a file' },
      { conflict: 'broken', hint: 'skip:\n  - { set: [oops' },
      { conflict: 'down section', hint: 'sets:\n  app: { dir: app, convention: dbmate }' },
      { conflict: 'no hint' },
    ]);
  });
});
