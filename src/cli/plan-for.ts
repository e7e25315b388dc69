/**
 * The plan of the topology a command names or finds, with what loading the
 * topology warned about among the plan's diagnostics (as planMigration(file)
 * does), and the `.env` conventions of requireTopology.
 *
 * @example
 * const plan = await planFor(ctx, undefined, { allowErrors: true });   // topoplan.yaml here or above
 */
import { sortDiagnostics, type Diagnostic } from '../errors.js';
import type { Plan } from '../plan/model.js';
import type { PlanOptions } from '../plan/plan-migration.js';
import type { CliContext } from './cli-context.js';
import { requireTopology } from './require-topology.js';

export async function planFor(ctx: CliContext, file: string | undefined, options: PlanOptions = {}): Promise<Plan> {
  const warnings: Diagnostic[] = [];
  // The planner's modules and the SQL parser's WebAssembly start loading now, so the parser compiles on another
  // core while the topology is read; a failure surfaces where they are awaited.
  const planner = import('../plan/plan-migration.js');
  const parser = import('../sql/postgres/analyze-postgres.js').then((m) => m.loadPostgresParser());
  planner.catch(() => {});
  parser.catch(() => {});
  const topology = await requireTopology(ctx, file, (ds) => warnings.push(...ds));
  const [{ planMigration }] = await Promise.all([planner, parser]);
  const plan = await planMigration(topology, options);
  return warnings.length > 0 ? { ...plan, diagnostics: sortDiagnostics([...warnings, ...plan.diagnostics]) } : plan;
}
