/**
 * After a copy, the target's sequences of the copied table (serial and
 * identity columns) must hand out ids past the copied rows: COPY does not
 * advance them, and B's seed inserts left them at the seed's last id. Each is
 * set to the higher of the source sequence's position and the column's
 * maximum, inside the copy's transaction.
 *
 * @example
 * await syncSequences(source, target, 'categories'); // [{ column: 'id', value: 43 }]
 */
import type pg from 'pg';
import { quoteIdent } from './copy-table.js';

const owned = `SELECT a.attname AS col, pg_get_serial_sequence($1, a.attname) AS seq FROM pg_attribute a
  WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence($1, a.attname) IS NOT NULL
  ORDER BY a.attnum`;

/** Sets each sequence the target's `table` owns; returns the values set. */
export async function syncSequences(source: pg.ClientBase, target: pg.ClientBase, table: string): Promise<{ column: string; value: number }[]> {
  const t = quoteIdent(table);
  const [src, dst] = await Promise.all([source.query<{ col: string; seq: string }>(owned, [t]), target.query<{ col: string; seq: string }>(owned, [t])]);
  const out: { column: string; value: number }[] = [];
  for (const { col, seq } of dst.rows) {
    const from = src.rows.find((s) => s.col === col);
    let used = 0n;
    if (from) {
      const s = (await source.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${from.seq}`)).rows[0]!;
      used = BigInt(s.last_value) - (s.is_called ? 0n : 1n);
    }
    const max = (await target.query<{ m: string | null }>(`SELECT max(${quoteIdent(col)})::bigint AS m FROM ${t}`)).rows[0]!.m;
    const value = max !== null && BigInt(max) > used ? BigInt(max) : used;
    if (value < 1n) continue;
    await target.query('SELECT setval($1::regclass, $2::bigint, true)', [seq, value.toString()]);
    out.push({ column: col, value: Number(value) });
  }
  return out;
}
