import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLockFile, withStartLock } from '../../../../src/engines/embedded/start-lock.js';
import { thisProcess } from '../../../../src/engines/process-identity.js';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim());
}

describe('withStartLock', () => {
  it('takes over at once a lock whose holder was killed mid-start, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-startlock-'));
    const pid = deadPid();
    writeFileSync(startLockFile(dir), JSON.stringify({ ...thisProcess(), pid, dir, since: '2026-01-01T00:00:00.000Z' }));
    const notes: string[] = [];
    const began = Date.now();
    const value = await withStartLock(dir, async () => readFileSync(startLockFile(dir), 'utf8'), { onNote: (n) => notes.push(n), staleMs: 600_000 });
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(JSON.parse(value)).toMatchObject({ pid: process.pid });
    expect(notes).toEqual([`took over the start lock of embedded PostgreSQL on ${dir} from ${thisProcess().host} pid ${pid} that no longer runs (${startLockFile(dir)})`]);
    expect(existsSync(startLockFile(dir))).toBe(false);
  });

  it('waits for a live holder, saying once whom it waits for, and runs after it lets go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-startlock-'));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = withStartLock(dir, async () => { entered(); await held; order.push('first'); });
    await inside;
    const notes: string[] = [];
    const second = withStartLock(dir, async () => { order.push('second'); }, { onNote: (n) => { notes.push(n); release(); } });
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(notes).toEqual([`waiting for ${thisProcess().host} pid ${process.pid}, which is starting or stopping embedded PostgreSQL on ${dir} (lock ${startLockFile(dir)})`]);
  });

  it('gives up on a live holder after the timeout with a line naming it and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topoplan-startlock-'));
    writeFileSync(startLockFile(dir), JSON.stringify({ ...thisProcess(), dir, since: '2026-01-01T00:00:00.000Z' }));
    await expect(withStartLock(dir, async () => 1, { timeoutMs: 200 })).rejects.toThrow(
      new RegExp(`pid ${process.pid} has held the start lock .* remove ${startLockFile(dir).replace(/[.]/g, '\\.')} and try again`),
    );
  });
});
