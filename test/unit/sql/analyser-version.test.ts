/** The analyser version names the package, the parser and a digest of the analyser's code. */
import { describe, expect, it } from 'vitest';
import { analyserVersion } from '../../../src/sql/analyser-version.js';
import { PACKAGE_VERSION } from '../../../src/package-version.js';

describe('analyserVersion', () => {
  it('is the package version, the libpg-query version and a digest of the code, the same on every call', () => {
    const v = analyserVersion();
    expect(v).toMatch(new RegExp(`^${PACKAGE_VERSION.replace(/\./g, '\\.')}\\+\\d+\\.\\d+\\.\\d+\\+[0-9a-f]{16}$`));
    expect(analyserVersion()).toBe(v);
  });
});
