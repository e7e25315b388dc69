/**
 * CPU time of this process and of the PostgreSQL servers it uses, for
 * benchmarks on a shared machine: wall time there depends on what else runs,
 * CPU time on the work done. A server started with `pg_ctl` is not this
 * process's child, so its postmaster is read from `/proc` by the pid in its
 * `postmaster.pid`: its own time, its ended backends' (`cutime`, `cstime`)
 * and its live children's. chdb runs inside this process and counts as its
 * own; a child process this one waited for (`cp`, `pg_ctl`) counts too.
 *
 * @example
 * const before = processCpuMs() + serverCpuMs([server.dataDir])
 * await applyPlan(plan, options)
 * const used = processCpuMs() + serverCpuMs([server.dataDir]) - before
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { procStat } from '../src/engines/process-identity.js';

/** Clock ticks per second of `/proc/PID/stat` (`getconf CLK_TCK`: 100 on Linux). */
const TICK_MS = 10;

/** utime + stime (+ cutime + cstime with `reaped`), in ms. */
function timeOf(fields: string[] | undefined, reaped: boolean): number {
  if (!fields) return 0;
  // utime, stime, cutime, cstime are fields 14-17: indexes 11-14 after the command.
  const [u, s, cu, cs] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return (u! + s! + (reaped ? cu! + cs! : 0)) * TICK_MS;
}

function postmasterOf(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms so far of this process, with the children it waited for. */
export function processCpuMs(): number {
  return timeOf(procStat(process.pid), true);
}

/** CPU ms so far of the servers of these data directories, with their backends; a server not running is an error (its time would be missed). */
export function serverCpuMs(dataDirs: readonly string[]): number {
  const roots = new Set<number>();
  for (const dir of dataDirs) {
    const pid = postmasterOf(dir);
    if (pid === undefined || !procStat(pid)) throw new Error(`no running server in ${dir}`);
    roots.add(pid);
  }
  let total = 0;
  for (const root of roots) total += timeOf(procStat(root), true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(Number(entry));
    // ppid is field 4: index 1.
    if (fields && roots.has(Number(fields[1]))) total += timeOf(fields, false);
  }
  return total;
}
