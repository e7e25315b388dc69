import { describe, expect, it } from 'vitest';
import { lsnValue } from '../../../../src/transition/live/stream-status.js';

describe('lsnValue', () => {
  it('orders LSNs by both halves, not as text', () => {
    expect(lsnValue('0/16B3748') < lsnValue('0/A000000')).toBe(true);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(lsnValue('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });
});
