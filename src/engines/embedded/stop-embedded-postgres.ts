/**
 * Stops the embedded PostgreSQL server running on a data directory, whoever
 * started it (`topoplan url` leaves one running on purpose): a fast shutdown
 * (SIGINT to the postmaster: open transactions roll back, a clean
 * checkpoint), then waits until the process is gone.
 *
 * @example
 * const r = await stopEmbeddedPostgres('.topoplan/postgres') // { stopped: true, pid: 4242 } or { stopped: false }
 */
import path from 'node:path';
import { TopoplanError } from '../../errors.js';
import { readPostmasterPid } from './postmaster-pid.js';

export interface StopResult {
  /** A running server was found and stopped. */
  readonly stopped: boolean;
  readonly pid?: number;
}

export async function stopEmbeddedPostgres(dir: string, waitMs = 60_000): Promise<StopResult> {
  const abs = path.resolve(dir);
  const running = await readPostmasterPid(abs);
  if (!running?.alive) return { stopped: false };
  try {
    process.kill(running.pid, 'SIGINT');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return { stopped: false };
    throw new TopoplanError('embedded.stop', `embedded: cannot stop PostgreSQL (pid ${running.pid}) in "${abs}": ${(e as Error).message}`, [
      { code: 'embedded.stop', severity: 'error', message: `embedded: cannot stop PostgreSQL (pid ${running.pid}) in "${abs}": ${(e as Error).message}`, file: abs, hint: 'run topoplan stop as the user that started it (or root)' },
    ]);
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (!(await readPostmasterPid(abs))?.alive) return { stopped: true, pid: running.pid };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new TopoplanError('embedded.stop', `embedded: PostgreSQL (pid ${running.pid}) in "${abs}" did not stop within ${Math.round(waitMs / 1000)} s`, [
    { code: 'embedded.stop', severity: 'error', message: `embedded: PostgreSQL (pid ${running.pid}) in "${abs}" did not stop within ${Math.round(waitMs / 1000)} s`, file: abs, hint: 'a long transaction may hold it: run topoplan stop again, or see topoplan-server.log in that directory' },
  ]);
}
