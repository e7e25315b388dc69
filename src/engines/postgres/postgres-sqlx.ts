/**
 * The `_sqlx_migrations` row a service using sqlx expects, so `sqlx migrate run`
 * at service start sees the file as applied and does not run it again.
 *
 * @example
 * await client.query(`${sqlxRowSql(step.sqlx, elapsedNs)};\nCOMMIT`)
 */
import type { Step } from '../../plan/model.js';
import { quoteLiteral } from './quote-literal.js';

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
 * The statements that create `_sqlx_migrations` if missing and record the file,
 * values as literals so they can travel in one query with the step's others;
 * an existing row is kept (sqlx itself never rewrites a row, and a mismatch
 * must stay visible to it).
 */
export function sqlxRowSql(sqlx: NonNullable<Step['sqlx']>, executionNs: bigint): string {
  return `${CREATE_SQLX_TABLE};
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
     VALUES (${quoteLiteral(sqlx.version)}::bigint, ${quoteLiteral(sqlx.description)}, true, decode(${quoteLiteral(sqlx.checksumSha384)}, 'hex'), ${(executionNs > 0n ? executionNs : 1n).toString()}::bigint)
     ON CONFLICT (version) DO NOTHING`;
}
