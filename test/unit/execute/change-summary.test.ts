import { describe, expect, it } from 'vitest';
import { changeSummary } from '../../../src/execute/change-summary.js';

describe('changeSummary', () => {
  it('shows changed lines with - and +', () => {
    expect(changeSummary('CREATE TABLE t (\n  a int\n)', 'CREATE TABLE t (\n  a bigint\n)')).toBe('  -   a int\n  +   a bigint');
  });

  it('says when only line endings changed, and shows the carriage returns', () => {
    expect(changeSummary('CREATE TABLE t (\n  a int\n)', 'CREATE TABLE t (\r\n  a int\r\n)')).toBe(
      '  (only line endings changed: CRLF now, LF when applied)\n  - CREATE TABLE t (\n  + CREATE TABLE t (␍\n  …',
    );
  });

  it('makes a carriage return, trailing blanks and a byte-order mark visible in changed lines', () => {
    const out = changeSummary('SELECT 1,\n  2', '\uFEFFSELECT 1, \t\n  2\r');
    expect(out).toBe('  - SELECT 1,\n  + <BOM>SELECT 1,··\n  -   2\n  +   2␍');
  });
});
