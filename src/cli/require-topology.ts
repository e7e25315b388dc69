/**
 * Loads the topology a command names (or finds: see findTopologyFile), with
 * the `.env` files next to it and in the working directory feeding `${VAR}`,
 * or stops the command with every diagnostic (printed by runCli).
 *
 * @example
 * const topology = await requireTopology(ctx, opts.file);   // undefined file: topoplan.yaml here or above
 * const dir = dataDirFor(ctx, topology, opts.dataDir);      // .topoplan/ next to the topology unless --data-dir
 */
import { dirname, resolve } from 'node:path';
import type { CliContext } from './cli-context.js';
import { TopoplanError, type Diagnostic } from '../errors.js';
import type { LoadResult } from '../topology/index.js';
import type { Store, Topology } from '../topology/model.js';
import { envWithDotEnv } from './dot-env.js';
import { printDiagnostics } from './io.js';
import { findTopologyFile } from './topology-file.js';

/** The name of the directory embedded engines keep their data in, next to the topology file. */
export const DATA_DIR_NAME = '.topoplan';

/** Loads a topology, finding the file and reading `.env` files; the result says which file it was. */
export async function loadCliTopology(ctx: CliContext, file?: string, cacheDir?: string): Promise<LoadResult & { readonly file: string }> {
  const found = findTopologyFile(ctx.cwd, file);
  const env = envWithDotEnv(ctx.env, [dirname(resolve(ctx.cwd, found)), ctx.cwd]);
  const { loadTopology } = await import('../topology/index.js');
  return { ...(await loadTopology(found, { cwd: ctx.cwd, env: { ...env }, ...(cacheDir !== undefined ? { cacheDir } : {}) })), file: found };
}

/**
 * The topology, or a thrown error with every diagnostic; its warnings go to `onWarnings` (default: printed on
 * standard error). With `cacheDir`, an unchanged topology file is read from the parse cache.
 */
export async function requireTopology(ctx: CliContext, file?: string, onWarnings?: (ds: Diagnostic[]) => void, cacheDir?: string): Promise<Topology> {
  const { topology, diagnostics, file: found } = await loadCliTopology(ctx, file, cacheDir);
  if (!topology) throw new TopoplanError('topology.invalid', `topology: "${found}" is not valid`, diagnostics);
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (onWarnings) onWarnings(warnings);
  else printDiagnostics(ctx, warnings);
  return topology;
}

/** `--data-dir` as given (from the working directory), or `.topoplan/` next to the topology file. */
export function dataDirFor(ctx: CliContext, topology: Pick<Topology, 'file'>, given?: string): string {
  return given !== undefined ? resolve(ctx.cwd, given) : resolve(ctx.cwd, dirname(topology.file), DATA_DIR_NAME);
}

/**
 * The store `name` of the topology, or a usage error naming the nearest store
 * (or listing them all), prefixed by the command.
 *
 * @example
 * const store = await requireStore(topology, 'unlock', opts.store);
 */
export async function requireStore(topology: Topology, command: string, name: string, failure: { readonly code?: string; readonly hint?: string } = {}): Promise<Store> {
  const store = topology.stores.get(name);
  if (store) return store;
  const { nearest } = await import('../topology/validate-schema.js');
  const names = [...topology.stores.keys()];
  const near = nearest(name, names);
  throw new TopoplanError(failure.code ?? 'cli.usage', `${command}: "${topology.file}" has no store "${name}"${near ? `; did you mean "${near}"?` : `; its stores are ${names.join(', ')}`}${failure.hint ? `; hint: ${failure.hint}` : ''}`);
}
