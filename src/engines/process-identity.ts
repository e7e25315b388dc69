/**
 * Who holds a lock, told precisely enough to know when it has died: host
 * name, pid, and a fingerprint of the process (boot, pid namespace and start
 * time) so a reused pid, a reboot or another container with the same host
 * name never passes for the holder. A holder is provably dead only when it
 * is on this host, in this boot and pid namespace, and no process with its
 * pid and start time exists; anything else is "unknown", never broken.
 *
 * @example
 * const me = thisProcess()          // { host: 'ci-7', pid: 4242, fingerprint: 'b1c…:4026531836:91230' }
 * holderState(claim)                // 'alive' | 'dead' | 'unknown'
 */
import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** `boot:pidns:start` where /proc tells them, else empty. */
  readonly fingerprint: string;
}

export type HolderState = 'alive' | 'dead' | 'unknown';

let self: ProcessIdentity | undefined;

export function thisProcess(): ProcessIdentity {
  self ??= { host: os.hostname(), pid: process.pid, fingerprint: fingerprintOf(process.pid) ?? '' };
  return self;
}

/** Whether the process that wrote `holder` still runs; `unknown` when that cannot be proven from here. */
export function holderState(holder: Pick<ProcessIdentity, 'host' | 'pid' | 'fingerprint'>): HolderState {
  const me = thisProcess();
  if (holder.host !== me.host || !Number.isInteger(holder.pid) || holder.pid <= 0) return 'unknown';
  const [boot, ns, start] = holder.fingerprint.split(':');
  const [myBoot, myNs] = me.fingerprint.split(':');
  if (holder.fingerprint && me.fingerprint) {
    // Another boot of this machine: every process of that boot has ended.
    if (ns === myNs && boot !== myBoot) return 'dead';
    // Another pid namespace (a container with the same host name): its pids mean nothing here.
    if (ns !== myNs) return 'unknown';
  } else if (holder.fingerprint !== me.fingerprint) {
    return 'unknown';
  }
  if (!pidExists(holder.pid)) return 'dead';
  if (start && fingerprintOf(holder.pid)?.split(':')[2] !== start) return 'dead';
  return 'alive';
}

/** "host pid 4242" as messages name a holder. */
export function describeProcess(p: Pick<ProcessIdentity, 'host' | 'pid'>): string {
  return `${p.host} pid ${p.pid}`;
}

/** Whether a process with this pid exists on this host (one of another user counts: kill(0) says EPERM). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fingerprintOf(pid: number): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '';
    // Field 22 is the start time in clock ticks since boot.
    const start = procStat(pid)?.[19] ?? '';
    return `${boot}:${ns}:${start}`;
  } catch {
    return undefined;
  }
}

/**
 * The fields of `/proc/PID/stat` after the process name (field 3, the state, first; the parent pid second), or
 * undefined where it cannot be read. The name in field 2 may hold spaces and parentheses, so it is cut at the last `)`.
 */
export function procStat(pid: number, proc = '/proc'): string[] | undefined {
  try {
    const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
