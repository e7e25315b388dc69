/**
 * The `_sqlx_migrations` row a service using sqlx expects, so `sqlx migrate run`
 * at service start sees the file as applied and does not run it again.
 *
 * @example
 * await writeSqlxRow(client, step.sqlx, elapsedNs)
 */
import type pg from 'pg';
import type { Step } from '../../plan/model.js';

/** The table exactly as sqlx (0.7/0.8, PostgreSQL driver) creates it. */
const CREATE_SQLX_TABLE = `CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
)`;

/**
 * Creates `_sqlx_migrations` if missing and records the file; an existing row is kept
 * (sqlx itself never rewrites a row, and a mismatch must stay visible to it).
 */
export async function writeSqlxRow(client: pg.ClientBase, sqlx: NonNullable<Step['sqlx']>, executionNs: bigint): Promise<void> {
  await client.query(CREATE_SQLX_TABLE);
  await client.query(
    `INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
     VALUES ($1::bigint, $2, true, decode($3, 'hex'), $4::bigint)
     ON CONFLICT (version) DO NOTHING`,
    [sqlx.version, sqlx.description, sqlx.checksumSha384, (executionNs > 0n ? executionNs : 1n).toString()],
  );
}
