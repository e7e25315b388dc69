/**
 * Turns the bytes of a migration or topology file into text, or refuses
 * with one diagnostic naming the line and column. Decoding never guesses: a
 * NUL byte (which the SQL parser takes for the end of the text, so the rest
 * of the file would silently never run) and bytes that are not UTF-8 (which
 * would land in the data as U+FFFD) are errors before anything runs. A
 * leading UTF-8 byte order mark is dropped, as editors on Windows write one.
 *
 * @example
 * const r = decodeUtf8(readFileSync(path), 'app/001_seed.sql', 'sql');
 * if (r.diagnostic) report(r.diagnostic); else parse(r.text);
 */
import { isUtf8 } from 'node:buffer';
import { diagnostic, type Diagnostic } from '../errors.js';

export type Decoded = { readonly text: string; readonly diagnostic?: undefined } | { readonly text?: undefined; readonly diagnostic: Diagnostic };

export function decodeUtf8(bytes: Uint8Array, file: string, stage: 'sql' | 'topology'): Decoded {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return refuse(stage, file, buf, 0, `"${file}" is saved as UTF-16`, 'save it as UTF-8 (without a byte order mark, or with the UTF-8 one)', `${stage}.encoding`);
  }
  const nul = buf.indexOf(0);
  const bad = isUtf8(buf) ? -1 : firstInvalidUtf8(buf);
  // Whichever comes first is reported: the text before it is sound.
  if (bad >= 0 && (nul < 0 || bad < nul)) {
    const b = buf[bad]!;
    const latin1 = b >= 0xa0 && b <= 0xff && (bad + 1 >= buf.length || (buf[bad + 1]! & 0xc0) !== 0x80);
    return refuse(
      stage,
      file,
      buf,
      bad,
      `"${file}" is not valid UTF-8: byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}`,
      latin1
        ? `the file looks like Latin-1 or Windows-1252 (there "${Buffer.from([b]).toString('latin1')}" is the one byte 0x${b.toString(16).toUpperCase()}); save it as UTF-8, as PostgreSQL and the other engines expect`
        : 'save the file as UTF-8; bytes that are not UTF-8 would reach the database as U+FFFD replacement characters',
      `${stage}.encoding`,
    );
  }
  if (nul >= 0) {
    return refuse(stage, file, buf, nul, `"${file}" holds a NUL byte`, 'remove it: SQL text cannot hold NUL, the parser would stop there and the rest of the file would never run (a NUL usually means a binary file, or one saved as UTF-16)', `${stage}.nul_byte`);
  }
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return { text: buf.toString('utf8', start) };
}

function refuse(stage: string, file: string, buf: Buffer, offset: number, what: string, hint: string, code: string): Decoded {
  let lineStart = 0;
  let line = 1;
  for (let i = buf.indexOf(10); i >= 0 && i < offset; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  // The column counts characters, as the rest of topoplan's positions do; the line up to the bad byte is valid UTF-8.
  const column = buf.toString('utf8', lineStart, offset).length + 1;
  return { diagnostic: diagnostic({ code, severity: 'error', message: `${stage}: ${what} at line ${line}, column ${column}; nothing of it is run`, file, line, column, hint }) };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, else -1. */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      // Overlong forms, surrogates and code points past U+10FFFF.
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return i;
    }
    i += need + 1;
  }
  return -1;
}
