import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serverUser } from '../../../../src/engines/embedded/server-user.js';

const asRoot = process.getuid?.() === 0;

describe.skipIf(!asRoot)('serverUser as root', () => {
  it('does not create a missing OS user without consent, and says how to', async () => {
    const name = 'topoplan-absent-user';
    expect(spawnSync('id', ['-u', name]).status).not.toBe(0);
    const notes: string[] = [];
    await expect(serverUser({ create: false, name, onNote: (n) => notes.push(n) })).rejects.toThrow(
      `engine: running as root, embedded PostgreSQL needs an OS user to run as and "${name}" does not exist; create it (useradd ${name}), let topoplan create it (drop --no-create-server-user), or run as another user`,
    );
    expect(spawnSync('id', ['-u', name]).status).not.toBe(0);
    expect(notes).toEqual([]);
  });

  it('uses an existing user quietly', async () => {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const notes: string[] = [];
    // The suite's embedded servers have made it by now if the machine lacked it.
    await serverUser({ onNote: (n) => notes.push(n) });
    expect(await serverUser({ create: false, onNote: (n) => notes.push(n) })).toMatchObject({ uid });
    expect(notes.filter((n) => !n.startsWith('created the OS user "postgres"'))).toEqual([]);
  });
});
