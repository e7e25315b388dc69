/**
 * Steps that wait for each other in a cycle: found once the layering could not place every step, and
 * reported with the edges that close them and the one statement whose skip breaks each cycle.
 *
 * The statement named is, in order of preference: a drop that ends a superseded definition of a set the
 * topology supersedes (skipping the drop makes the supersession skip that definition whole), a statement
 * of a superseded or shared set, then the cycle's latest statement in the author's order.
 *
 * @example
 * reportCycles(topology, drafts, edges, findCycles(drafts, edges));
 * // plan: steps depend on each other in a cycle: main:app/001.sql#1, main:legacy/001.sql#2, ...
 * // hint: ... skip "legacy/050_cleanup.sql:1" (DROP TABLE journal):
 * //   skip:
 * //     - set: legacy
 * //       file: 050_cleanup.sql
 * //       statements: "1"
 */
import { Graph, alg } from '@dagrejs/graphlib';
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Topology } from '../../topology/model.js';
import type { Edge } from '../model.js';
import { isSynth } from './nodes.js';
import type { DraftStep } from './steps.js';
import type { Unit } from '../read/units.js';
import { unitPlace } from '../read/units.js';
import { compareText } from '../compare-text.js';

/** Every cycle of the step graph, each as its sorted step ids, in a deterministic order. */
export function findCycles(drafts: readonly DraftStep[], edges: readonly Edge[]): string[][] {
  const g = new Graph({ directed: true });
  for (const d of drafts) g.setNode(d.id);
  for (const e of edges) g.setEdge(e.from, e.to);
  return alg.findCycles(g).map((c: string[]) => [...c].sort()).sort((a: string[], b: string[]) => compareText(a[0]!, b[0]!));
}

export function reportCycles(topology: Topology, drafts: readonly DraftStep[], edges: readonly Edge[], cycles: readonly string[][]): Diagnostic[] {
  const byFrom = new Map<string, Edge[]>();
  for (const e of edges) {
    const list = byFrom.get(e.from);
    if (list) list.push(e);
    else byFrom.set(e.from, [e]);
  }
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const superseded = new Set(topology.supersessions.flatMap((s) => s.sets));
  return cycles.map((cycle) => {
    const inCycle = new Set(cycle);
    const cycleEdges = cycle.flatMap((id) => (byFrom.get(id) ?? []).filter((e) => inCycle.has(e.to)));
    const lines = cycleEdges.map((e) => `${e.from} → ${e.to}: ${e.reasons.join('; ')}`);
    const first = byId.get(cycle[0]!);
    const unit = first && !isSynth(first.nodes[0]!) ? (first.nodes[0] as Unit) : undefined;
    const skip = statementToSkip(cycle.map((id) => byId.get(id)!), cycleEdges, superseded);
    return diagnostic({
      code: 'plan.cycle',
      severity: 'error',
      message: `plan: steps depend on each other in a cycle: ${cycle.join(', ')}`,
      file: skip?.file.file ?? unit?.file.file,
      line: skip?.stmt.line ?? unit?.stmt.line,
      object: cycle[0],
      hint: `the edges in the cycle:\n${lines.join('\n')}\n${skip ? skipHint(skip, cycleEdges.find((e) => byId.get(e.to)?.nodes[0] === skip)) : 'split a file, or declare a supersession or rename that removes one of these dependencies'}`,
    });
  });
}

function statementToSkip(steps: readonly DraftStep[], edges: readonly Edge[], superseded: ReadonlySet<string>): Unit | undefined {
  // Skipping a statement breaks the cycle only when it is its step's only statement (the others keep the step's edges).
  const alone = steps.filter((d) => d.nodes.length === 1 && !isSynth(d.nodes[0]!));
  const dropsOld = new Set(edges.filter((e) => e.reasons.some((r) => r.startsWith('drops the old '))).map((e) => e.from));
  const rank = (d: DraftStep): number => {
    const u = d.nodes[0] as Unit;
    if (dropsOld.has(d.id) && superseded.has(u.set.name)) return 0;
    if (superseded.has(u.set.name)) return 1;
    if (u.set.shared) return 2;
    return 3;
  };
  const best = [...alone].sort((a, b) => rank(a) - rank(b) || (b.nodes[0] as Unit).seq - (a.nodes[0] as Unit).seq)[0];
  return best?.nodes[0] as Unit | undefined;
}

/** `into`: the cycle's edge into the statement's step, to say what it waits for. */
function skipHint(u: Unit, into: Edge | undefined): string {
  const text = u.stmt.sql.replace(/\s+/g, ' ').trim();
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  const yaml = `skip:\n  - set: ${u.set.name}\n    file: ${u.file.name}\n    statements: "${u.stmt.index + 1}"\n    reason: "..."`;
  // A table's foreign key is the part to move, not the table: skipping the table would lose it.
  if (into && into.reasons.every((r) => r.startsWith('foreign key '))) {
    return `"${unitPlace(u)}" (${shown}) waits for ${into.reasons.map((r) => r.slice('foreign key '.length)).join(', ')} through a foreign key: move it into an ALTER TABLE ... ADD FOREIGN KEY in a later file of set "${u.set.name}"; if the statement is not wanted at all, skip it:\n${yaml}`;
  }
  return `skipping "${unitPlace(u)}" (${shown}) breaks it:\n${yaml}`;
}
