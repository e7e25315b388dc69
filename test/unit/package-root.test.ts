import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFile, packageRoot, runsCompiled } from '../../src/package-root.js';

describe('packageRoot', () => {
  it('is the directory of topoplan\'s package.json, found from the sources', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('topoplan');
    expect(existsSync(packageFile('schemas/topology.schema.json'))).toBe(true);
    expect(packageFile('dist/topology')).toBe(join(packageRoot(), 'dist', 'topology'));
  });

  it('knows the sources from compiled code', () => {
    expect(runsCompiled()).toBe(false);
  });
});
