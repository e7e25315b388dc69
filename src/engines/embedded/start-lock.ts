/**
 * A cross-process lock around starting a server on one data directory, so two
 * processes never run initdb or pg_ctl start on the same directory at once.
 * It is a directory in the OS temp dir (mkdir is atomic), named after a hash of
 * the data directory's absolute path; a lock older than `staleMs` is taken over
 * because its owner must have died mid-start.
 *
 * @example
 * await withStartLock('/data/pg', async () => { ...initdb and start... })
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function withStartLock<T>(dir: string, work: () => Promise<T>, staleMs = 120_000): Promise<T> {
  const lock = path.join(os.tmpdir(), `topoplan-start-${createHash('sha1').update(path.resolve(dir)).digest('hex').slice(0, 16)}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) await rm(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try { return await work(); }
  finally { await rm(lock, { recursive: true, force: true }); }
}
