import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joinServer, leaveServer, liveServerUsers } from '../../../../src/engines/embedded/server-users.js';
import { thisProcess } from '../../../../src/engines/process-identity.js';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim());
}

describe('server users', () => {
  it('prunes users that died without letting go; the last one out leaves no file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-users-'));
    const dead = { ...thisProcess(), pid: deadPid(), since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'topoplan-users.json'), JSON.stringify([dead]));
    expect(await joinServer(dir)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'topoplan-users.json'), 'utf8'))).toMatchObject([{ pid: process.pid }]);
    expect(await leaveServer(dir)).toEqual([]);
    expect(existsSync(join(dir, 'topoplan-users.json'))).toBe(false);
  });

  it('keeps a live user of another process when this one leaves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-users-'));
    const parent = { host: thisProcess().host, pid: process.ppid, fingerprint: '', since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'topoplan-users.json'), JSON.stringify([parent]));
    // Without a fingerprint it cannot be proven dead, so it counts as a user.
    expect(await joinServer(dir)).toEqual([parent]);
    expect(await leaveServer(dir)).toEqual([parent]);
    expect(await liveServerUsers(dir)).toEqual([parent]);
  });

  it('reads a missing or garbled file as no users', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-users-'));
    expect(await liveServerUsers(dir)).toEqual([]);
    writeFileSync(join(dir, 'topoplan-users.json'), '{"pid": 12');
    expect(await liveServerUsers(dir)).toEqual([]);
  });
});
