/** `topoplan diff A.yaml B.yaml [--format text|markdown|json] [--out FILE] [--rows] [--schema]`: exit 0 identical, 1 different. */
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import { diffTopologies, renderDiffMarkdown, renderDiffText } from '../diff/index.js';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { planMigration } from '../plan/plan-migration.js';
import type { Plan } from '../plan/model.js';
import type { Topology } from '../topology/model.js';
import { compareSchemas, type SchemaSide } from '../diff/schema-comparison.js';
import { renderSchemaComparisonMarkdown, renderSchemaComparisonText } from '../diff/render-schema-comparison.js';
import { TopoplanError } from '../errors.js';
import { readSchemaDir } from '../schema/read-schema-dir.js';
import { shownPath } from '../schema/shown-path.js';
import { requireTopology } from './require-topology.js';
import { writableFile } from './option-parsers.js';
import { emit, EXIT_OK, EXIT_PROBLEMS } from './io.js';

export function diffCommand(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .description('compare two topologies of one system: what moves, what breaks, what must be copied')
    .argument('<a>', 'topology YAML (the current one)')
    .argument('<b>', 'topology YAML (the proposed one)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('-o, --out <file>', 'write the output to a file').argParser(writableFile))
    .option('--rows', "count rows of moving tables in A's databases (embedded engines under --data-dir when a store has no url)")
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .option('--schema', "compare the two topologies' committed schema files object by object (written by topoplan check --update)")
    .action(async (fileA: string, fileB: string, opts: { format: string; out?: string; rows?: boolean; dataDir: string; schema?: boolean }) => {
      const [ta, tb] = await Promise.all([requireTopology(ctx, fileA), requireTopology(ctx, fileB)]);
      if (opts.schema) {
        const cmp = compareSchemas(await schemaSide(ta, fileA), await schemaSide(tb, fileB));
        const text = opts.format === 'json' ? JSON.stringify(cmp, null, 2) + '\n' : opts.format === 'markdown' ? renderSchemaComparisonMarkdown(cmp) : renderSchemaComparisonText(cmp, { color: !opts.out && ctx.colorOut });
        emit(ctx, text, opts.out);
        ctx.setExit(cmp.identical ? EXIT_OK : EXIT_PROBLEMS);
        return;
      }
      const [a, b] = [await planMigration(ta, { allowErrors: true }), await planMigration(tb, { allowErrors: true })];
      const first = diffTopologies(a, b);
      const rowEstimates = opts.rows ? await countMovingRows(ta, a, first.moves) : undefined;
      const diff = rowEstimates ? diffTopologies(a, b, { rowEstimates }) : first;
      const text = opts.format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : opts.format === 'markdown' ? renderDiffMarkdown(diff) : renderDiffText(diff, { color: !opts.out && ctx.colorOut });
      emit(ctx, text, opts.out);
      ctx.setExit(diff.identical ? EXIT_OK : EXIT_PROBLEMS);
    });
}

/** A topology's committed schema files; none is an error, since there is nothing to compare. */
async function schemaSide(topology: Topology, file: string): Promise<SchemaSide> {
  const dir = shownPath(topology.schemaDir);
  const schemas = await readSchemaDir(topology.schemaDir);
  if (schemas.length === 0) {
    throw new TopoplanError('diff.no_schema', `diff: topology "${topology.name}" (${file}) has no schema files in "${dir}"; write them with \`topoplan check ${file} --update\` (or set schemaDir: in the topology)`);
  }
  return { topology: topology.name, dir, schemas };
}

async function countMovingRows(topology: Topology, plan: Plan, moves: ReturnType<typeof diffTopologies>['moves']): Promise<Record<string, number>> {
  const conns = await resolveConnections(topology);
  const leaving = new Set(moves.flatMap((m) => m.objects.filter((o) => o.kind === 'table').map((o) => o.from[0]!)));
  const sessions = await openSessions(plan.stores.filter((s) => leaving.has(s.name)), conns.connections);
  const out: Record<string, number> = {};
  try {
    for (const m of moves) for (const o of m.objects) {
      const session = o.kind === 'table' ? sessions.get(o.from[0]!) : undefined;
      if (session) out[`${o.from[0]}.${o.name}`] = await session.countRows(o.name).catch(() => 0);
    }
  } finally {
    await closeSessions(sessions);
    await conns.stop();
  }
  return out;
}
