/** `topoplan diff A.yaml B.yaml [--format text|markdown|json] [--out FILE] [--rows]`: exit 0 identical, 1 different. */
import { Option, type Command } from 'commander';
import { diffTopologies, renderDiffMarkdown, renderDiffText } from '../diff/index.js';
import type { EngineSession } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { resolveConnections } from '../execute/resolve-connections.js';
import { planMigration } from '../plan/plan-migration.js';
import type { Plan } from '../plan/model.js';
import { loadTopology } from '../topology/index.js';
import type { Topology } from '../topology/model.js';
import { TopoplanError } from '../errors.js';
import { emit, EXIT_OK, EXIT_PROBLEMS, useColor } from './io.js';

export function diffCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two topologies of one system: what moves, what breaks, what must be copied')
    .argument('<a>', 'topology YAML (the current one)')
    .argument('<b>', 'topology YAML (the proposed one)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --out <file>', 'write the output to a file')
    .option('--rows', "count rows of moving tables in A's databases (embedded engines under --data-dir when a store has no url)")
    .option('--data-dir <dir>', 'where embedded engines keep their data', '.topoplan')
    .action(async (fileA: string, fileB: string, opts: { format: string; out?: string; rows?: boolean; dataDir: string }) => {
      const [ta, tb] = await Promise.all([load(fileA), load(fileB)]);
      const [a, b] = [await planMigration(ta, { allowErrors: true }), await planMigration(tb, { allowErrors: true })];
      const first = diffTopologies(a, b);
      const rowEstimates = opts.rows ? await countMovingRows(ta, a, first.moves) : undefined;
      const diff = rowEstimates ? diffTopologies(a, b, { rowEstimates }) : first;
      const text = opts.format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : opts.format === 'markdown' ? renderDiffMarkdown(diff) : renderDiffText(diff, { color: !opts.out && useColor() });
      emit(text, opts.out);
      setExit(diff.identical ? EXIT_OK : EXIT_PROBLEMS);
    });
}

async function load(file: string): Promise<Topology> {
  const { topology, diagnostics } = await loadTopology(file);
  if (!topology) throw new TopoplanError('topology.invalid', `topology: "${file}" is not valid`, diagnostics);
  return topology;
}

async function countMovingRows(topology: Topology, plan: Plan, moves: ReturnType<typeof diffTopologies>['moves']): Promise<Record<string, number>> {
  const conns = await resolveConnections(topology);
  const out: Record<string, number> = {};
  const sessions = new Map<string, EngineSession>();
  try {
    for (const m of moves) for (const o of m.objects) {
      const store = o.from[0];
      if (o.kind !== 'table' || !store) continue;
      const url = conns.connections[store];
      const def = plan.stores.find((s) => s.name === store);
      if (!url || !def) continue;
      let s = sessions.get(store);
      if (!s) {
        s = await engineFor(def.engine).connect({ store, database: def.database, url });
        sessions.set(store, s);
      }
      out[`${store}.${o.name}`] = await s.countRows(o.name).catch(() => 0);
    }
  } finally {
    for (const s of sessions.values()) await s.close();
    await conns.stop();
  }
  return out;
}
