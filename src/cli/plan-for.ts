/**
 * The plan of the topology a command names or finds, with what loading the
 * topology warned about among the plan's diagnostics (as planMigration(file)
 * does), and the `.env` conventions of requireTopology.
 *
 * @example
 * const plan = await planFor(ctx, undefined, { allowErrors: true });   // topoplan.yaml here or above
 * const cached = await planFor(ctx, 'a.yaml', {}, (t) => join(dataDirFor(ctx, t), 'cache'));
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../errors.js';
import type { Plan } from '../plan/model.js';
import type { PlanOptions } from '../plan/plan-migration.js';
import type { Topology } from '../topology/model.js';
import type { CliContext } from './cli-context.js';
import { requireTopology } from './require-topology.js';
import { findTopologyFile } from './topology-file.js';
import { StageClock } from '../plan/stage-clock.js';

/** `cacheDirOf` names the parse cache of the topology file (undefined: none); an unchanged topology file is read from it too. */
export async function planFor(ctx: CliContext, file: string | undefined, options: PlanOptions = {}, cacheDirOf?: (topology: Pick<Topology, 'file'>) => string | undefined): Promise<Plan> {
  const warnings: Diagnostic[] = [];
  const found = findTopologyFile(ctx.cwd, file);
  // For a file that is there, the planner's modules start loading while the topology is read (a run that stops
  // at once, with no file, does not wait for them); a failure surfaces where they are awaited. The SQL parser is
  // not among them: it loads at the first file the parse cache does not hold.
  const early = existsSync(resolve(ctx.cwd, found)) ? import('../plan/plan-migration.js') : undefined;
  early?.catch(() => {});
  const cacheDir = cacheDirOf?.({ file: found });
  const clock = new StageClock(options.onStage);
  const topology = await requireTopology(ctx, found, (ds) => warnings.push(...ds), cacheDir);
  clock.lap('topology');
  const { planMigration } = await (early ?? import('../plan/plan-migration.js'));
  const plan = await planMigration(topology, cacheDir !== undefined ? { ...options, cacheDir } : options);
  return warnings.length > 0 ? { ...plan, diagnostics: sortDiagnostics([...warnings, ...plan.diagnostics]) } : plan;
}
