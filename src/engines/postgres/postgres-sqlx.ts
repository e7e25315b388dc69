/**
 * The `_sqlx_migrations` row a service using sqlx expects, so `sqlx migrate run`
 * at service start sees the file as applied and does not run it again.
 *
 * @example
 * await client.query(`${sqlxRowSql(step.sqlx, elapsedNs)};\nCOMMIT`)
 */
import type pg from 'pg';
import type { Step } from '../../plan/model.js';
import type { SqlxRow } from '../engine.js';
import { quoteLiteral } from './quote-literal.js';
import { quoteIdent, splitQualified } from './postgres-url.js';

/** The table exactly as sqlx (PostgreSQL driver) creates it; only its name and schema may differ. */
const createSqlxTable = (table: string) => `CREATE TABLE IF NOT EXISTS ${table} (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
)`;

/**
 * The statements that create `_sqlx_migrations` if missing and record the file,
 * values as literals so they can travel in one query with the step's others;
 * replacing a row of the same version: the step that completes a file makes the
 * whole file applied, so its row must hold the file's checksum now (planning has
 * made sure no other service's file shares the version in this table).
 */
export function sqlxRowSql(sqlx: NonNullable<Step['sqlx']>, executionNs: bigint): string {
  const table = sqlxTableSql(sqlx.table);
  const schema = sqlx.table ? splitQualified(sqlx.table) : [];
  // sqlx 0.9 creates a configured schema itself (create-schemas); topoplan does so for every schema it is told of.
  return `${schema.length === 2 ? `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema[0]!)};\n` : ''}${createSqlxTable(table)};
INSERT INTO ${table} (version, description, success, checksum, execution_time)
     VALUES (${quoteLiteral(sqlx.version)}::bigint, ${quoteLiteral(sqlx.description)}, true, decode(${quoteLiteral(sqlx.checksumSha384)}, 'hex'), ${(executionNs > 0n ? executionNs : 1n).toString()}::bigint)
     ON CONFLICT (version) DO UPDATE SET description = EXCLUDED.description, checksum = EXCLUDED.checksum, success = true`;
}

/** Reads a ledger table's rows by version; empty when the table is not there. */
export async function readSqlxRows(client: pg.ClientBase, table: string | undefined): Promise<Map<string, SqlxRow>> {
  const name = sqlxTableSql(table);
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]);
  if (!exists.rows[0]?.t) return new Map();
  const r = await client.query<{ version: string; description: string; success: boolean; checksum: string }>(
    `SELECT version::text AS version, description, success, encode(checksum, 'hex') AS checksum FROM ${name}`,
  );
  return new Map(r.rows.map((x) => [x.version, x]));
}

/** The quoted name of a step's sqlx ledger table: `_sqlx_migrations` unless the service declares another. */
export function sqlxTableSql(table: string | undefined): string {
  return table ? splitQualified(table).map(quoteIdent).join('.') : '_sqlx_migrations';
}
