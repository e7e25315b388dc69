/**
 * The definition of the object a ClickHouse CREATE statement makes, as parts
 * that can be compared one by one: `ON CLUSTER`, the engine with its
 * arguments, the table clauses (`ORDER BY`, `PARTITION BY`, `TTL`, ...), each
 * column's type, and a materialized view's `TO` target.
 *
 * @example
 * definitionParts("CREATE TABLE t ON CLUSTER obs (a UInt8) ENGINE = MergeTree ORDER BY a")
 * // { 'ON CLUSTER': 'obs', engine: 'MergeTree', 'ORDER BY': 'a', 'column a': 'UInt8' }
 */
import { tokenizeClickHouse } from './clickhouse-tokens.js';
import { tableDefinition } from './table-definition.js';
import { TokenCursor } from './token-cursor.js';

/** Parts by label; a part the statement does not have is absent. */
export function definitionParts(sql: string): Record<string, string> {
  const c = new TokenCursor(tokenizeClickHouse(sql));
  if (!c.accept('CREATE') && !c.accept('ATTACH')) return {};
  c.accept('OR', 'REPLACE');
  c.accept('TEMPORARY');
  const what = c.acceptAny('TABLE', 'MATERIALIZED VIEW', 'VIEW', 'DICTIONARY', 'DATABASE');
  if (!what) return {};
  c.accept('IF', 'NOT', 'EXISTS');
  if (!c.name()) return {};
  if (c.accept('UUID')) c.next();
  const out: Record<string, string> = {};
  const cluster = c.onCluster();
  if (cluster !== undefined) out['ON CLUSTER'] = cluster;
  if (what === 'MATERIALIZED VIEW' && c.accept('TO')) {
    const to = c.name();
    if (to) out.TO = to.schema ? `${to.schema}.${to.name}` : to.name;
  }
  const def = tableDefinition(sql, c.rest());
  if (def.engine) out.engine = def.engineArgs !== undefined ? `${def.engine}(${def.engineArgs})` : def.engine;
  for (const [clause, text] of Object.entries(def.clauses)) out[clause] = text;
  for (const col of def.columns) out[`column ${col.name}`] = col.type;
  return out;
}
