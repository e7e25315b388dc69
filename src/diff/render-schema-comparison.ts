/**
 * Renders two topologies' schemas side by side: one line per object that
 * moves, changes or exists on one side only, with the stores holding it in
 * A and in B and what changed below it, then the count of objects that are
 * the same in both; as text for a terminal or a Markdown table for a review.
 *
 * @example
 * process.stdout.write(renderSchemaComparisonText(compareSchemas(a, b)))
 * // '  → table public.likes      nova      nova_social\n  ...'
 */
import pc from 'picocolors';
import type { SchemaComparison, SchemaObjectComparison } from './schema-comparison.js';

const MARK = { added: '+', removed: '-', changed: '~', same: '→' } as const;
const MAX_NAME = 72;

export function renderSchemaComparisonText(cmp: SchemaComparison, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const shown = cmp.objects.filter(differs);
  const label = (o: SchemaObjectComparison) => `${o.kind} ${o.name}`;
  const width = Math.min(MAX_NAME, Math.max(6, ...shown.map((o) => label(o).length)));
  const storesA = Math.max(1, ...shown.map((o) => stores(o.a).length));
  const out = [c.bold(`schema: ${cmp.a.topology} (${cmp.a.dir}) vs ${cmp.b.topology} (${cmp.b.dir})`)];
  if (shown.length > 0) out.push(c.dim(`    ${'object'.padEnd(width)}  ${'A'.padEnd(storesA)}  B`));
  for (const o of shown) {
    const colour = o.change === 'added' ? c.green : o.change === 'removed' ? c.red : o.change === 'changed' ? c.yellow : c.cyan;
    out.push(`  ${colour(MARK[o.change])} ${label(o).padEnd(width)}  ${stores(o.a).padEnd(storesA)}  ${stores(o.b)}`);
    for (const d of o.details) out.push(c.dim(`        ${d}`));
  }
  out.push(summary(cmp));
  return `${out.join('\n')}\n`;
}

export function renderSchemaComparisonMarkdown(cmp: SchemaComparison): string {
  const out = [`### Schema: \`${cmp.a.topology}\` vs \`${cmp.b.topology}\``, '', `From \`${cmp.a.dir}\` and \`${cmp.b.dir}\`.`, ''];
  const shown = cmp.objects.filter(differs);
  if (shown.length > 0) {
    out.push(`| | object | ${cmp.a.topology} | ${cmp.b.topology} | what changes |`, '|---|---|---|---|---|');
    for (const o of shown) out.push(`| ${MARK[o.change]} | \`${o.kind} ${o.name}\` | ${stores(o.a)} | ${stores(o.b)} | ${o.details.map(cell).join('<br>')} |`);
    out.push('');
  }
  out.push(summary(cmp));
  return `${out.join('\n')}\n`;
}

function differs(o: SchemaObjectComparison): boolean {
  return o.change !== 'same' || o.moved;
}

function stores(list: readonly string[]): string {
  return list.length > 0 ? list.join(', ') : '-';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function summary(cmp: SchemaComparison): string {
  const n = (f: (o: SchemaObjectComparison) => boolean) => cmp.objects.filter(f).length;
  const parts = [
    `${n((o) => o.moved)} move`,
    `${n((o) => o.change === 'changed')} change`,
    `${n((o) => o.change === 'removed')} only in ${cmp.a.topology}`,
    `${n((o) => o.change === 'added')} only in ${cmp.b.topology}`,
    `${n((o) => !differs(o))} the same in the same stores`,
  ];
  return `schema: ${cmp.objects.length} object${cmp.objects.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
