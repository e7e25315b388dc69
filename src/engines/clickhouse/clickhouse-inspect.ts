/**
 * Reads what a ClickHouse database holds: tables, views (plain and
 * materialized), data-skipping indexes and SQL user-defined functions, with
 * the server's normalised CREATE statement as each definition. The ledger and
 * the hidden `.inner` tables of materialized views are left out.
 * User-defined functions are server-wide in ClickHouse, so every store on a
 * server lists the same ones.
 *
 * @example
 * const snap = await inspectClickHouse(conn, 'analytics')
 * snap.tables // ['analytics.events']
 */
import type { SchemaSnapshot } from '../engine.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chString } from './clickhouse-sql.js';
import { emptySnapshot } from '../empty-snapshot.js';

const VIEW_ENGINES = ['View', 'MaterializedView', 'LiveView', 'WindowView'];

export async function inspectClickHouse(conn: ClickHouseConnection, database: string): Promise<SchemaSnapshot> {
  const db = chString(database);
  const exists = await conn.rows<{ n: string | number }>(`SELECT count() AS n FROM system.databases WHERE name = ${db}`);
  if (Number(exists[0]?.n ?? 0) === 0) return emptySnapshot();
  const objects = await conn.rows<{ name: string; engine: string; def: string }>(
    `SELECT name, engine, create_table_query AS def FROM system.tables
      WHERE database = ${db} AND name NOT LIKE '.inner%' AND name NOT IN ('topoplan_ledger') ORDER BY name`,
  );
  const indexes = await conn.rows<{ name: string; def: string }>(
    `SELECT table || '.' || name AS name, type_full || ' ON ' || table || ' (' || expr || ') GRANULARITY ' || toString(granularity) AS def
       FROM system.data_skipping_indices WHERE database = ${db} ORDER BY name`,
  );
  const functions = await conn.rows<{ name: string; def: string }>(
    `SELECT name, create_query AS def FROM system.functions WHERE origin = 'SQLUserDefined' ORDER BY name`,
  );
  const definitions: Record<string, string> = {};
  const tables: string[] = [];
  const views: string[] = [];
  for (const o of objects) {
    const name = `${database}.${o.name}`;
    const view = VIEW_ENGINES.includes(o.engine);
    (view ? views : tables).push(name);
    definitions[`${view ? 'view' : 'table'} ${name}`] = o.def;
  }
  for (const i of indexes) definitions[`index ${database}.${i.name}`] = i.def;
  for (const f of functions) definitions[`function ${f.name}`] = f.def;
  return {
    tables,
    views,
    indexes: indexes.map((i) => `${database}.${i.name}`),
    triggers: [],
    functions: functions.map((f) => f.name),
    extensions: [],
    types: [],
    definitions,
  };
}
