/** `topoplan validate [FILE] [--format text|json]`: checks a topology against the schema and its own references. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import { EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { loadCliTopology } from './require-topology.js';

export function validateCommand(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a topology file: schema, stores, services, sets and directories')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (given: string | undefined, opts: { format: string; json?: boolean }) => {
      const format = outputFormat(ctx, 'validate', opts);
      const { topology, diagnostics, file } = await loadCliTopology(ctx, given);
      printDiagnostics(ctx, diagnostics);
      const files = topology ? [...topology.sets.values()].reduce((n, s) => n + s.files.length, 0) : 0;
      if (format === 'json') {
        printEnvelope(ctx, 'validate', { ok: !!topology, file, ...(topology ? { stores: topology.stores.size, services: topology.services.size, sets: topology.sets.size, files } : {}), diagnostics });
      } else if (topology) {
        ctx.out(`${file}: valid: ${topology.stores.size} stores, ${topology.services.size} services, ${topology.sets.size} migration sets, ${files} files\n`);
      }
      ctx.setExit(topology ? EXIT_OK : EXIT_PROBLEMS);
    });
}
