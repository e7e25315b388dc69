/**
 * Reads `postmaster.pid` of a data directory to find a server another process
 * already started on it: its pid, port and whether it accepts connections.
 * This is how two applies sharing one embedded directory find each other.
 *
 * @example
 * const running = await readPostmasterPid('/var/lib/topoplan/pg')
 * if (running?.alive && running.ready) connectTo(running.port)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pidExists } from '../process-identity.js';

export interface PostmasterPid {
  readonly pid: number;
  readonly port: number;
  /** The process exists (a stale file from a crash says false). */
  readonly alive: boolean;
  /** The status line says `ready` (PostgreSQL 10+). */
  readonly ready: boolean;
}

/** Parses `dir/postmaster.pid`; undefined when there is none. */
export async function readPostmasterPid(dir: string): Promise<PostmasterPid | undefined> {
  const text = await readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // Line 1 pid, 2 data dir, 3 start time, 4 port, 5 socket dir, 6 listen address, 7 shmem key, 8 status.
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  return { pid, port, alive: pidExists(pid), ready: (lines[7] ?? '').trim() === 'ready' };
}
