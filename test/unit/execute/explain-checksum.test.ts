/** What explainChecksum says of each edit no terminal shows, undone on the bytes to find the recorded checksum. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { explainChecksum } from '../../../src/execute/explain-checksum.js';

const sha = (text: string | Buffer) => createHash('sha384').update(text).digest('hex');
const applied = '-- prices\nCREATE TABLE prices (sku text PRIMARY KEY);\nCREATE INDEX prices_sku ON prices (sku);\n';

describe('explainChecksum', () => {
  it.each([
    ['CRLF now', applied.replace(/\n/g, '\r\n'), applied, 'only its line endings changed: CRLF now, LF when applied\n  - -- prices\n  + -- prices␍'],
    ['LF now', applied, applied.replace(/\n/g, '\r\n'), 'only its line endings changed: LF now, CRLF when applied\n  - -- prices␍\n  + -- prices'],
    ['CR now', applied.replace(/\n/g, '\r'), applied, 'only its line endings changed: CR now, LF when applied\n  - -- prices\n  + -- prices␍CREATE TABLE prices (sku text PRIMARY KEY);␍CREATE INDEX prices_sku ON prices (sku);␍'],
    ['a BOM added', `\uFEFF${applied}`, applied, 'only a byte-order mark was added at its start\n  - -- prices\n  + <BOM>-- prices'],
    ['the BOM removed', applied, `\uFEFF${applied}`, 'only the byte-order mark at its start was removed\n  - <BOM>-- prices\n  + -- prices'],
    ['blanks at a line end', applied.replace('PRIMARY KEY);', 'PRIMARY KEY);  '), applied, 'only blanks at the end of lines were added\n  - CREATE TABLE prices (sku text PRIMARY KEY);\n  + CREATE TABLE prices (sku text PRIMARY KEY);··'],
    ['a final newline added', `${applied}\n`, applied, 'only a newline at its end was added\n  - (no line: the file ended)\n  + (an empty line)'],
    ['the final newline removed', applied.slice(0, -1), applied, 'only the newline at its end was removed\n  - (an empty line)\n  + (no line: the file ended)'],
  ])('%s: says so, with the first line it touches made visible', (_what, now, before, said) => {
    expect(explainChecksum(Buffer.from(now, 'utf8'), sha(Buffer.from(before, 'utf8')))).toBe(said);
  });

  it('shows text beyond ASCII as written', () => {
    const before = '-- café\nSELECT 1;\n';
    expect(explainChecksum(Buffer.from(before.replace(/\n/g, '\r\n')), sha(before))).toBe('only its line endings changed: CRLF now, LF when applied\n  - -- café\n  + -- café␍');
  });

  it('an edit that is no invisible one is not explained', () => {
    expect(explainChecksum(Buffer.from(applied.replace('prices_sku', 'prices_by_sku')), sha(applied))).toBeUndefined();
  });
});
