/**
 * The OS user PostgreSQL runs as. PostgreSQL refuses to run as root, so when
 * the process is root the server runs as `postgres`; otherwise it runs as the
 * current user. A missing `postgres` user is created only when `create` allows
 * it (the default as root, stated on the line that reports it); otherwise the
 * error says how to create it.
 *
 * @example
 * const user = await serverUser({ onNote: console.log })   // { uid: 101, gid: 104 } as root, {} otherwise
 * spawn(initdb, args, { ...user })
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TopoplanError } from '../../errors.js';

const run = promisify(execFile);

export interface ServerUser { readonly uid?: number; readonly gid?: number }

export interface ServerUserOptions {
  /** Create the `postgres` user when it is missing (as root). Default true. */
  readonly create?: boolean;
  /** Told when the user is created. */
  readonly onNote?: (line: string) => void;
  /** The OS user's name. Default `postgres`. */
  readonly name?: string;
}

export async function serverUser(options: ServerUserOptions = {}): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return {};
  const name = options.name ?? 'postgres';
  let ids = await idsOf(name);
  if (!ids) {
    if (options.create === false) {
      throw new TopoplanError(
        'engine.postgres_user',
        `engine: running as root, embedded PostgreSQL needs an OS user to run as and "${name}" does not exist; create it (useradd ${name}), let topoplan create it (drop --no-create-server-user), or run as another user`,
      );
    }
    try {
      await run('groupadd', [name]).catch(() => undefined);
      await run('useradd', ['-g', name, name]);
    } catch (e) {
      throw new TopoplanError('engine.postgres_user', `engine: running as root and no "${name}" user exists, and creating it failed; create one (useradd ${name}) or run as another user`, [], { cause: e });
    }
    ids = await idsOf(name);
    if (ids) options.onNote?.(`created the OS user "${name}" (uid ${ids.uid}) to run embedded PostgreSQL, which refuses to run as root (done by default as root; --no-create-server-user refuses)`);
  }
  if (!ids) throw new TopoplanError('engine.postgres_user', `engine: cannot read the uid of the "${name}" user`);
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
