/**
 * Which other process has an embedded ClickHouse (chdb) data directory open.
 * chdb, like a ClickHouse server, locks `PATH/status` while it has the
 * directory open and writes its pid there; the file goes when the directory
 * is closed, and the lock goes with a killed process. So a live pid other
 * than ours in that file is a process to wait for, and anything else is free
 * to open (a failed open would also print chdb's own error on stderr, which
 * is why a waiter looks here first instead of trying).
 *
 * @example
 * const pid = chdbHolder('/data/ch')   // 4242 while another apply runs, else undefined
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pidExists } from '../process-identity.js';

export function chdbHolder(dir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'status'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(text)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return pidExists(pid) ? pid : undefined;
}
