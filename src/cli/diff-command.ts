/**
 * `topoplan diff A.yaml B.yaml [--format text|markdown|json] [--out FILE] [--rows] [--schema] [--detailed-exitcode]`:
 * exit 0 when compared (identical or not), 1 on failure (a missing file), 2 usage; with --detailed-exitcode 2 when
 * the two differ.
 */
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import type { Plan } from '../plan/model.js';
import type { TopologyDiff } from '../diff/model.js';
import type { Topology } from '../topology/model.js';
import type { SchemaSide } from '../diff/schema-comparison.js';
import { TopoplanError } from '../errors.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { writableFile } from './option-parsers.js';
import { emit, EXIT_OK } from './io.js';
import { detailedExitOption, EXIT_CHANGES, formatOption, jsonOption, outputFormat } from './output-format.js';
import { embeddedServerOptions, serverUserOption } from './server-user-option.js';

export function diffCommand(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description('compare two topologies of one system: what moves, what breaks, what must be copied')
    .argument('<a>', 'topology YAML (the current one)')
    .argument('<b>', 'topology YAML (the proposed one)')
    .addOption(formatOption(['text', 'markdown', 'json']))
    .addOption(jsonOption())
    .addOption(detailedExitOption('the two topologies differ'))
    .addOption(new Option('-o, --out <file>', 'write the output to a file').argParser(writableFile))
    .option('--rows', "count rows of moving tables in A's databases (embedded engines under --data-dir when a store has no url)")
    .option('--data-dir <dir>', "where A's embedded engines keep their data (default: .topoplan/ next to A)")
    .option('--schema', "compare the two topologies' committed schema files object by object (written by topoplan check --update)")
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .action(async (fileA: string, fileB: string, opts: { createServerUser?: boolean; format: string; json?: boolean; detailedExitcode?: boolean; out?: string; rows?: boolean; dataDir?: string; schema?: boolean; cache: boolean }) => {
      const [{ diffTopologies, renderDiffMarkdown, renderDiffText }, { closeSessions, openSessions }, { resolveConnections }, { planMigration }, { compareSchemas }, { renderSchemaComparisonMarkdown, renderSchemaComparisonText }, { readSchemaDir }, { shownPath }] = await Promise.all([import('../diff/index.js'), import('../execute/open-sessions.js'), import('../execute/resolve-connections.js'), import('../plan/plan-migration.js'), import('../diff/schema-comparison.js'), import('../diff/render-schema-comparison.js'), import('../schema/read-schema-dir.js'), import('../schema/shown-path.js')]);
      const format = outputFormat(ctx, 'diff', opts);
      const [ta, tb] = await Promise.all([requireTopology(ctx, fileA), requireTopology(ctx, fileB)]);
      if (opts.schema) {
        const cmp = compareSchemas(await schemaSide(ta, fileA), await schemaSide(tb, fileB));
        const text = format === 'json' ? JSON.stringify(cmp, null, 2) + '\n' : format === 'markdown' ? renderSchemaComparisonMarkdown(cmp) : renderSchemaComparisonText(cmp, { color: !opts.out && ctx.colorOut });
        emit(ctx, text, opts.out);
        ctx.setExit(opts.detailedExitcode && !cmp.identical ? EXIT_CHANGES : EXIT_OK);
        return;
      }
      // --data-dir is A's: B's parse cache is next to B.
      const [a, b] = [await planMigration(ta, { allowErrors: true, ...parseCacheOf(ctx, ta, { ...opts, readOnly: true }) }), await planMigration(tb, { allowErrors: true, ...parseCacheOf(ctx, tb, { cache: opts.cache, readOnly: true }) })];
      const first = diffTopologies(a, b);
      const counted = opts.rows ? await countMovingRows(ta, a, first.moves, dataDirFor(ctx, ta, opts.dataDir), embeddedServerOptions(ctx, opts)) : undefined;
      const diff = counted ? diffTopologies(a, b, counted) : first;
      const text = format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : format === 'markdown' ? renderDiffMarkdown(diff) : renderDiffText(diff, { color: !opts.out && ctx.colorOut });
      emit(ctx, text, opts.out);
      ctx.setExit(opts.detailedExitcode && !diff.identical ? EXIT_CHANGES : EXIT_OK);
    });
}

/** A topology's committed schema files; none is an error, since there is nothing to compare. */
async function schemaSide(topology: Topology, file: string): Promise<SchemaSide> {
  const [{ shownPath }, { readSchemaDir }] = await Promise.all([import('../schema/shown-path.js'), import('../schema/read-schema-dir.js')]);
  const dir = shownPath(topology.schemaDir);
  const schemas = await readSchemaDir(topology.schemaDir);
  if (schemas.length === 0) {
    throw new TopoplanError('diff.no_schema', `diff: topology "${topology.name}" (${file}) has no schema files in "${dir}"; write them with \`topoplan check ${file} --update\` (or set schemaDir: in the topology)`);
  }
  return { topology: topology.name, dir, schemas };
}

/** Rows of the tables that move, counted in A's databases without creating one; what cannot be counted says why. */
async function countMovingRows(topology: Topology, plan: Plan, moves: TopologyDiff['moves'], dir: string, server: ReturnType<typeof embeddedServerOptions>): Promise<{ rowEstimates: Record<string, number>; rowsNotCounted: Record<string, string> }> {
  const [{ closeSessions, openSessions }, { resolveConnections }] = await Promise.all([import('../execute/open-sessions.js'), import('../execute/resolve-connections.js')]);
  const conns = await resolveConnections(topology, { dir, create: false, ...server });
  const leaving = new Set(moves.flatMap((m) => m.objects.filter((o) => o.kind === 'table').map((o) => o.from[0]!)));
  const sessions = await openSessions(plan.stores.filter((s) => leaving.has(s.name)), conns.connections);
  const rowEstimates: Record<string, number> = {};
  const rowsNotCounted: Record<string, string> = {};
  try {
    for (const m of moves) for (const o of m.objects) {
      if (o.kind !== 'table' || !o.from[0]) continue;
      const at = `${o.from[0]}.${o.name}`;
      const session = sessions.get(o.from[0]);
      if (!session) {
        rowsNotCounted[at] = conns.reasons[o.from[0]] ?? `store "${o.from[0]}" is not reachable`;
        continue;
      }
      try {
        rowEstimates[at] = await session.countRows(o.name);
      } catch (e) {
        rowsNotCounted[at] = `counting "${o.name}" failed: ${(e as Error).message.split('\n')[0]}`;
      }
    }
  } finally {
    await closeSessions(sessions);
    await conns.stop();
  }
  return { rowEstimates, rowsNotCounted };
}
