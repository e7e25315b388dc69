/**
 * Where the cluster of an embedded PostgreSQL data directory lives. As root,
 * the server runs as another OS user (PostgreSQL refuses root), and that user
 * cannot enter a project under a mode-700 directory (`/root`, `mktemp -d`).
 * Rather than change the permissions of the user's directories, the cluster
 * then lives under a directory topoplan owns (`/var/lib/topoplan` by
 * default), and the requested directory keeps a pointer file naming it, so
 * every later run, and the user, finds it.
 *
 * @example
 * const where = await clusterLocation('/root/app/.topoplan/postgres', { uid: 101, gid: 104 })
 * where.dir      // '/var/lib/topoplan/postgres-3f2a…'
 * where.note     // 'the OS user … cannot enter /root/app/.topoplan, so its cluster is kept in …' (when first moved)
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TopoplanError } from '../../errors.js';
import type { ServerUser } from './server-user.js';

export interface ClusterLocation {
  /** The cluster's directory (the requested one, or where the pointer leads). */
  readonly dir: string;
  /** Set when the cluster is first put elsewhere than requested: one line saying where and why. */
  readonly note?: string;
}

/** The pointer file a requested directory keeps when its cluster lives elsewhere. */
export const POINTER_FILE = 'topoplan-cluster.json';

/** Where relocated clusters go unless told otherwise. */
export const DEFAULT_CLUSTER_HOME = '/var/lib/topoplan';

export async function clusterLocation(requested: string, user: ServerUser, home = DEFAULT_CLUSTER_HOME): Promise<ClusterLocation> {
  const pointer = path.join(requested, POINTER_FILE);
  const pointed = await readPointer(pointer);
  if (pointed) return { dir: pointed };
  if (user.uid === undefined) return { dir: requested };
  if (await exists(path.join(requested, 'PG_VERSION'))) return { dir: requested };
  if (await canEnter(path.dirname(requested), user)) return { dir: requested };
  await mkdir(home, { recursive: true, mode: 0o755 });
  if (!(await canEnter(home, user))) {
    throw new TopoplanError(
      'engine.cluster_location',
      `engine: the OS user (uid ${user.uid}) that runs embedded PostgreSQL can enter neither ${path.dirname(requested)} nor ${home}; ` +
        'put the project or --data-dir under a directory that user can enter, or give the store a url',
    );
  }
  const dir = path.join(home, `postgres-${createHash('sha1').update(requested).digest('hex').slice(0, 16)}`);
  await writeFile(pointer, `${JSON.stringify({ cluster: dir, reason: `the OS user that runs embedded PostgreSQL (uid ${user.uid}) cannot enter ${path.dirname(requested)}` }, null, 2)}\n`);
  return { dir, note: noteFor(requested, dir, pointer) };
}

/**
 * Whether `requested` holds a cluster, here or where its pointer leads; never
 * creates anything (read-only commands ask it before starting a server).
 */
export async function hasCluster(requested: string): Promise<boolean> {
  const dir = (await readPointer(path.join(requested, POINTER_FILE))) ?? requested;
  return exists(path.join(dir, 'PG_VERSION'));
}

function noteFor(requested: string, dir: string, pointer: string): string {
  return `the OS user that runs embedded PostgreSQL cannot enter ${path.dirname(requested)}, so its cluster is kept in ${dir} (named in ${pointer}); no permissions were changed`;
}

async function readPointer(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const cluster = (JSON.parse(text) as { cluster?: unknown }).cluster;
    if (typeof cluster === 'string' && path.isAbsolute(cluster)) return cluster;
  } catch {
    // Fall through to the error below.
  }
  throw new TopoplanError('engine.cluster_location', `engine: ${file}:1: not a cluster pointer ({"cluster": "/absolute/dir"}); fix it, or remove it to start a new cluster`);
}

/** Whether `user` can enter `dir` (search permission on it and every parent), asked of the OS as that user. */
export function canEnter(dir: string, user: ServerUser): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('test', ['-x', dir], { ...user, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}
