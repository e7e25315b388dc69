/**
 * A cross-process lock around starting, joining and stopping the server of one
 * data directory, so two processes never run initdb or pg_ctl on it at once
 * and the count of its users (see server-users.ts) is changed by one process
 * at a time. It is a file in the OS temp dir, created exclusively, named after
 * a hash of the data directory's absolute path, and holding who took it
 * (host, pid, process fingerprint). A holder that is provably dead (killed
 * mid-start) is taken over at once, with a line saying so; while a live
 * holder keeps it, a line says who is waited for.
 *
 * @example
 * await withStartLock('/data/pg', async () => { ...initdb and start... }, { onNote: console.log })
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TopoplanError } from '../../errors.js';
import { describeProcess, holderState, thisProcess, type ProcessIdentity } from '../process-identity.js';

export interface StartLockOptions {
  /** Lines worth telling the user: who is waited for, whose dead lock was taken over. */
  readonly onNote?: (line: string) => void;
  /** How long to wait for a live holder before giving up. Default 180 s (an initdb on a slow disk). */
  readonly timeoutMs?: number;
  /** A lock whose holder cannot be judged from here (another host, another pid namespace) is taken over after this long. Default 120 s. */
  readonly staleMs?: number;
}

interface Holder extends ProcessIdentity { readonly dir: string; readonly since: string }

const POLL_MS = 50;
/** A lock file that cannot be read as a holder after this long was not written by this code: taken over. */
const UNWRITTEN_MS = 5_000;

/** The lock file for data directory `dir`. */
export function startLockFile(dir: string): string {
  return path.join(os.tmpdir(), `topoplan-start-${createHash('sha1').update(path.resolve(dir)).digest('hex').slice(0, 16)}.pidlock`);
}

export async function withStartLock<T>(dir: string, work: () => Promise<T>, options: StartLockOptions = {}): Promise<T> {
  const lock = startLockFile(dir);
  const mine = `${JSON.stringify({ ...thisProcess(), dir: path.resolve(dir), since: new Date().toISOString() } satisfies Holder)}\n`;
  await acquire(lock, mine, path.resolve(dir), options);
  try {
    return await work();
  } finally {
    // Only our own lock is removed: a holder judged dead by mistake must not delete its successor's.
    if ((await readFile(lock, 'utf8').catch(() => undefined)) === mine) await rm(lock, { force: true });
  }
}

async function acquire(lock: string, mine: string, dir: string, options: StartLockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let waitingFor: string | undefined;
  for (;;) {
    if (await createWith(lock, mine)) return;
    const text = await readFile(lock, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const holder = parse(text);
    const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
    const state = holder ? holderState(holder) : age > UNWRITTEN_MS ? 'dead' : 'alive';
    if (state === 'dead' || (state === 'unknown' && age > (options.staleMs ?? 120_000))) {
      if (await breakLock(lock, text)) {
        options.onNote?.(`took over the start lock of embedded PostgreSQL on ${dir} from ${holder ? describeProcess(holder) : 'a process'} that ${state === 'dead' ? 'no longer runs' : `held it for ${Math.round(age / 1000)} s`} (${lock})`);
      }
      continue;
    }
    const who = holder ? describeProcess(holder) : 'another process';
    // An unparsed lock is being written this instant: not worth a line.
    if (holder && waitingFor !== who) {
      waitingFor = who;
      options.onNote?.(`waiting for ${who}, which is starting or stopping embedded PostgreSQL on ${dir} (lock ${lock})`);
    }
    if (Date.now() > deadline) {
      throw new TopoplanError(
        'engine.start_lock',
        `engine: ${who} has held the start lock of embedded PostgreSQL on ${dir} for ${Math.round(age / 1000)} s; ` +
          `if that process is not a topoplan run, remove ${lock} and try again`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Creates `lock` holding `text`, or returns false when it exists: written
 * beside it and hard-linked into place, so the lock never exists empty (a
 * holder killed between creating and writing it would leave no name).
 */
async function createWith(lock: string, text: string): Promise<boolean> {
  const draft = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, text, { mode: 0o644 });
  try {
    await link(draft, lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes a dead holder's lock, once: the removal is itself guarded (mkdir is
 * atomic) and re-checks the lock still holds the dead holder's text, so two
 * processes taking over at once never remove each other's fresh lock.
 */
async function breakLock(lock: string, deadText: string): Promise<boolean> {
  const guard = `${lock}.breaking`;
  try {
    await mkdir(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A guard is held for microseconds; one this old belongs to a process killed while breaking.
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > UNWRITTEN_MS) await rmdir(guard).catch(() => undefined);
    else await new Promise((r) => setTimeout(r, POLL_MS));
    return false;
  }
  try {
    if ((await readFile(lock, 'utf8').catch(() => undefined)) !== deadText) return false;
    await rm(lock, { force: true });
    return true;
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

function parse(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { host: h.host, pid: h.pid, fingerprint: h.fingerprint ?? '', dir: h.dir ?? '', since: h.since ?? '' } : undefined;
  } catch {
    return undefined;
  }
}
