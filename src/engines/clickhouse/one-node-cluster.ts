/**
 * Running a cluster's DDL on one embedded node. chdb has no distributed DDL
 * queue and no Keeper, so a statement is rewritten to what the one node would
 * do as its cluster's only member: `ON CLUSTER name` is dropped (the node runs
 * it itself), a `Replicated*MergeTree('/keeper/path', '{replica}', ...)` table
 * becomes the same family without replication, a `Replicated` database an
 * `Atomic` one. Each rewrite is reported for its statement: replication and
 * Keeper paths are not proven on one node.
 *
 * @example
 * onOneNode("CREATE TABLE t ON CLUSTER obs (a UInt8) ENGINE = ReplicatedMergeTree('/t', '{replica}') ORDER BY a", ['obs'])
 * // { sql: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a', notes: ['ON CLUSTER obs ran on the one embedded node', ...] }
 */
import { tokenizeClickHouse, type Token } from '../../sql/clickhouse/clickhouse-tokens.js';
import { splitArgs } from '../../sql/clickhouse/token-cursor.js';

export interface OneNodeStatement {
  readonly sql: string;
  readonly notes: readonly string[];
}

export function onOneNode(sql: string, clusters: readonly string[]): OneNodeStatement {
  // Every rewrite starts at the word CLUSTER or a Replicated engine: a statement without either (most, and every ledger write) is not tokenized.
  if (!/cluster|replicated/i.test(sql)) return { sql, notes: [] };
  const tokens = tokenizeClickHouse(sql);
  const edits: { start: number; end: number; text: string }[] = [];
  const notes: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.upper === 'ON' && t.type === 'word' && tokens[i + 1]?.upper === 'CLUSTER' && tokens[i + 2]) {
      const name = tokens[i + 2]!.value;
      if (clusters.includes(name) || /^\{[a-z_]+\}$/.test(name)) {
        edits.push({ start: t.start, end: tokens[i + 2]!.end, text: '' });
        notes.push(`ON CLUSTER ${name} ran on the one embedded node`);
      }
      i += 2;
    } else if (t.upper === 'ENGINE' && t.type === 'word' && tokens[i + 1]?.value === '=' && tokens[i + 2]?.type === 'word') {
      const engine = tokens[i + 2]!;
      const m = /^Replicated(\w*MergeTree)$/.exec(engine.value);
      if (m) {
        const args = argsAfter(tokens, i + 3);
        const keeper = args ? args.args.slice(0, 2).filter((a) => a.length === 1 && a[0]!.type === 'string') : [];
        const kept = args ? args.args.slice(keeper.length).map((a) => sql.slice(a[0]!.start, a[a.length - 1]!.end)) : [];
        edits.push({ start: engine.start, end: args ? args.end : engine.end, text: kept.length > 0 ? `${m[1]}(${kept.join(', ')})` : m[1]! });
        notes.push(`${engine.value}${keeper.length > 0 ? ` (Keeper path ${keeper[0]![0]!.value})` : ''} ran as ${m[1]}: replication is not proven on one node`);
      } else if (engine.value === 'Replicated' && tokens.slice(0, i).some((x) => x.upper === 'DATABASE')) {
        const args = argsAfter(tokens, i + 3);
        edits.push({ start: engine.start, end: args ? args.end : engine.end, text: 'Atomic' });
        notes.push('database engine Replicated ran as Atomic: replication is not proven on one node');
      }
    }
  }
  let out = sql;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = `${out.slice(0, e.start).trimEnd()}${e.text ? ` ${e.text}` : ''}${out.slice(e.end)}`;
  return { sql: out, notes };
}

/** The arguments of `(` at `i`, split at top-level commas, and the offset after `)`. */
function argsAfter(tokens: readonly Token[], i: number): { args: Token[][]; end: number } | undefined {
  if (tokens[i]?.value !== '(' || tokens[i]?.type !== 'punct') return undefined;
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.type !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return { args: splitArgs(tokens.slice(i + 1, j)), end: t.end };
  }
  return undefined;
}
