/**
 * ClickHouse definitions that differ between two plans of one tree: for
 * every object both plans create, its defining statement in each (the
 * statement as it runs, placeholders filled and ON CLUSTER added) compared
 * part by part: engine, order key, partition key, TTL, settings, ON CLUSTER,
 * a view's TO target and each column's type. Also counts the statements of
 * the same file and position whose text differs, and how many of them differ
 * in ON CLUSTER. (PostgreSQL definitions change between topologies only by
 * the foreign keys a topology drops, which the diff reports on its own.)
 *
 * @example
 * definitionChanges(single, cluster).definitions[0]
 * // { kind: 'table', name: 'obs.spans_local', a: 'traces/2.up.sql:1', b: '...', parts: [{ part: 'engine', a: 'MergeTree', b: "ReplicatedMergeTree('/t', '{replica}')" }] }
 */
import type { Plan } from '../plan/model.js';
import { definitionParts } from '../sql/clickhouse/clickhouse-definition.js';
import type { DefinitionChange, DefinitionPart, StatementChanges } from './model.js';

/** Every ClickHouse statement of a plan by `file#index` (0-based index in the file). */
function statementsOf(plan: Plan): Map<string, { readonly sql: string }> {
  const out = new Map<string, { readonly sql: string }>();
  for (const s of plan.steps) {
    if (!s.source || s.engine !== 'clickhouse') continue;
    s.statements.forEach((sql, i) => out.set(`${s.source!.file}#${s.source!.firstStatement + i}`, { sql }));
  }
  return out;
}

/** `file:line` → `file#index`, from the steps' statement lines. */
function byLine(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of plan.steps) {
    if (!s.source) continue;
    s.source.statementLines.forEach((line, i) => out.set(`${s.source!.file}:${line}`, `${s.source!.file}#${s.source!.firstStatement + i}`));
  }
  return out;
}

const PART_ORDER = ['ON CLUSTER', 'TO', 'engine', 'PARTITION BY', 'ORDER BY', 'PRIMARY KEY', 'SAMPLE BY', 'TTL', 'SETTINGS', 'COMMENT'];
const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim();

export function definitionChanges(a: Plan, b: Plan): { definitions: DefinitionChange[]; statements: StatementChanges } {
  const [sa, sb] = [statementsOf(a), statementsOf(b)];
  const [la, lb] = [byLine(a), byLine(b)];
  const bObjects = new Map(b.objects.map((o) => [`${o.kind}:${o.name}`, o]));
  const definitions: DefinitionChange[] = [];
  for (const ao of a.objects) {
    const bo = bObjects.get(`${ao.kind}:${ao.name}`);
    if (!bo || !ao.definedAt || !bo.definedAt) continue;
    const x = sa.get(la.get(ao.definedAt) ?? '');
    const y = sb.get(lb.get(bo.definedAt) ?? '');
    if (!x || !y || normal(x.sql) === normal(y.sql)) continue;
    const parts = partsThatDiffer(definitionParts(x.sql), definitionParts(y.sql));
    definitions.push({ kind: ao.kind, name: ao.name, a: ao.definedAt, b: bo.definedAt, parts: parts.length > 0 ? parts : textParts(x.sql, y.sql) });
  }
  let changed = 0;
  let onCluster = 0;
  for (const [k, x] of sa) {
    const y = sb.get(k);
    if (!y || normal(x.sql) === normal(y.sql)) continue;
    changed++;
    if (clusterOf(x.sql) !== clusterOf(y.sql)) onCluster++;
  }
  return { definitions, statements: { changed, onCluster } };
}

function partsThatDiffer(x: Record<string, string>, y: Record<string, string>): DefinitionPart[] {
  // Definition parts first in one order, then columns as the first side lists them.
  const all = [...new Set([...Object.keys(x), ...Object.keys(y)])];
  const labels = [...PART_ORDER.filter((l) => all.includes(l)), ...all.filter((l) => !PART_ORDER.includes(l))];
  return labels.filter((l) => x[l] !== y[l]).map((part) => ({ part, ...(x[part] !== undefined ? { a: x[part] } : {}), ...(y[part] !== undefined ? { b: y[part] } : {}) }));
}

/** A statement that is not a CREATE (RENAME, ALTER ... ADD PROJECTION): its ON CLUSTER if that is all that differs, else its text. */
function textParts(x: string, y: string): DefinitionPart[] {
  const bare = (sql: string) => normal(sql.replace(/\s+ON\s+CLUSTER\s+\S+/i, ''));
  if (bare(x) === bare(y)) return [{ part: 'ON CLUSTER', ...(clusterOf(x) ? { a: clusterOf(x) } : {}), ...(clusterOf(y) ? { b: clusterOf(y) } : {}) }];
  return [{ part: 'text', a: normal(x), b: normal(y) }];
}

function clusterOf(sql: string): string {
  return /\bON\s+CLUSTER\s+(\S+)/i.exec(sql)?.[1] ?? '';
}
