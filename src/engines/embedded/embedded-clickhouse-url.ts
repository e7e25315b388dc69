/**
 * The store URL of an embedded ClickHouse (chdb) keeping its data in `dir`.
 * It checks chdb loads now, so a missing optional dependency is reported when
 * the URL is made rather than at the first statement. With `clusters`, the
 * engine defines each as a one-node cluster of itself (see chdb-registry.ts).
 *
 * @example
 * const url = await embeddedClickHouseUrl('.topoplan/ch')   // 'chdb:///home/me/app/.topoplan/ch'
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadChdb } from '../clickhouse/chdb-registry.js';

export async function embeddedClickHouseUrl(dir: string, clusters: readonly string[] = []): Promise<string> {
  await loadChdb();
  const absolute = path.resolve(dir);
  await mkdir(absolute, { recursive: true });
  return `chdb://${absolute}${clusters.length > 0 ? `?clusters=${clusters.map(encodeURIComponent).join(',')}` : ''}`;
}
