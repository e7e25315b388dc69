/**
 * Who is using the embedded server of a data directory: a file in the
 * directory listing each process (host, pid, fingerprint) that started or
 * joined the server and has not let go of it yet. Processes that died
 * without letting go are pruned whenever the list is read, so the last live
 * user, and only it, stops the server. Callers change the list under the
 * directory's start lock (start-lock.ts).
 *
 * @example
 * const others = await leaveServer(dir)   // the live users left after this process
 * if (others.length === 0) stop()
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { holderState, thisProcess, type ProcessIdentity } from '../process-identity.js';

export interface ServerUserEntry extends ProcessIdentity {
  /** When it started or joined the server (ISO time). */
  readonly since: string;
}

const FILE = 'topoplan-users.json';

/** The live users of the server in `dir` (dead ones left out). */
export async function liveServerUsers(dir: string): Promise<ServerUserEntry[]> {
  const text = await readFile(path.join(dir, FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  return (entries as ServerUserEntry[]).filter((e) => typeof e?.pid === 'number' && typeof e.host === 'string' && holderState({ ...e, fingerprint: e.fingerprint ?? '' }) !== 'dead');
}

/** Adds this process to the users of `dir`; returns the other live users. */
export async function joinServer(dir: string): Promise<ServerUserEntry[]> {
  const me = thisProcess();
  const others = (await liveServerUsers(dir)).filter((e) => !same(e, me));
  await write(dir, [...others, { ...me, since: new Date().toISOString() }]);
  return others;
}

/** Removes this process from the users of `dir`; returns the live users left. */
export async function leaveServer(dir: string): Promise<ServerUserEntry[]> {
  const me = thisProcess();
  const others = (await liveServerUsers(dir)).filter((e) => !same(e, me));
  if (others.length === 0) await rm(path.join(dir, FILE), { force: true });
  else await write(dir, others);
  return others;
}

function same(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.host === b.host && a.pid === b.pid && a.fingerprint === b.fingerprint;
}

async function write(dir: string, entries: readonly ServerUserEntry[]): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
  await writeFile(path.join(dir, FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}
