/**
 * The parts of a ClickHouse table definition that decide what the table is:
 * columns and their types, the engine with its arguments, and the `PARTITION
 * BY`, `ORDER BY`, `PRIMARY KEY`, `SAMPLE BY`, `TTL` and `SETTINGS` clauses,
 * each as normalised text. Used to tell two definitions of one table apart
 * (diff, duplicate creates) and to know whether a table holds data.
 *
 * @example
 * tableDefinition(sql, tokens).engine // 'ReplicatedMergeTree'
 */
import type { Token } from './clickhouse-tokens.js';
import { splitArgs, TokenCursor } from './token-cursor.js';

export interface ClickHouseColumn {
  readonly name: string;
  readonly type: string;
}

export interface ClickHouseDefinition {
  readonly columns: readonly ClickHouseColumn[];
  /** Engine name, e.g. `MergeTree`, `ReplicatedReplacingMergeTree`, `Distributed`. */
  readonly engine?: string;
  /** The engine's arguments as written (normalised white space), without parentheses. */
  readonly engineArgs?: string;
  readonly clauses: Readonly<Record<string, string>>;
}

const CLAUSES = ['PARTITION BY', 'ORDER BY', 'PRIMARY KEY', 'SAMPLE BY', 'TTL', 'SETTINGS', 'COMMENT'];
const COLUMN_END = new Set(['DEFAULT', 'MATERIALIZED', 'ALIAS', 'EPHEMERAL', 'CODEC', 'TTL', 'COMMENT', 'NULL', 'NOT', 'PRIMARY', 'SETTINGS', 'STATISTICS']);
const NOT_COLUMNS = new Set(['INDEX', 'PROJECTION', 'CONSTRAINT', 'PRIMARY']);

/** Reads a definition from the tokens that follow the table's name (and `ON CLUSTER`). */
export function tableDefinition(sql: string, tokens: readonly Token[]): ClickHouseDefinition {
  const c = new TokenCursor(tokens);
  const columns: ClickHouseColumn[] = [];
  const body = c.group();
  for (const col of body ? splitArgs(body) : []) {
    const head = col[0]!;
    if ((head.type === 'word' && NOT_COLUMNS.has(head.upper)) || col.length < 2) continue;
    let end = 1;
    while (end < col.length && !(col[end]!.type === 'word' && COLUMN_END.has(col[end]!.upper))) end++;
    if (end === 1) continue;
    columns.push({ name: head.value, type: text(sql, col[1]!.start, col[end - 1]!.end) });
  }
  let engine: string | undefined;
  let engineArgs: string | undefined;
  const clauses: Record<string, string> = {};
  if (c.seek('ENGINE')) {
    c.accept('ENGINE');
    c.accept('=');
    const name = c.next();
    if (name) engine = name.value;
    const args = c.group();
    if (args) engineArgs = args.length > 0 ? text(sql, args[0]!.start, args[args.length - 1]!.end) : '';
  }
  for (;;) {
    const clause = CLAUSES.find((k) => c.is(...k.split(' ')));
    if (!clause) {
      if (c.done || c.is('AS') || c.is('EMPTY') || c.is('POPULATE')) break;
      c.group() ?? c.next();
      continue;
    }
    c.accept(...clause.split(' '));
    const from = c.pos;
    while (!c.done && !CLAUSES.some((k) => c.is(...k.split(' '))) && !c.is('AS')) c.group() ?? c.next();
    if (c.pos > from) clauses[clause] = text(sql, tokens[from]!.start, tokens[c.pos - 1]!.end);
  }
  return { columns, ...(engine ? { engine } : {}), ...(engineArgs !== undefined ? { engineArgs } : {}), clauses };
}

/** Engines whose tables keep no rows of their own: dropping one destroys no data. */
const NO_DATA = /^(Distributed|Merge|Buffer|Null|View|Dictionary|URL|File|S3|S3Queue|Kafka|RabbitMQ|NATS|MySQL|PostgreSQL|MongoDB|Redis|JDBC|ODBC|HDFS|Hive|GenerateRandom|Executable|ExecutablePool)$/;

/** True when a table with this engine keeps rows of its own (MergeTree families, Log, Memory, Set, Join...). */
export function engineHoldsData(engine: string | undefined): boolean {
  return engine === undefined || !NO_DATA.test(engine);
}

function text(sql: string, start: number, end: number): string {
  return sql.slice(start, end).replace(/\s+/g, ' ').trim();
}
