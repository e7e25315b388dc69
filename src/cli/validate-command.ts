/** `topoplan validate FILE`: checks a topology against the schema and its own references. */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';
import { loadTopology } from '../topology/index.js';
import { EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';

export function validateCommand(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a topology file: schema, stores, services, sets and directories')
    .argument('<file>', 'topology YAML')
    .action(async (file: string) => {
      const { topology, diagnostics } = await loadTopology(file);
      printDiagnostics(ctx, diagnostics);
      if (!topology) {
        ctx.setExit(EXIT_PROBLEMS);
        return;
      }
      const files = [...topology.sets.values()].reduce((n, s) => n + s.files.length, 0);
      ctx.out(`${file}: valid: ${topology.stores.size} stores, ${topology.services.size} services, ${topology.sets.size} migration sets, ${files} files\n`);
      ctx.setExit(EXIT_OK);
    });
}
