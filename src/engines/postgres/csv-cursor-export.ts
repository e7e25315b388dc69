/**
 * Streams a table to a CSV file through a server-side cursor, in batches, so
 * a large table never sits in memory. Values are PostgreSQL's own text output
 * (no JavaScript conversion), NULL is an empty unquoted field and every other
 * value is quoted: the file loads back with `COPY t FROM file (FORMAT csv, HEADER)`.
 *
 * @example
 * const rows = await exportTableCsv(client, 'public.shares', '/backups/nova.public.shares.csv')
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type pg from 'pg';
import { quoteQualified } from './postgres-url.js';

const BATCH = 10_000;
/** Returns every value as the server sent it: backups must not round-trip through JS types. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** Writes `table` to `file` as CSV with a header; returns the number of rows written. */
export async function exportTableCsv(client: pg.ClientBase, table: string, file: string): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let rows = 0;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`DECLARE topoplan_backup NO SCROLL CURSOR FOR SELECT * FROM ${quoteQualified(table)}`);
    let header = false;
    for (;;) {
      const batch = await client.query({ text: `FETCH ${BATCH} FROM topoplan_backup`, rowMode: 'array', types: RAW_TEXT });
      if (!header) {
        await write(out, `${batch.fields.map((f) => csvField(f.name)).join(',')}\n`);
        header = true;
      }
      if (batch.rows.length === 0) break;
      const lines = (batch.rows as (string | null)[][]).map((row) => row.map(csvValue).join(',')).join('\n');
      await write(out, `${lines}\n`);
      rows += batch.rows.length;
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    out.destroy();
    throw e;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

function csvValue(value: string | null): string {
  return value === null ? '' : csvField(value);
}

function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

async function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
