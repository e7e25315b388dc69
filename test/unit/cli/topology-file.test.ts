import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTopologyFile } from '../../../src/cli/topology-file.js';
import { TopoplanError } from '../../../src/errors.js';

describe('findTopologyFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'cli-find-'));
  mkdirSync(join(root, 'services', 'chat', 'migrations'), { recursive: true });
  mkdirSync(join(root, 'other'), { recursive: true });
  writeFileSync(join(root, 'topoplan.yml'), 'topoplan: 1\n');
  writeFileSync(join(root, 'services', 'topoplan.yaml'), 'topoplan: 1\n');
  writeFileSync(join(root, 'services', 'topoplan.yml'), 'topoplan: 1\n');
  mkdirSync(join(root, 'other', 'topoplan.yaml'));

  it('takes the file it is given, untouched', () => {
    expect(findTopologyFile(root, 'topologies/x.yaml')).toBe('topologies/x.yaml');
  });

  it('finds the nearest topoplan.yaml above the working directory, .yaml before .yml, relative to it', () => {
    expect(findTopologyFile(join(root, 'services', 'chat', 'migrations'))).toBe(join('..', '..', 'topoplan.yaml'));
    expect(findTopologyFile(join(root, 'services'))).toBe('topoplan.yaml');
    expect(findTopologyFile(root)).toBe('topoplan.yml');
  });

  it('skips a directory named topoplan.yaml and goes on upwards', () => {
    expect(findTopologyFile(join(root, 'other'))).toBe(join('..', 'topoplan.yml'));
  });

  it('says where it looked and how to go on when there is none', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'cli-none-'));
    let error: unknown;
    try {
      findTopologyFile(lonely);
    } catch (e) {
      error = e;
    }
    // A topoplan.yaml in the temp directory's parents would be found; the machine's / has none.
    expect(error).toBeInstanceOf(TopoplanError);
    expect((error as TopoplanError).code).toBe('cli.usage');
    expect((error as TopoplanError).message).toContain(lonely);
    expect((error as TopoplanError).diagnostics[0]!.hint).toContain('topoplan init');
  });
});
