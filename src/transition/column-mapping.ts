/**
 * How the copy of a moving table maps its columns when the table's shape in
 * A's database differs from the one B's migrations created: columns on both
 * sides are copied (converted through their text form when the types differ),
 * columns only B has are filled by their default, generated columns are
 * computed by the target. A column only A has, or one only B has that is NOT
 * NULL without a default, is a problem reported before anything is copied.
 *
 * @example
 * const m = await columnMapping(source, target, 'orders', { from: 'main', to: 'shop' });
 * m.columns // [{ name: 'total', from: 'numeric(12,2)', to: 'numeric(14,2)', how: 'convert' }, ...]
 */
import type pg from 'pg';
import { quoteIdent } from './copy-table.js';

export type ColumnHow = 'copy' | 'convert' | 'default' | 'generated' | 'not-copied';

export interface MappedColumn {
  readonly name: string;
  /** Type in A's database; absent when only B has the column. */
  readonly from?: string;
  /** Type in B's database; absent when only A has the column. */
  readonly to?: string;
  readonly how: ColumnHow;
}

export interface ColumnMapping {
  readonly table: string;
  readonly columns: readonly MappedColumn[];
  /** The columns the copy reads and writes, in the target's order. */
  readonly copied: readonly string[];
  /** Binary COPY when every copied column has the same type on both sides, text otherwise. */
  readonly format: 'binary' | 'text';
  /** True when both sides have the same columns with the same types. */
  readonly same: boolean;
  readonly problems: readonly string[];
}

interface Col {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly filled: boolean;
  readonly generated: boolean;
}

async function columnsOf(c: pg.ClientBase, table: string): Promise<Col[]> {
  const r = await c.query<{ name: string; type: string; notnull: boolean; filled: boolean; generated: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            (a.atthasdef OR a.attidentity <> '') AS filled, a.attgenerated <> '' AS generated
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [quoteIdent(table)],
  );
  return r.rows.map((x) => ({ name: x.name, type: x.type, notNull: x.notnull, filled: x.filled, generated: x.generated }));
}

/** Compares `table` in the source (A) and target (B) databases; `from`/`to` name them in problems. */
export async function columnMapping(source: pg.ClientBase, target: pg.ClientBase, table: string, where: { from: string; to: string }): Promise<ColumnMapping> {
  const [a, b] = await Promise.all([columnsOf(source, table), columnsOf(target, table)]);
  const inA = new Map(a.map((c) => [c.name, c]));
  const inB = new Set(b.map((c) => c.name));
  const columns: MappedColumn[] = [];
  const problems: string[] = [];
  for (const t of b) {
    const s = inA.get(t.name);
    if (t.generated) columns.push({ name: t.name, ...(s ? { from: s.type } : {}), to: t.type, how: 'generated' });
    else if (!s) {
      columns.push({ name: t.name, to: t.type, how: 'default' });
      if (t.notNull && !t.filled) problems.push(`transition: column "${table}"."${t.name}" (${t.type}) in ${where.to} is NOT NULL without a default and ${where.from} has no such column, so the copy cannot fill it; give it a default in B's migration, or add the column in A first`);
    } else columns.push({ name: t.name, from: s.type, to: t.type, how: s.type === t.type ? 'copy' : 'convert' });
  }
  for (const s of a) {
    if (inB.has(s.name)) continue;
    columns.push({ name: s.name, from: s.type, how: 'not-copied' });
    problems.push(`transition: column "${table}"."${s.name}" (${s.type}) in ${where.from} has no counterpart in ${where.to}, so its values would be lost; add it to B's migration of "${table}" (or a rename), or drop it in A before the transition`);
  }
  const copied = columns.filter((c) => c.how === 'copy' || c.how === 'convert').map((c) => c.name);
  const same = a.length === b.length && columns.every((c) => c.how === 'copy');
  return { table, columns, copied, format: columns.some((c) => c.how === 'convert') ? 'text' : 'binary', same, problems };
}
