/** `topoplan stop [FILE]`: stops the embedded PostgreSQL server of the data directory (one `topoplan url` left running). */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from './cli-context.js';
import { EXIT_OK } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { dataDirFor, requireTopology } from './require-topology.js';

export function stopCommand(program: Command, ctx: CliContext): void {
  program
    .command('stop')
    .description('stop the embedded PostgreSQL server under the data directory')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--data-dir <dir>', 'where embedded engines keep their data (default: .topoplan/ next to the topology)')
    .action(async (file: string | undefined, opts: { dataDir?: string; format: string; json?: boolean }) => {
      const { stopEmbeddedPostgres } = await import('../engines/embedded/stop-embedded-postgres.js');
      const json = outputFormat(ctx, 'stop', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const dir = resolve(dataDirFor(ctx, topology, opts.dataDir), 'postgres');
      const r = await stopEmbeddedPostgres(dir);
      ctx.err(r.stopped ? `stop: embedded PostgreSQL (pid ${r.pid}) in ${dir} stopped\n` : `stop: no embedded PostgreSQL runs in ${dir}\n`);
      if (json) printEnvelope(ctx, 'stop', { ok: true, dataDir: dir, stopped: r.stopped, ...(r.pid !== undefined ? { pid: r.pid } : {}) });
      ctx.setExit(EXIT_OK);
    });
}
