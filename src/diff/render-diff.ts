/**
 * Renders a topology diff for a terminal (`renderDiffText`) or a pull-request
 * comment (`renderDiffMarkdown`). JSON is `JSON.stringify(diff, null, 2)`.
 *
 * @example
 * process.stdout.write(renderDiffMarkdown(diffTopologies(planA, planB)));
 */
import pc from 'picocolors';
import type { CrossStoreKey, TopologyDiff } from './model.js';

/** Markdown table text: `|` escaped, line breaks as spaces, so user text cannot break a row. */
const esc = (v: string) => v.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
/** User text as inline code in a table cell (a back-quote in it widens the fence). */
const code = (v: string) => {
  const t = esc(v);
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
};
const cell = (v: string | undefined) => (v === undefined ? '—' : code(v));
const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');
const fkSide = (s: CrossStoreKey['a']) => (s.crosses ? `crosses ${s.fromStore} → ${s.toStore}: ${s.resolution}` : `same store (${s.fromStore ?? '?'})`);
const counts = (c?: { tables: number; triggers: number; indexes: number }) => (c ? `${c.tables} tables, ${c.triggers} triggers, ${c.indexes} indexes` : 'not in this topology');
const notCounted = (s: TopologyDiff['stores'][number]) => (s.rowsNotCounted?.length ? `; not counted: ${s.rowsNotCounted.map((n) => n.table).join(', ')} (${[...new Set(s.rowsNotCounted.map((n) => n.reason))].join('; ')})` : '');
const rows = (d: TopologyDiff, s: TopologyDiff['stores'][number]) => (!d.rowsMeasured ? 'rows to move: not measured (no database reachable; use --rows)' : `rows out ${s.rowsOut ?? 0}, in ${s.rowsIn ?? 0}${notCounted(s)}`);

export function renderDiffText(d: TopologyDiff, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [c.bold(`topoplan diff: ${d.a.topology} (${d.a.file}) → ${d.b.topology} (${d.b.file})`), ''];
  if (d.identical) return out.concat(['No differences.', '']).join('\n');
  if (d.moves.length) {
    out.push(c.bold('Objects that move between stores'));
    for (const m of d.moves) {
      out.push(`  ${c.cyan(m.service)} (${m.objects.length})`);
      for (const o of m.objects) out.push(`    ${c.yellow('→')} ${o.kind.replace('_', ' ')} ${o.name}: ${list(o.from)} → ${list(o.to)}`);
    }
    out.push('');
  }
  if (d.foreignKeys.length) {
    out.push(c.bold('Foreign keys that cross stores'));
    for (const f of d.foreignKeys) {
      out.push(`  ${f.key}`);
      out.push(`      A: ${fkSide(f.a)}`, `      B: ${fkSide(f.b)}`);
    }
    out.push(`  options: ${d.foreignKeys[0]!.options.join('; ')}`, '');
  }
  if (d.shared.length) {
    out.push(c.bold('Shared functions, types and extensions'));
    for (const s of d.shared) out.push(`  ${s.kind} ${s.name}: A ${list(s.a)}; B ${list(s.b)}`);
    out.push('');
  }
  const changed = d.services.filter((s) => s.changes);
  if (changed.length) {
    out.push(c.bold('Service connections that change'));
    for (const s of changed) {
      out.push(`  ${c.cyan(s.service)}: ${s.env} ${s.a.database ?? '—'} (${s.a.url ?? ''}) → ${s.b.database ?? '—'} (${s.b.url ?? ''})${s.sqlxLedgerMoves ? c.yellow('  [sqlx ledger moves]') : ''}`);
    }
    out.push('');
  }
  if (d.splitFiles.length) {
    out.push(c.bold('Legacy files split across stores differently'));
    for (const f of d.splitFiles) out.push(`  ${f.file}: A ${list(f.a)}; B ${list(f.b)}`);
    out.push('');
  }
  if (d.definitions.length) {
    out.push(c.bold('Definitions that change'));
    for (const x of d.definitions) {
      out.push(`  ${x.kind.replace('_', ' ')} ${c.cyan(x.name)} (${x.a}${x.b !== x.a ? ` | ${x.b}` : ''})`);
      for (const p of x.parts) out.push(`    ${p.part}: ${p.a ?? '—'} ${c.yellow('→')} ${p.b ?? '—'}`);
    }
    out.push('');
  }
  if (d.statements.changed) out.push(`${d.statements.changed} statement${d.statements.changed === 1 ? '' : 's'} run differently, ${d.statements.onCluster} of them in ON CLUSTER`, '');
  out.push(c.bold('Stores'));
  for (const s of d.stores) out.push(`  ${s.store.padEnd(16)} ${s.engine.padEnd(10)} A: ${counts(s.a)} | B: ${counts(s.b)} | ${rows(d, s)}`);
  return out.join('\n') + '\n';
}

/** One line that says what the diff holds, first in a pull-request comment. */
function summaryLine(d: TopologyDiff): string {
  if (d.identical) return `**topoplan diff: no differences** between ${code(d.a.topology)} and ${code(d.b.topology)}.`;
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const moved = d.moves.reduce((k, m) => k + m.objects.length, 0);
  const crossing = d.foreignKeys.filter((f) => f.b.crosses).length;
  const parts = [
    n(moved, 'object moves', 'objects move'),
    n(crossing, 'foreign key crosses stores', 'foreign keys cross stores'),
    n(d.services.filter((s) => s.changes).length, 'service connection changes', 'service connections change'),
    n(d.definitions.length, 'definition changes', 'definitions change'),
  ];
  return `**topoplan diff: ${parts.join(', ')}.**`;
}

export function renderDiffMarkdown(d: TopologyDiff): string {
  const out: string[] = [summaryLine(d), '', `## topoplan diff: ${code(d.a.topology)} → ${code(d.b.topology)}`, ''];
  if (d.identical) return out.concat(['No differences.', '']).join('\n');
  if (d.moves.length) {
    out.push('### Objects that move between stores', '', '| service | object | from | to |', '|---|---|---|---|');
    for (const m of d.moves) for (const o of m.objects) out.push(`| ${esc(m.service)} | ${o.kind.replace('_', ' ')} ${code(o.name)} | ${esc(list(o.from))} | ${esc(list(o.to))} |`);
    out.push('');
  }
  if (d.foreignKeys.length) {
    out.push('### Foreign keys that cross stores', '', '| foreign key | A | B |', '|---|---|---|');
    for (const f of d.foreignKeys) out.push(`| ${code(f.key)} | ${esc(fkSide(f.a))} | ${esc(fkSide(f.b))} |`);
    out.push('', `Options: ${d.foreignKeys[0]!.options.join('; ')}.`, '');
  }
  if (d.shared.length) {
    out.push('### Shared functions, types and extensions', '', '| object | A | B |', '|---|---|---|');
    for (const s of d.shared) out.push(`| ${s.kind} ${code(s.name)} | ${esc(list(s.a))} | ${esc(list(s.b))} |`);
    out.push('');
  }
  const changed = d.services.filter((s) => s.changes);
  if (changed.length) {
    out.push('### Service connections', '', '| service | variable | A | B | sqlx ledger moves |', '|---|---|---|---|---|');
    for (const s of changed) out.push(`| ${esc(s.service)} | ${code(s.env)} | ${esc(s.a.database ?? '—')} ${code(s.a.url ?? '')} | ${esc(s.b.database ?? '—')} ${code(s.b.url ?? '')} | ${s.sqlxLedgerMoves ? 'yes' : 'no'} |`);
    out.push('');
  }
  if (d.splitFiles.length) {
    out.push('### Legacy files split across stores differently', '', '| file | A | B |', '|---|---|---|');
    for (const f of d.splitFiles) out.push(`| ${code(f.file)} | ${esc(list(f.a))} | ${esc(list(f.b))} |`);
    out.push('');
  }
  if (d.definitions.length) {
    out.push('### Definitions that change', '', '| object | part | A | B |', '|---|---|---|---|');
    for (const x of d.definitions) for (const p of x.parts) out.push(`| ${x.kind.replace('_', ' ')} ${code(x.name)} | ${esc(p.part)} | ${cell(p.a)} | ${cell(p.b)} |`);
    out.push('');
  }
  if (d.statements.changed) out.push(`${d.statements.changed} statement${d.statements.changed === 1 ? '' : 's'} run differently, ${d.statements.onCluster} of them in \`ON CLUSTER\`.`, '');
  out.push('### Stores', '', '| store | engine | A | B | rows to move |', '|---|---|---|---|---|');
  for (const s of d.stores) out.push(`| ${esc(s.store)} | ${s.engine} | ${counts(s.a)} | ${counts(s.b)} | ${d.rowsMeasured ? `out ${s.rowsOut ?? 0}, in ${s.rowsIn ?? 0}${notCounted(s).replace(/\|/g, '\\|')}` : 'not measured'} |`);
  return out.join('\n') + '\n';
}
