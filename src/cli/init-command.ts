/** `topoplan init [DIR] [--out FILE] [--force] [--dry-run]`: writes a draft topology for the migration directories under DIR. */
import type { Command } from 'commander';
import { relative, resolve } from 'node:path';
import type { CliContext } from './cli-context.js';
import { EXIT_OK, EXIT_PROBLEMS, printDiagnostics } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';

export function initCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('write a draft topology (topoplan.yaml) for the migration directories of a repository')
    .argument('[dir]', 'the repository to search', '.')
    .option('--out <file>', 'where to write the topology (default: DIR/topoplan.yaml)')
    .option('--force', 'overwrite the file when it exists')
    .option('--dry-run', 'print the draft on standard output and write nothing')
    .addOption(formatOption())
    .addOption(jsonOption())
    .action(async (dir: string, opts: { out?: string; force?: boolean; dryRun?: boolean; format: string; json?: boolean }) => {
      const { initTopology } = await import('../init/init-topology.js');
      const json = outputFormat(ctx, 'init', opts) === 'json';
      const r = await initTopology(resolve(ctx.cwd, dir), { ...(opts.out ? { out: resolve(ctx.cwd, opts.out) } : {}), ...(opts.force ? { force: true } : {}), ...(opts.dryRun ? { dryRun: true } : {}) });
      const near = relative(ctx.cwd, r.file);
      const shown = near && !near.startsWith('..') ? near : r.file;
      const ok = r.diagnostics.every((d) => d.severity !== 'error');
      printDiagnostics(ctx, r.diagnostics.map((d) => (d.file === r.file ? { ...d, file: shown } : d)));
      if (ok) {
        const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
        const what = `${n(r.directories.length, 'migration directory', 'migration directories')}: ${n(r.stores, 'store')}, ${n(r.sets, 'set')}, ${n(r.services, 'service')}`;
        const then = r.written ? `: review them, then run topoplan plan ${shown}` : '';
        const settled = r.settled > 0 ? `${n(r.settled, 'conflict')} of identical definitions resolved in it; ` : '';
        const next = settled + (r.conflicts === 0 ? 'its plan has no errors' : `its plan has ${n(r.conflicts, 'error')}, each with its resolution commented out at the end of the file${then}`);
        ctx.err(`init: ${r.written ? `wrote ${shown}` : 'draft'} from ${what}; ${next}\n`);
        if (opts.dryRun && !json) ctx.out(r.text);
      }
      if (json) printEnvelope(ctx, 'init', { ok, file: shown, written: r.written, directories: r.directories.map((d) => d.dir), stores: r.stores, sets: r.sets, services: r.services, conflicts: r.conflicts, settled: r.settled, ...(opts.dryRun ? { text: r.text } : {}), diagnostics: r.diagnostics });
      ctx.setExit(ok ? EXIT_OK : EXIT_PROBLEMS);
    });
}
