/** Loads a topology for a command, or stops it with every diagnostic (printed by main). */
import type { CliContext } from './cli-context.js';
import { TopoplanError } from '../errors.js';
import { loadTopology } from '../topology/index.js';
import type { Topology } from '../topology/model.js';
import { printDiagnostics } from './io.js';

export async function requireTopology(ctx: CliContext, file: string): Promise<Topology> {
  const { topology, diagnostics } = await loadTopology(file);
  if (!topology) throw new TopoplanError('topology.invalid', `topology: "${file}" is not valid`, diagnostics);
  printDiagnostics(ctx, diagnostics.filter((d) => d.severity === 'warning'));
  return topology;
}
