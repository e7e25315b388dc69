/**
 * The CLI as a process: a closed pipe, SIGINT and SIGTERM end a run cleanly,
 * with one line on standard error and the exit code of the cause.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_FRAME } from '../../helpers/cli.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repo, 'bin', 'topoplan.js');
const errFile = join(mkdtempSync(join(tmpdir(), 'topoplan-lifecycle-')), 'stderr');

/** Runs `topoplan ARGS | head -c BYTES` in bash; returns topoplan's exit code and standard error. */
function pipedToHead(args: string[], bytes: number): { code: number; err: string } {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR_FILE" | head -c ${bytes} >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ERR_FILE: errFile } });
  return { code: Number(r.stdout.trim()), err: readFileSync(errFile, 'utf8') };
}

describe('a closed standard output', () => {
  it('plan --format json | head -c 100: exit 141, one line, no stack', () => {
    const r = pipedToHead(['plan', 'topologies/nova-plan-a.yaml', '--format', 'json'], 100);
    expect(r.code).toBe(141);
    expect(r.err).toBe('topoplan: standard output was closed\n');
    expect(r.err).not.toMatch(STACK_FRAME);
  });
});
