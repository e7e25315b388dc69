/**
 * The parse cache of every command that plans: `cache/` in the data directory
 * (`--cache-dir DIR` names another on `plan`), and `--no-cache` to parse every
 * file and leave the cache as it is. A plan from the cache is the same plan.
 * A read-only command (status, verify, diff) uses the cache only in a data
 * directory that is there already: it never creates one.
 *
 * @example
 * command.addOption(noCacheOption());
 * const plan = await planMigration(topology, { ...parseCacheOf(ctx, topology, opts) });
 */
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Topology } from '../topology/model.js';
import type { CliContext } from './cli-context.js';
import { dataDirFor } from './require-topology.js';

export function noCacheOption(): Option {
  return new Option('--no-cache', 'parse every file, and leave the parse cache as it is');
}

export interface ParseCacheChoice {
  /** False with --no-cache (commander's negated option); absent means on. */
  readonly cache?: boolean;
  readonly cacheDir?: string;
  readonly dataDir?: string;
  /** A read-only command: no cache unless the data directory is there already. */
  readonly readOnly?: boolean;
}

/** The parse cache directory of one topology, undefined with --no-cache. */
export function parseCacheDir(ctx: CliContext, topology: Pick<Topology, 'file'>, choice: ParseCacheChoice): string | undefined {
  if (choice.cache === false) return undefined;
  if (choice.cacheDir !== undefined) return resolve(ctx.cwd, choice.cacheDir);
  const dataDir = dataDirFor(ctx, topology, choice.dataDir);
  return choice.readOnly && !existsSync(dataDir) ? undefined : join(dataDir, 'cache');
}

/** The plan option naming the parse cache, to spread into planMigration's options. */
export function parseCacheOf(ctx: CliContext, topology: Topology, choice: ParseCacheChoice): { cacheDir?: string } {
  const cacheDir = parseCacheDir(ctx, topology, choice);
  return cacheDir !== undefined ? { cacheDir } : {};
}
