/**
 * Streams one table from a source database into a target database with
 * `COPY ... TO STDOUT` piped into `COPY ... FROM STDIN` (binary format, or
 * text when the column types differ), never holding the table in memory. Runs in one transaction on the target: the
 * tables in `clear` are emptied first (seed rows of the target's own
 * migrations, children before parents), its user triggers are held off (derived rows
 * such as counters are copied, not recomputed), and `beforeCommit` runs last,
 * so an interruption anywhere leaves the target as it was.
 *
 * @example
 * const rows = await copyTable({ source, target, table: 'shares', columns: ['id', 'post_id'] });
 */
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface CopyTableOptions {
  readonly source: pg.ClientBase;
  readonly target: pg.ClientBase;
  readonly table: string;
  readonly columns: readonly string[];
  /** `text` when column types differ between the sides (values are converted through their text form); default binary. */
  readonly format?: 'binary' | 'text';
  /** Tables to empty first, in this order (rows the target's own migrations seeded, referencing tables first). */
  readonly clear?: readonly string[];
  /** Runs inside the target transaction before COMMIT (e.g. the ledger update). */
  readonly beforeCommit?: (target: pg.ClientBase, rows: number) => Promise<void>;
}

export async function copyTable(o: CopyTableOptions): Promise<number> {
  await o.target.query('BEGIN');
  try {
    // DELETE, not TRUNCATE ... CASCADE: a table the caller did not list that still references these rows must fail loudly.
    for (const c of o.clear ?? []) await o.target.query(`DELETE FROM ${quoteIdent(c)}`);
    const rows = await copyRows(o);
    await o.beforeCommit?.(o.target, rows);
    await o.target.query('COMMIT');
    return rows;
  } catch (e) {
    await o.target.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * The rows of one table piped from source to target inside transactions the caller holds open on both (a live
 * stream copies under the snapshot its replication slot exported, and commits the copy with its subscription).
 */
export async function copyRows(o: Pick<CopyTableOptions, 'source' | 'target' | 'table' | 'columns' | 'format'>): Promise<number> {
  const t = quoteIdent(o.table);
  const cols = o.columns.map(quoteIdent).join(', ');
  await o.target.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
  const format = o.format ?? 'binary';
  const input = o.target.query(copyFrom(`COPY ${t} (${cols}) FROM STDIN (FORMAT ${format})`));
  const output = o.source.query(copyTo(`COPY (SELECT ${cols} FROM ${t}) TO STDOUT (FORMAT ${format})`));
  await pipeline(output, input);
  await o.target.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
  return Number(input.rowCount ?? 0);
}

/** Row count and a checksum of the primary key (all columns when there is none), equal on both sides after a faithful copy. */
export async function tableChecksum(c: pg.ClientBase, table: string): Promise<{ rows: number; checksum: string }> {
  const pk = await c.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [quoteIdent(table)],
  );
  const key = pk.rows.length ? `(${pk.rows.map((r) => quoteIdent(r.attname)).join(', ')})` : `(${quoteIdent(table)}.*)`;
  const r = await c.query<{ n: string; sum: string | null }>(`SELECT count(*) AS n, md5(string_agg(k, ',' ORDER BY k)) AS sum FROM (SELECT ${key}::text AS k FROM ${quoteIdent(table)}) s`);
  return { rows: Number(r.rows[0]!.n), checksum: r.rows[0]!.sum ?? 'empty' };
}
