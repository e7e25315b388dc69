/**
 * Clears away a cluster that a killed run was building: the run is gone, but
 * the initdb it started (and the `postgres --boot` under it) may still be
 * writing into the directory, so removing it at once races with them
 * (ENOTEMPTY). The processes whose command line names the directory, and
 * every process under them, are ended first (Linux `/proc`; elsewhere none
 * are found), then the directory is removed, retried while a last write lands.
 *
 * @example
 * await removeAbandonedBuild('/data/.topoplan/postgres.initdb-4242')
 */
import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pidExists, procStat } from '../process-identity.js';

/** Ends what still builds in `dir`, then removes it. */
export async function removeAbandonedBuild(dir: string): Promise<void> {
  const builders = processesUsing(path.resolve(dir));
  for (const pid of builders) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, or not ours to end: the removal below retries either way.
    }
  }
  const deadline = Date.now() + 5_000;
  while (builders.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

/** Whether `pid` still runs (a zombie, ended but not yet reaped by its parent, does not). */
export function running(pid: number): boolean {
  if (!pidExists(pid)) return false;
  const fields = procStat(pid);
  return fields === undefined || fields[0] !== 'Z';
}

/** Pids whose arguments name `dir` (or a path in it), with all their descendants. */
export function processesUsing(dir: string, proc = '/proc'): number[] {
  let entries: string[];
  try {
    entries = readdirSync(proc).filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const parent = new Map<number, number>();
  const roots = new Set<number>();
  for (const name of entries) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    const fields = procStat(pid, proc);
    if (!fields) continue;
    parent.set(pid, Number(fields[1]));
    try {
      const args = readFileSync(path.join(proc, name, 'cmdline'), 'utf8').split('\0');
      if (args.some((a) => a === dir || a.startsWith(`${dir}/`) || a === `--pgdata=${dir}`)) roots.add(pid);
    } catch {
      // The process ended while it was read.
    }
  }
  const found = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}
