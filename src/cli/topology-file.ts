/**
 * Which topology a command reads: the FILE it was given, or else the first
 * `topoplan.yaml` (or `topoplan.yml`) in the working directory or one of its
 * parents, as git finds `.git`. The path returned is relative to the working
 * directory when it lies below it, so messages name it as the user would.
 *
 * @example
 * findTopologyFile('/repo/services/chat')            // 'topoplan.yaml' when /repo/services/chat/topoplan.yaml exists, '../../topoplan.yaml' for /repo's
 * findTopologyFile('/repo', 'topologies/plan-a.yaml') // 'topologies/plan-a.yaml'
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { TopoplanError } from '../errors.js';

/** The names looked for, in this order, in each directory. */
export const TOPOLOGY_NAMES = ['topoplan.yaml', 'topoplan.yml'] as const;

export function findTopologyFile(cwd: string, file?: string): string {
  if (file !== undefined) return file;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of TOPOLOGY_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return relative(cwd, candidate) || candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new TopoplanError('cli.usage', `topoplan: no topology file given, and no ${TOPOLOGY_NAMES.join(' or ')} in "${cwd}" or a directory above it`, [
    { code: 'cli.usage', severity: 'error', message: `topoplan: no topology file given, and no ${TOPOLOGY_NAMES.join(' or ')} in "${cwd}" or a directory above it`, hint: 'give the file (topoplan plan path/to/topology.yaml), or write a draft with topoplan init' },
  ]);
}
