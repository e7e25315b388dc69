import { chown, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ServerUser } from '../engines/embedded/server-user.js';

/**
 * Gives a directory (and, by default, everything under it) to the server's
 * OS user: a cluster copied by root belongs to root, and PostgreSQL refuses a
 * data directory it does not own.
 *
 * @example await chownTree('/tmp/topoplan-check-x/postgres', { uid: 101, gid: 104 })
 */
export async function chownTree(dir: string, user: ServerUser, recursive = true): Promise<void> {
  if (user.uid === undefined) return;
  const uid = user.uid;
  const gid = user.gid ?? uid;
  await chown(dir, uid, gid);
  if (!recursive) return;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(p, user);
    else await chown(p, uid, gid);
  }
}
