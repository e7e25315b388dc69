import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestHex } from '../../../src/sql/digest-hex.js';

describe('digestHex', () => {
  it('gives the digest createHash gives, of strings (as UTF-8) and of buffers', () => {
    for (const data of ['', 'create table t(a int)', 'é ✓ \u{1F600}', Buffer.from([0, 1, 2, 255])]) {
      for (const algorithm of ['sha256', 'sha384'] as const) expect(digestHex(algorithm, data)).toBe(createHash(algorithm).update(data).digest('hex'));
    }
  });
});
