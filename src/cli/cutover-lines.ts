/**
 * The cut-over lines of `topoplan transition`: per moved service, the
 * setting it must use. A store with its own url prints it (the CLI masks its
 * password); an embedded store's server stops when the command ends, so its
 * line is the `topoplan url` command that starts it again, never the port it had.
 *
 * @example
 * cutoverSetting(s, { connections, topology: tb, toFile: 'b.yaml' })
 * // { value: '$(topoplan url b.yaml --store shop)', embedded: true }
 */
import type pc from 'picocolors';
import { databaseUrl } from '../engines/postgres/postgres-url.js';
import { withSearchPath } from '../plan/resolve/sqlx-ledgers.js';
import type { Topology } from '../topology/model.js';
import type { Cutover } from '../transition/plan-transition.js';

export interface CutoverContext {
  readonly connections: Readonly<Record<string, string | undefined>>;
  readonly topology: Topology;
  readonly toFile: string;
}

export function cutoverSetting(s: Cutover, x: CutoverContext): { value: string; embedded: boolean } {
  if (!x.topology.stores.get(s.store)?.url) return { value: `$(topoplan url ${x.toFile} --store ${s.store})`, embedded: true };
  const server = x.connections[s.store];
  const url = server ? databaseUrl(server, s.database) : s.url ?? `<url of database ${s.database}>`;
  return { value: s.searchPath ? withSearchPath(url, s.searchPath) : url, embedded: false };
}

export function cutoverLines(cutover: readonly Cutover[], x: CutoverContext, c: ReturnType<typeof pc.createColors>): string[] {
  if (cutover.length === 0) return [];
  return [
    c.bold('cut over: set these and restart the services'),
    ...cutover.map((s) => {
      const v = cutoverSetting(s, x);
      return `  ${s.service}: ${s.env}=${v.value}${v.embedded ? c.dim(`  (embedded server, stopped now${s.searchPath ? `; with search_path=${s.searchPath}` : ''})`) : s.url ? c.dim(`  (topology: ${s.url})`) : ''}`;
    }),
  ];
}
