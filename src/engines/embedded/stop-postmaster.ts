/**
 * Stops the server of a data directory the way `pg_ctl stop` does (SIGINT for
 * a fast shutdown, SIGQUIT for an immediate one) and waits until it has gone,
 * so a process that joined a server another one started can stop it without
 * the binaries that started it.
 *
 * @example await stopPostmaster('/data/pg', 'fast')
 */
import path from 'node:path';
import { TopoplanError } from '../../errors.js';
import { readPostmasterPid } from './postmaster-pid.js';

export async function stopPostmaster(dir: string, mode: 'fast' | 'immediate', timeoutMs = 60_000): Promise<void> {
  const running = await readPostmasterPid(dir);
  if (!running?.alive) return;
  try {
    process.kill(running.pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return;
    throw new TopoplanError('engine.embedded_postgres', `engine: cannot stop the embedded PostgreSQL server (pid ${running.pid}) on ${dir}: ${(e as Error).message}`, [], { cause: e });
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = await readPostmasterPid(dir);
    if (!now?.alive || now.pid !== running.pid) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new TopoplanError(
    'engine.embedded_postgres',
    `engine: the embedded PostgreSQL server (pid ${running.pid}) on ${dir} did not stop within ${Math.round(timeoutMs / 1000)} s; see ${path.join(dir, 'topoplan-server.log')}`,
  );
}
