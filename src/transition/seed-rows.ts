/**
 * Rows that B's own migrations put in a moving table during expand (seed
 * rows) are replaced by the copy. Emptying a seeded parent fails while rows
 * of other tables still point at it (`ON DELETE RESTRICT`), so the copy of a
 * table first empties every table that references it, children first, in the
 * same transaction, as long as those tables hold only seed rows that a later
 * copy replaces too.
 *
 * @example
 * const r = await seedRowsToReplace(target, 'categories', { present: 3, moving: (t) => t === 'category_aliases' });
 * r.clear // ['category_aliases', 'categories'], or r.error with a hint
 */
import type pg from 'pg';
import { quoteIdent } from './copy-table.js';
import { readTransitionRow } from './transition-ledger.js';

export interface SeedRows {
  /** Tables to empty in this order (children first, the copied table last), with their row counts. */
  readonly clear: readonly { readonly table: string; readonly rows: number }[];
  readonly error?: string;
}

/** Tables that reference `table` through foreign keys, directly or through each other, children first. */
export async function referencingTables(c: pg.ClientBase, table: string): Promise<string[]> {
  const r = await c.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
       JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
     WHERE k.contype = 'f' AND ch.relnamespace = current_schema()::regnamespace AND k.conrelid <> k.confrelid
     ORDER BY ch.relname, pa.relname`,
  );
  const children = new Map<string, string[]>();
  for (const e of r.rows) children.set(e.parent, [...(children.get(e.parent) ?? []), e.child]);
  const order: string[] = [];
  const seen = new Set([table]);
  const visit = (t: string) => {
    for (const ch of children.get(t) ?? []) {
      if (seen.has(ch)) continue;
      seen.add(ch);
      visit(ch);
      order.push(ch);
    }
  };
  visit(table);
  return order;
}

const countRows = async (c: pg.ClientBase, table: string) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`)).rows[0]!.n);

/**
 * What the copy of `table` must empty first. `present` is the seed row count of `table`
 * itself; `moving(t)` tells whether `t` is a moving table copied into the same database.
 */
export async function seedRowsToReplace(target: pg.ClientBase, table: string, o: { present: number; database: string; moving: (t: string) => boolean }): Promise<SeedRows> {
  if (o.present === 0) return { clear: [] };
  const clear: { table: string; rows: number }[] = [];
  for (const d of await referencingTables(target, table)) {
    const rows = await countRows(target, d);
    if (rows === 0) continue;
    const row = o.moving(d) ? await readTransitionRow(target, d) : undefined;
    if (row?.status !== 'expanded' || row.rows !== rows) {
      const why = o.moving(d) ? `this transition did not put them there` : `"${d}" is not a table this transition copies`;
      return {
        clear: [],
        error: `transition: the copy of "${table}" replaces the ${o.present} rows B's migrations seeded into it in ${o.database}, but "${d}" there holds ${rows} rows that may reference them and ${why}; empty "${d}" (or seed it after the transition), then re-run`,
      };
    }
    clear.push({ table: d, rows });
  }
  return { clear: [...clear, { table, rows: o.present }] };
}
