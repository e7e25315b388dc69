/**
 * `topoplan restore [FILE] [--backup DIR] [--store NAME] [--force] [--format text|json]`: without
 * `--backup`, lists the backups under the data directory, newest first, each
 * with the command that restores it; with it, restores that backup into its
 * store (or `--store`): tables recreated with their rows, columns put back by
 * key. A table holding rows, or a column holding values, is left alone
 * unless `--force`. Exit 0 when restored (or listed), 1 when refused or failed.
 */
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import type { FoundBackup } from '../engines/backup-manifest.js';
import { TopoplanError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { EXIT_OK } from './io.js';
import { secondsAsMs } from './option-parsers.js';
import { dataDirFor, requireStore, requireTopology } from './require-topology.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { serverUserChoice, serverUserOption } from './server-user-option.js';

export function restoreCommand(program: Command, ctx: CliContext): void {
  program
    .command('restore')
    .description('restore a backup apply took before a destructive step; without --backup, list the backups')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--backup <dir>', 'the backup directory (or its manifest.json), as apply printed it')
    .option('--store <name>', 'the store to restore into (default: the one the backup was taken from)')
    .option('--force', 'replace the rows of a table that holds some, overwrite values of columns that hold some')
    .option('--data-dir <dir>', 'where embedded engines keep their data and backups are (default: .topoplan/ next to the topology)')
    .addOption(formatOption())
    .addOption(jsonOption())
    .addOption(new Option('--lock-timeout <seconds>', 'wait this long for an apply holding the store').argParser(secondsAsMs(86_400)).default(30_000, '30'))
    .addOption(serverUserOption())
    .action(async (given: string | undefined, opts: { createServerUser?: boolean; backup?: string; store?: string; force?: boolean; dataDir?: string; lockTimeout: number; format: string; json?: boolean }) => {
      const [{ listBackups, readManifest }, { resolveConnections }, { restoreBackup }] = await Promise.all([import('../engines/backup-manifest.js'), import('../execute/resolve-connections.js'), import('../execute/restore-backup.js')]);
      const json = outputFormat(ctx, 'restore', opts) === 'json';
      const topology = await requireTopology(ctx, given);
      const file = given ?? topology.file;
      const dataDir = dataDirFor(ctx, topology, opts.dataDir);
      const c = pc.createColors(ctx.colorOut);
      if (!opts.backup) {
        const found = await listBackups(dataDir);
        if (json) printEnvelope(ctx, 'restore', { ok: true, dataDir, backups: found.map((b) => ({ dir: b.dir, ...b.manifest })) });
        else if (found.length === 0) ctx.out(`restore: no backups under ${dataDir}/backups\n`);
        else ctx.out(found.map((b) => describe(b, file, c) + '\n').join(''));
        ctx.setExit(EXIT_OK);
        return;
      }
      const backup = await readManifest(opts.backup);
      const name = opts.store ?? backup.manifest.store;
      const store = await requireStore(topology, 'restore', name, opts.store ? {} : { code: 'restore.store', hint: 'pass --store NAME' });
      const conns = await resolveConnections(topology, { dir: dataDir, ...serverUserChoice(opts), onNote: (n) => ctx.err(c.dim(`topoplan: ${n}`) + '\n') });
      try {
        const url = conns.connections[store.name];
        if (!url) throw new TopoplanError('restore.unreachable', `restore: ${conns.reasons[store.name] ?? `store "${store.name}" has no url`}`);
        const r = await restoreBackup(backup.dir, { store: store.name, database: store.database, engine: store.engine, url, lockTimeoutMs: opts.lockTimeout, ...(opts.force ? { force: true } : {}) });
        if (json) printEnvelope(ctx, 'restore', { ok: true, backup: backup.dir, store: store.name, restored: r.restored, notBackedUp: backup.manifest.notBackedUp });
        else {
          for (const o of r.restored) {
            const what = o.kind === 'definition' ? `${o.created ? 'created' : 'kept the existing'} "${o.table}" from its definition` : o.kind === 'columns' ? `${o.addedColumns.length ? `added column ${o.addedColumns.map((x) => `"${x}"`).join(', ')} back to` : 'filled columns of'} table "${o.table}", ${o.rows} rows by key` : `${o.created ? 'created' : 'loaded'} table "${o.table}" with ${o.rows} rows${o.addedColumns.length ? ` (columns ${o.addedColumns.map((x) => `"${x}"`).join(', ')} added back)` : ''}`;
            const keys = o.addedKeys?.length ? `, and the foreign key${o.addedKeys.length === 1 ? '' : 's'} ${o.addedKeys.map((k) => `"${k}"`).join(', ')} of other tables that a CASCADE had dropped` : '';
            ctx.out(`restore: ${what} in store "${store.name}"${keys}\n`);
          }
          for (const n of backup.manifest.notBackedUp) ctx.out(c.yellow(`restore: not in this backup: ${n}`) + '\n');
        }
        ctx.setExit(EXIT_OK);
      } finally {
        await conns.stop();
      }
    });
}

function describe(b: FoundBackup, file: string, c: ReturnType<typeof pc.createColors>): string {
  const m = b.manifest;
  const objects = m.objects.map((o) => (o.kind === 'definition' ? `${(o.object ?? '').replace('_', ' ')} ${o.table} (definition)` : `${o.kind === 'columns' ? `columns ${(o.destroyed ?? []).map((x) => `"${x}"`).join(', ')} of ` : ''}${o.table} (${o.rows} rows)`)).join(', ') || 'nothing';
  return `${c.bold(m.createdAt)} store ${m.store}, before ${m.step}${m.at ? ` (${m.at})` : ''}: ${objects}\n  ${c.dim(`topoplan restore ${file} --backup ${b.dir}`)}`;
}
