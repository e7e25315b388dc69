/**
 * Reads a ClickHouse migration file: statements split by hand (the server
 * takes one per request) and effects for databases, tables, views and
 * materialized views, including a materialized view's `TO` target and the
 * tables it reads. An unqualified name has no schema here: the planner gives
 * it the database of the store the statement runs in.
 *
 * @example
 * analyzeClickHouse('CREATE TABLE feature_store.features (id UInt64) ENGINE = MergeTree ORDER BY id', 'f.sql')
 * // effects: [{ action: 'create', object: { kind: 'table', name: 'features', schema: 'feature_store' } }]
 */
import type { Diagnostic } from '../../errors.js';
import type { Effect, ObjectKind, ObjectRef, ParsedStatement } from '../effects.js';
import { analyzeSplit } from '../split-analysis.js';

const NAME = '((?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\\.(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))?)';
const unquote = (s: string) => s.replace(/`/g, '');

function ref(qualified: string, kind: ObjectKind): ObjectRef {
  const parts = qualified.split('.').map(unquote);
  return parts.length > 1 ? { kind, name: parts[1]!, schema: parts[0]! } : { kind, name: parts[0]! };
}

/** Tables after FROM / JOIN in a query, minus CTE names and subqueries. */
function sources(query: string): ObjectRef[] {
  const ctes = new Set([...query.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s+AS\s*\(/gi)].map((m) => m[1]!.toLowerCase()));
  const out: ObjectRef[] = [];
  for (const m of query.matchAll(new RegExp(`\\b(?:FROM|JOIN)\\s+${NAME}`, 'gi'))) {
    const r = ref(m[1]!, 'table');
    if (!r.schema && ctes.has(r.name.toLowerCase())) continue;
    if (!out.some((o) => o.name === r.name && o.schema === r.schema)) out.push(r);
  }
  return out;
}

/** Text with string literals blanked, so keywords inside strings are not matched. */
function code(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.|'')*'/g, (s) => "'" + ' '.repeat(Math.max(0, s.length - 2)) + "'");
}

export function clickhouseEffects(text: string): { kind: string; effects: Effect[] } {
  const t = code(text);
  const ine = /\bIF\s+NOT\s+EXISTS\b/i.test(t);
  const ie = /\bIF\s+EXISTS\b/i.test(t);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^CREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    return { kind: 'CREATE DATABASE', effects: [{ action: 'create', object: { kind: 'database', name: unquote(m[1]!) }, ifNotExists: ine }] };
  }
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?MATERIALIZED\\s+VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    const effects: Effect[] = [{ action: 'create', object: ref(m[1]!, 'materialized_view'), ifNotExists: ine }];
    const to = new RegExp(`\\bTO\\s+${NAME}`, 'i').exec(t.slice(m[0].length));
    if (to) effects.push({ action: 'reference', object: ref(to[1]!, 'table'), via: 'mv_target' });
    const as = /\bAS\s+(SELECT|WITH)\b/i.exec(t);
    for (const s of sources(as ? t.slice(as.index) : '')) effects.push({ action: 'reference', object: s, via: 'mv_source' });
    return { kind: 'CREATE MATERIALIZED VIEW', effects };
  }
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    return { kind: 'CREATE VIEW', effects: [{ action: 'create', object: ref(m[1]!, 'view'), ifNotExists: ine }, ...sources(t).map((s) => ({ action: 'reference' as const, object: s, via: 'view_source' as const }))] };
  }
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    const effects: Effect[] = [{ action: 'create', object: ref(m[1]!, 'table'), ifNotExists: ine }];
    const as = new RegExp(`\\bAS\\s+${NAME}\\s*(?:ENGINE|$)`, 'i').exec(t.slice(m[0].length));
    if (as) effects.push({ action: 'reference', object: ref(as[1]!, 'table'), via: 'data' });
    return { kind: 'CREATE TABLE', effects };
  }
  if ((m = /^CREATE\s+(?:OR\s+REPLACE\s+)?DICTIONARY\s+(?:IF\s+NOT\s+EXISTS\s+)?(\S+)/i.exec(t))) {
    return { kind: 'CREATE DICTIONARY', effects: [{ action: 'create', object: ref(m[1]!, 'table'), ifNotExists: ine }] };
  }
  if ((m = new RegExp(`^DROP\\s+(DATABASE|TABLE|VIEW|DICTIONARY)\\s+(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    const kind: ObjectKind = m[1]!.toUpperCase() === 'DATABASE' ? 'database' : m[1]!.toUpperCase() === 'VIEW' ? 'view' : 'table';
    return { kind: `DROP ${m[1]!.toUpperCase()}`, effects: [{ action: 'drop', object: kind === 'database' ? { kind, name: unquote(m[2]!) } : ref(m[2]!, kind), ifExists: ie }] };
  }
  if ((m = /^RENAME\s+TABLE\s+([\s\S]+)$/i.exec(t))) {
    const effects: Effect[] = [];
    for (const pair of m[1]!.split(',')) {
      const p = new RegExp(`^\\s*${NAME}\\s+TO\\s+${NAME}`, 'i').exec(pair);
      if (p) effects.push({ action: 'rename', object: ref(p[1]!, 'table'), renameTo: ref(p[2]!, 'table').name });
    }
    return { kind: 'RENAME TABLE', effects };
  }
  if ((m = new RegExp(`^EXCHANGE\\s+TABLES\\s+${NAME}\\s+AND\\s+${NAME}`, 'i').exec(t))) {
    return { kind: 'EXCHANGE TABLES', effects: [{ action: 'alter', object: ref(m[1]!, 'table') }, { action: 'alter', object: ref(m[2]!, 'table') }] };
  }
  if ((m = new RegExp(`^(ALTER|OPTIMIZE)\\s+TABLE\\s+${NAME}`, 'i').exec(t))) {
    return { kind: `${m[1]!.toUpperCase()} TABLE`, effects: [{ action: 'alter', object: ref(m[2]!, 'table') }] };
  }
  if ((m = new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?(?:IF\\s+EXISTS\\s+)?${NAME}`, 'i').exec(t))) {
    return { kind: 'TRUNCATE', effects: [{ action: 'write', object: ref(m[1]!, 'table') }] };
  }
  if ((m = new RegExp(`^INSERT\\s+INTO\\s+(?:TABLE\\s+)?${NAME}`, 'i').exec(t))) {
    return { kind: 'INSERT', effects: [{ action: 'write', object: ref(m[1]!, 'table') }, ...sources(t.slice(m[0].length)).map((s) => ({ action: 'reference' as const, object: s, via: 'data' as const }))] };
  }
  if (/^(SELECT|WITH|SET|USE|SYSTEM|GRANT|REVOKE)\b/i.test(t)) return { kind: t.split(/\s+/)[0]!.toUpperCase(), effects: [] };
  return { kind: 'UNKNOWN', effects: [] };
}

export function analyzeClickHouse(sql: string, file: string): { statements: ParsedStatement[]; diagnostics: Diagnostic[] } {
  return analyzeSplit(sql, file, {
    engine: 'clickhouse',
    lineComments: ['--', '#!', '# '],
    describe: (text, index) => {
      const { kind, effects } = clickhouseEffects(text);
      return {
        kind,
        effects,
        transactional: false,
        nonTransactionalReason: 'clickhouse has no transactional DDL',
        ...(kind === 'UNKNOWN'
          ? { warning: { code: 'sql.unrecognized', message: `sql: statement ${index + 1} of "${file}" is not a statement topoplan understands; it runs but its effects are unknown`, hint: 'check the statement; the plan cannot order it by what it touches' } }
          : {}),
      };
    },
  });
}

/** True when text the PostgreSQL parser rejected reads as ClickHouse DDL; returns the telling construct. */
export function looksLikeClickHouse(text: string): string | undefined {
  const m =
    /ENGINE\s*=\s*(?:Replicated)?(?:Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite)?MergeTree\b|ENGINE\s*=\s*(?:Log|TinyLog|StripeLog|Memory|Distributed|Kafka|Null|Buffer)\b/i.exec(text) ??
    /\bLowCardinality\s*\(|\bNullable\s*\(|\bDateTime64\b|\bArray\s*\(\s*String\s*\)|PARTITION\s+BY\s+toYYYYMM|MATERIALIZED\s+VIEW\s+\S+\s+TO\s/i.exec(text);
  return m ? m[0].replace(/\s+/g, ' ') : undefined;
}
