/**
 * Applies `foreignKeys: resolution: drop`: the statement is re-printed
 * without the constraints that would cross stores, and says so in its notes.
 */
import { stripForeignKeys } from '../../sql/postgres/index.js';
import type { FkStrips } from './references.js';

export function applyForeignKeyStrips(strips: FkStrips): void {
  for (const [u, { tables, notes }] of strips) {
    const { sql } = stripForeignKeys(u.sql, (fk) => tables.has(fk.refTable));
    u.notes.push(...notes);
    if (sql.trim() === '') u.skipped = `nothing left once the cross-store foreign keys are removed: ${notes.join('; ')}`;
    else u.sql = sql;
  }
}
