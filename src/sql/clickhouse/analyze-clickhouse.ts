/**
 * Reads a ClickHouse migration file: statements split by hand (a server's
 * HTTP interface takes one per request; heredocs and nesting comments are
 * respected) and each statement read from its tokens (see read-statement.ts).
 * A `SET` governs the statements after it in its file: each of them carries
 * the settings in force, so they can be sent with every request, as a server
 * over HTTP keeps no session between requests.
 *
 * Why hand-written: no ClickHouse parser on npm covers its DDL (engines,
 * `ON CLUSTER`, dictionaries, projections, `TO` targets) on Node 20; the
 * real one ships in chdb, which is optional and too heavy to plan with.
 * Golden files per statement kind (test/fixtures/sql/clickhouse) pin it down.
 *
 * @example
 * analyzeClickHouse('CREATE TABLE obs.events (id UInt64) ENGINE = MergeTree ORDER BY id', 'f.sql')
 * // effects: [{ action: 'create', object: { kind: 'table', name: 'events', schema: 'obs' }, tableEngine: 'MergeTree', holdsData: true }]
 */
import type { Diagnostic } from '../../errors.js';
import type { ParsedStatement } from '../effects.js';
import { analyzeSplit } from '../split-analysis.js';
import { clickhouseDestroys } from './clickhouse-destroys.js';
import { readStatement } from './read-statement.js';

export function analyzeClickHouse(sql: string, file: string): { statements: ParsedStatement[]; diagnostics: Diagnostic[] } {
  let settings: Record<string, string> | undefined;
  const extra: { onCluster?: string; clusterSlot?: number; settings?: Record<string, string> }[] = [];
  const result = analyzeSplit(sql, file, {
    engine: 'clickhouse',
    lineComments: ['--', '#!', '# '],
    heredocs: true,
    nestedComments: true,
    describe: (text, index) => {
      const s = readStatement(text);
      if (s.settings) settings = { ...settings, ...s.settings };
      extra[index] = {
        ...(s.onCluster !== undefined ? { onCluster: s.onCluster } : {}),
        ...(s.clusterSlot !== undefined ? { clusterSlot: s.clusterSlot } : {}),
        ...(settings ? { settings } : {}),
      };
      return {
        kind: s.kind,
        effects: s.effects,
        destroys: clickhouseDestroys(text),
        transactional: false,
        nonTransactionalReason: 'clickhouse has no transactional DDL',
        ...(s.kind === 'UNKNOWN'
          ? { warning: { code: 'sql.unrecognized', message: `sql: statement ${index + 1} of "${file}" is not a statement topoplan understands; it runs but its effects are unknown`, hint: 'check the statement; the plan cannot order it by what it touches' } }
          : s.kind === 'USE'
            ? { warning: { code: 'sql.use_ignored', message: `sql: statement ${index + 1} of "${file}" is a USE: topoplan runs every statement in its store's database, one request each, so USE changes nothing for the statements after it`, hint: 'qualify the names (db.table) or give the store the database you meant' } }
            : {}),
      };
    },
  });
  return { ...result, statements: result.statements.map((st, i) => (extra[i] && Object.keys(extra[i]!).length > 0 ? { ...st, ...extra[i] } : st)) };
}

/** True when text the PostgreSQL parser rejected reads as ClickHouse DDL; returns the telling construct. */
export function looksLikeClickHouse(text: string): string | undefined {
  const m =
    /ENGINE\s*=\s*(?:Replicated)?(?:Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite)?MergeTree\b|ENGINE\s*=\s*(?:Log|TinyLog|StripeLog|Memory|Distributed|Kafka|Null|Buffer|Dictionary)\b/i.exec(text) ??
    /\bLowCardinality\s*\(|\bNullable\s*\(|\bDateTime64\b|\bArray\s*\(\s*String\s*\)|PARTITION\s+BY\s+toYYYYMM|MATERIALIZED\s+VIEW\s+\S+\s+TO\s|\bON\s+CLUSTER\b|CREATE\s+DICTIONARY\b|\bLAYOUT\s*\(/i.exec(text);
  return m ? m[0].replace(/\s+/g, ' ') : undefined;
}
