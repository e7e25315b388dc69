/**
 * Renders the step graph as Graphviz DOT or Mermaid: one cluster per store,
 * each step labelled with its set, file and statements and what it does
 * first, only the edges of the transitive reduction (what a step waits for
 * directly), each with its first reason, and a legend of the styles.
 *
 * @example
 * writeFileSync('plan.dot', renderPlanDot(plan)); // dot -Tsvg plan.dot > plan.svg
 */
import type { Plan, Step } from '../plan/model.js';
import { transitiveReduction } from './transitive-reduction.js';

function label(s: Step): string {
  const what = s.source ? `${s.source.set}: ${s.source.file.split('/').pop()}#${s.source.firstStatement + 1}${s.source.lastStatement !== s.source.firstStatement ? `-${s.source.lastStatement + 1}` : ''}` : s.kind.replace('_', ' ');
  const first = s.changes[0];
  return `${what}${first ? `\\n${first.action} ${first.name}${s.changes.length > 1 ? ` +${s.changes.length - 1}` : ''}` : ''}`;
}

const dq = (s: string) => `"${s.replace(/\\(?!n)/g, '\\\\').replace(/"/g, '\\"')}"`;

export function renderPlanDot(plan: Plan): string {
  const out = [`digraph ${dq(plan.topology)} {`, '  rankdir=LR;', '  node [shape=box, fontname="Helvetica", fontsize=10];'];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name);
    if (steps.length === 0) continue;
    out.push(`  subgraph ${dq(`cluster_${store.name}`)} {`, `    label=${dq(`${store.name} (${store.engine} ${store.database})`)};`);
    for (const s of steps) {
      const style = s.phase === 'contract' ? ', style=dashed, color=red' : s.phase === 'migrate' ? ', color=blue' : '';
      out.push(`    ${dq(s.id)} [label=${dq(label(s))}${style}];`);
    }
    out.push('  }');
  }
  for (const e of transitiveReduction(plan.edges)) out.push(`  ${dq(e.from)} -> ${dq(e.to)} [tooltip=${dq(e.reasons.join('; '))}];`);
  out.push(
    '  subgraph "cluster_legend" {',
    '    label="legend"; fontsize=10; style=dotted;',
    '    "legend: expand" [label="expand step\\nset: file#statements", fontsize=9];',
    '    "legend: migrate" [label="migrate step (copies rows)", color=blue, fontsize=9];',
    '    "legend: contract" [label="contract step (destroys data)", style=dashed, color=red, fontsize=9];',
    '    "legend: expand" -> "legend: migrate" [label="runs after", fontsize=9];',
    '    "legend: migrate" -> "legend: contract" [style=invis];',
    '  }',
  );
  out.push('}');
  return out.join('\n') + '\n';
}

export function renderPlanMermaid(plan: Plan): string {
  const ids = new Map(plan.steps.map((s, i) => [s.id, `s${i}`]));
  const esc = (s: string) => s.replace(/"/g, '#quot;').replace(/\\n/g, '<br/>');
  const out = ['flowchart LR'];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name);
    if (steps.length === 0) continue;
    out.push(`  subgraph ${store.name.replace(/[^A-Za-z0-9_]/g, '_')}["${store.name} (${store.engine})"]`);
    for (const s of steps) out.push(`    ${ids.get(s.id)}["${esc(label(s))}"]${s.phase === 'contract' ? ':::contract' : s.phase === 'migrate' ? ':::migrate' : ''}`);
    out.push('  end');
  }
  for (const e of transitiveReduction(plan.edges)) out.push(`  ${ids.get(e.from)} -->|"${esc(e.reasons[0] ?? '')}"| ${ids.get(e.to)}`);
  out.push(
    '  subgraph legend["legend"]',
    '    legend_expand["expand step<br/>set: file#statements"] -->|"runs after"| legend_migrate["migrate step (copies rows)"]:::migrate',
    '    legend_contract["contract step (destroys data)"]:::contract',
    '  end',
    '  classDef migrate stroke:#1f6feb',
    '  classDef contract stroke:#d1242f,stroke-dasharray:4 3',
  );
  return out.join('\n') + '\n';
}
