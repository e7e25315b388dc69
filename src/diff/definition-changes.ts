/**
 * ClickHouse definitions that differ between two plans of one tree: for
 * every object both plans create, its defining statement in each (the
 * statement as it runs, placeholders filled and ON CLUSTER added) compared
 * part by part: engine, order key, partition key, TTL, settings, ON CLUSTER,
 * a view's TO target and each column's type (for a table a rename made, also
 * the CREATE of the table renamed to it). Also counts the statements of
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
import { readStatement } from '../sql/clickhouse/read-statement.js';
import type { DefinitionChange, DefinitionPart, StatementChanges } from './model.js';

/** Every ClickHouse statement of a plan by `file#index` (0-based index in the file), in plan order, with its store's database. */
function statementsOf(plan: Plan): Map<string, { readonly sql: string; readonly database: string }> {
  const out = new Map<string, { readonly sql: string; readonly database: string }>();
  for (const s of plan.steps) {
    if (!s.source || s.engine !== 'clickhouse') continue;
    s.statements.forEach((sql, i) => out.set(`${s.source!.file}#${s.source!.firstStatement + i}`, { sql, database: s.database }));
  }
  return out;
}

/**
 * The CREATE that made an object: its defining statement, or, when that is a
 * `RENAME ... TO` it (a table made under another name, as guarded renames
 * do) or a `RENAME DATABASE` to its database, the CREATE of the table renamed
 * or moved to it, as far back as renames go.
 */
function creationOf(statements: ReturnType<typeof statementsOf>, key: string, name: string): string | undefined {
  const all = [...statements.values()];
  let at = [...statements.keys()].indexOf(key);
  let wanted = name;
  for (let hops = 0; at >= 0 && hops < 10; hops++) {
    const { sql, database } = all[at]!;
    const read = readStatement(sql);
    if (!read.kind.startsWith('RENAME')) return sql;
    const dot = wanted.lastIndexOf('.');
    const [schema, bare] = [wanted.slice(0, dot), wanted.slice(dot + 1)];
    // A RENAME DATABASE moved the object from the database it renamed.
    const moved = read.effects.find((e) => e.action === 'rename' && e.object.kind === 'database' && e.renameTo === schema)?.object;
    const from = moved ? undefined : read.effects.find((e) => e.action === 'rename' && e.object.kind !== 'database' && e.renameTo === bare)?.object;
    if (!moved && !from) return undefined;
    wanted = moved ? `${moved.name}.${bare}` : `${from!.schema ?? database}.${from!.name}`;
    const made = (q: { sql: string; database: string }) =>
      readStatement(q.sql).effects.some((e) =>
        e.object.kind === 'database'
          ? e.action === 'rename' && e.renameTo === wanted.slice(0, wanted.lastIndexOf('.'))
          : (e.action === 'create' || (e.action === 'rename' && e.renameTo === wanted.slice(wanted.lastIndexOf('.') + 1))) && `${e.object.schema ?? q.database}.${e.action === 'create' ? e.object.name : e.renameTo}` === wanted,
      );
    let k = at - 1;
    while (k >= 0 && !made(all[k]!)) k--;
    at = k;
  }
  return undefined;
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
  // Only ClickHouse statements are compared: without them on both sides (a PostgreSQL system) nothing can differ,
  // and indexing every statement's line (140,000 at 1,000 services) would cost a second for nothing.
  if (sa.size === 0 || sb.size === 0) return { definitions: [], statements: { changed: 0, onCluster: 0 } };
  const [la, lb] = [byLine(a), byLine(b)];
  const bObjects = new Map(b.objects.map((o) => [`${o.kind}:${o.name}`, o]));
  const definitions: DefinitionChange[] = [];
  for (const ao of a.objects) {
    const bo = bObjects.get(`${ao.kind}:${ao.name}`);
    if (!bo || !ao.definedAt || !bo.definedAt) continue;
    const [ka, kb] = [la.get(ao.definedAt) ?? '', lb.get(bo.definedAt) ?? ''];
    const x = sa.get(ka);
    const y = sb.get(kb);
    if (!x || !y) continue;
    // A table made by a rename is defined by the CREATE of the table renamed to it, as well as by the rename.
    const [cx, cy] = [creationOf(sa, ka, ao.name), creationOf(sb, kb, bo.name)];
    const renamed = cx !== undefined && cy !== undefined && (cx !== x.sql || cy !== y.sql);
    if (normal(x.sql) === normal(y.sql) && (!renamed || normal(cx) === normal(cy))) continue;
    const own = partsThatDiffer(definitionParts(x.sql), definitionParts(y.sql));
    const parts = own.length > 0 ? own : normal(x.sql) !== normal(y.sql) ? textParts(x.sql, y.sql) : [];
    if (renamed) for (const p of partsThatDiffer(definitionParts(cx), definitionParts(cy))) if (!parts.some((q) => q.part === p.part)) parts.push(p);
    definitions.push({ kind: ao.kind, name: ao.name, a: ao.definedAt, b: bo.definedAt, parts });
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
