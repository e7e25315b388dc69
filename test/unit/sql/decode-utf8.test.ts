import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../src/sql/decode-utf8.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeUtf8', () => {
  it('passes UTF-8 through, drops a leading byte order mark', () => {
    expect(decodeUtf8(bytes('SELECT \'café ☕ 𝄞\';\n'), 'a.sql', 'sql')).toEqual({ text: "SELECT 'café ☕ 𝄞';\n" });
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'SELECT 1;'), 'a.sql', 'sql')).toEqual({ text: 'SELECT 1;' });
  });

  it('a NUL byte is an error at its line and column (columns count characters)', () => {
    const r = decodeUtf8(bytes('CREATE TABLE a (id int);\n-- é ☕\nINSERT INTO a VALUES (1);', [0], 'DROP TABLE a;'), 'app/001.sql', 'sql');
    expect(r.diagnostic).toMatchObject({ code: 'sql.nul_byte', severity: 'error', file: 'app/001.sql', line: 3, column: 26 });
    expect(r.diagnostic!.message).toBe('sql: "app/001.sql" holds a NUL byte at line 3, column 26; nothing of it is run');
    expect(r.diagnostic!.hint).toContain('the rest of the file would never run');
  });

  it("Latin-1 text ('caf\\xe9') is an error naming the byte, with the encoding it looks like", () => {
    const r = decodeUtf8(bytes("INSERT INTO t VALUES ('caf", [0xe9], "');"), 'seed.sql', 'sql');
    expect(r.diagnostic).toMatchObject({ code: 'sql.encoding', line: 1, column: 27 });
    expect(r.diagnostic!.message).toContain('is not valid UTF-8: byte 0xE9 at line 1, column 27');
    expect(r.diagnostic!.hint).toContain('Latin-1 or Windows-1252 (there "é" is the one byte 0xE9)');
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a cut sequence at the end', [0xe2, 0x98]],
    ['a lone continuation byte', [0x80]],
  ])('%s is not UTF-8', (_, seq) => {
    const r = decodeUtf8(bytes('ok\nx', seq, 'y'), 'f.sql', 'sql');
    expect(r.diagnostic).toMatchObject({ code: 'sql.encoding', line: 2, column: 2 });
  });

  it('the first problem is reported; UTF-16 files are named as such; topology files say topology', () => {
    expect(decodeUtf8(bytes('a', [0xe9], 'b', [0]), 'f.sql', 'sql').diagnostic!.code).toBe('sql.encoding');
    expect(decodeUtf8(bytes('a', [0], 'b', [0xe9]), 'f.sql', 'sql').diagnostic!.code).toBe('sql.nul_byte');
    const utf16 = decodeUtf8(Buffer.from('\ufeffSELECT 1;', 'utf16le'), 'f.sql', 'sql');
    expect(utf16.diagnostic!.message).toContain('"f.sql" is saved as UTF-16');
    expect(decodeUtf8(bytes('name: t', [0]), 't.yaml', 'topology').diagnostic).toMatchObject({ code: 'topology.nul_byte', message: expect.stringMatching(/^topology: /) });
  });
});
