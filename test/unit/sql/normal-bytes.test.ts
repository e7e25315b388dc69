import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalBytes } from '../../../src/sql/normal-bytes.js';
import { normalizeSql, type NormalizeOptions } from '../../../src/sql/normalize-sql.js';

const OPTIONS: NormalizeOptions[] = [{}, { compact: true }, { compact: true, foldCase: false }, { compact: true, foldCase: false, lineComment: '//' }, { foldCase: false }];

/** normalBytes must give exactly the UTF-8 of normalizeSql's string, or undefined (then the string is used). */
function expectSame(text: string): void {
  for (const options of OPTIONS) {
    const bytes = normalBytes(text, options);
    if (bytes === undefined) expect(text).toMatch(/[^\x00-\x7f]/);
    else expect(Buffer.from(bytes).toString('latin1'), JSON.stringify({ text, options })).toBe(normalizeSql(text, options));
  }
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(join(dir, e.name)) : e.name.endsWith('.sql') ? [join(dir, e.name)] : []));
}

describe('normalBytes', () => {
  it('gives the bytes of normalizeSql for the edge cases of its reading', () => {
    const cases = [
      '',
      '   ',
      'CREATE TABLE  T (a INT) -- note',
      'create table t(a int)',
      '( id int )',
      "SELECT 'a'\n'b'",
      "SELECT 'a''b', 'c\\'d', E'x\\\\'",
      'SELECT "Quoted""Name", `back``tick`',
      "SELECT 'unterminated",
      "SELECT 'ends in a backslash\\",
      'SELECT $$ Body $$, $tag$ A $$ B $tag$, $1, $ x, $a',
      `SELECT $${'a'.repeat(70)}$ x $${'a'.repeat(70)}$`,
      `SELECT $${'A'.repeat(61)}$ X  ( Y ) $${'A'.repeat(61)}$ y`,
      `SELECT $${'A'.repeat(62)}$ X  ( Y ) $${'A'.repeat(62)}$ y`,
      `SELECT $${'A'.repeat(63)}$ X  ( Y ) $${'A'.repeat(63)}$ y`,
      'SELECT $_A$ keep CASE $_A$',
      'SELECT $1$',
      'SELECT 1 /* block */ + /* unterminated',
      'a--b\n--c\nd -- e',
      'MATCH (a)--(b) RETURN a // all pairs\n// more',
      'RETURN "http://x" AS u, 2/3, a/*b*/c',
      'x\t\r\ny',
      '-- only a comment',
      'A-B - C / D * E',
      "a'b'c\"d\"e`f`g$$h$$i",
    ];
    for (const text of cases) expectSame(text);
  });

  it('gives undefined, and leaves the string to normalizeSql, outside ASCII', () => {
    expect(normalBytes("SELECT 'é'", {})).toBeUndefined();
    expect(normalBytes('CREATE TABLE Ünicode (a int)', {})).toBeUndefined();
    expect(normalBytes('SELECT $$ ✓ $$', {})).toBeUndefined();
    // Dropped with its comment, a character outside ASCII changes nothing.
    expect(Buffer.from(normalBytes('SELECT 1 -- ✓\n', {})!).toString()).toBe(normalizeSql('SELECT 1 -- ✓\n'));
  });

  it('gives the bytes of normalizeSql for every SQL file of the fixtures', () => {
    const files = sqlFiles('test/fixtures');
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) expectSame(readFileSync(f, 'utf8'));
  });

  it('gives the bytes of normalizeSql for random texts of SQL pieces', () => {
    const pieces = ['SELECT', 'a', 'B_1', ' ', '  ', '\n', '\t', '\r', '(', ')', ',', "'", '"', '`', '\\', '$', '$$', '$t$', '-', '--', '/', '/*', '*/', '*', '.', ';', '::', '0', 'Z', 'é'];
    // A fixed linear congruential sequence: the same texts every run.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let t = 0; t < 3000; t++) {
      let text = '';
      const count = next() % 40;
      for (let k = 0; k < count; k++) text += pieces[next() % pieces.length];
      expectSame(text);
    }
  });

  it('reuses one buffer: a longer text than any before grows it', () => {
    const long = `CREATE TABLE t (${Array.from({ length: 2000 }, (_, i) => `C${i} INT`).join(', ')})`;
    expectSame(long);
    expectSame('select 1');
  });
});
