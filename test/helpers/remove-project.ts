/**
 * Removes a test project and every embedded cluster its data or cache
 * directories point to. As root, a cluster whose directory the server's user
 * cannot enter (a mode-700 temp dir) lives under /var/lib/topoplan with a
 * pointer file left where it was asked for; removing the project alone would
 * leave that cluster behind.
 *
 * @example
 * afterAll(() => removeProject(dir));
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { POINTER_FILE } from '../../src/engines/embedded/cluster-location.js';

export async function removeProject(dir: string): Promise<void> {
  for (const pointer of await pointersUnder(dir)) {
    const cluster = (JSON.parse(await readFile(pointer, 'utf8')) as { cluster?: string }).cluster;
    if (cluster) await rm(cluster, { recursive: true, force: true });
  }
  await rm(dir, { recursive: true, force: true });
}

async function pointersUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name === POINTER_FILE).map((e) => join(e.parentPath, e.name));
}
