/** `topoplan adopt [FILE] [--dry-run] [--prefer live|plan|SIDE=OBJECT] [--format text|json]`: record what a system migrated by other means already has. */
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import type { CliContext } from './cli-context.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AdoptSide } from '../adopt/adopt-plan.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

interface Preference { readonly side: AdoptSide; readonly object?: string }

/** `live`, `plan`, or `live=comments` / `plan=table public.comments`: one side for every conflict, or for one object. */
function preference(value: string, previous: Preference[] = []): Preference[] {
  const m = /^(live|plan)(?:=(.+))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('give live, plan, or SIDE=OBJECT (e.g. live=public.comments).');
  return [...previous, { side: m[1] as AdoptSide, ...(m[2] ? { object: m[2].trim() } : {}) }];
}

/** The side for a conflicting object (`table public.comments`): a per-object choice first, then one for every object. */
function sideFor(preferences: readonly Preference[]): ((object: string) => AdoptSide | undefined) | undefined {
  if (preferences.length === 0) return undefined;
  return (object) => {
    const name = object.slice(object.indexOf(' ') + 1);
    const named = preferences.find((p) => p.object && (p.object === object || p.object === name || `public.${p.object}` === name));
    return named?.side ?? preferences.find((p) => !p.object)?.side;
  };
}

export function adoptCommand(program: Command, ctx: CliContext): void {
  program
    .command('adopt')
    .description('record as applied what the databases already have (migrated by sqlx, psql or a runbook), without running it')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--dry-run', 'show what would be adopted, pending and conflicting; write nothing')
    .addOption(new Option('--prefer <side>', 'who wins a conflict: live (keep what the database has) or plan (run the plan\'s statements), or SIDE=OBJECT for one object; repeatable').argParser(preference))
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (file: string | undefined, opts: { createServerUser?: boolean; dryRun?: boolean; prefer?: Preference[]; format: string; json?: boolean; dataDir?: string; cache: boolean }) => {
      const [{ adoptPlan }, { resolveConnections }, { planMigration }, { renderAdoptText }] = await Promise.all([import('../adopt/adopt-plan.js'), import('../execute/resolve-connections.js'), import('../plan/plan-migration.js'), import('../render/adopt-text.js')]);
      const json = outputFormat(ctx, 'adopt', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, parseCacheOf(ctx, topology, opts));
      const conns = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), ...embeddedServerOptions(ctx, opts) });
      try {
        const prefer = sideFor(opts.prefer ?? []);
        const result = await adoptPlan(plan, { connections: conns.connections, ...embeddedServerOptions(ctx, opts), ...(opts.dryRun ? { dryRun: true } : {}), ...(prefer ? { prefer } : {}) });
        if (json) printEnvelope(ctx, 'adopt', { ...result });
        else ctx.out(renderAdoptText(result, { color: ctx.colorOut }));
        ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        await conns.stop();
      }
    });
}
