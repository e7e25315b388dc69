import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holderState, procStat, thisProcess } from '../../../src/engines/process-identity.js';

/** The pid of a process that has run and ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim());
}

describe('holderState', () => {
  const me = thisProcess();

  it('this process is alive; one that ended is dead', () => {
    expect(me.pid).toBe(process.pid);
    expect(me.fingerprint).toMatch(/^[0-9a-f-]+:\d+:\d+$/);
    expect(holderState(me)).toBe('alive');
    expect(holderState({ ...me, pid: deadPid() })).toBe('dead');
  });

  it('a reused pid (same pid, another start time) or another boot is dead', () => {
    const [boot, ns, start] = me.fingerprint.split(':');
    expect(holderState({ ...me, fingerprint: `${boot}:${ns}:${Number(start) + 1}` })).toBe('dead');
    expect(holderState({ ...me, fingerprint: `00000000-0000-0000-0000-000000000000:${ns}:${start}` })).toBe('dead');
  });

  it('another host, another pid namespace or an older claim without a fingerprint cannot be judged', () => {
    expect(holderState({ ...me, host: `${me.host}-elsewhere`, pid: deadPid() })).toBe('unknown');
    const [boot, , start] = me.fingerprint.split(':');
    expect(holderState({ ...me, pid: deadPid(), fingerprint: `${boot}:1:${start}` })).toBe('unknown');
    expect(holderState({ host: me.host, pid: deadPid(), fingerprint: '' })).toBe('unknown');
    expect(holderState({ host: me.host, pid: 0, fingerprint: me.fingerprint })).toBe('unknown');
  });
});

describe('procStat', () => {
  it('gives the fields after the name, which may hold spaces and parentheses; undefined where there is none', () => {
    const proc = mkdtempSync(join(tmpdir(), 'topoplan-proc-'));
    mkdirSync(join(proc, '77'));
    writeFileSync(join(proc, '77', 'stat'), '77 (a) (b c) Z 12 77 77 0\n');
    expect(procStat(77, proc)?.slice(0, 2)).toEqual(['Z', '12']);
    expect(procStat(78, proc)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this process: running, and its parent', () => {
    const fields = procStat(process.pid)!;
    expect(fields[0]).toMatch(/^[RS]$/);
    expect(Number(fields[1])).toBe(process.ppid);
  });
});
