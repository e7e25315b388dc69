/**
 * Brings a ClickHouse backup (see backup-clickhouse.ts) back: per copy, the
 * table is made again from its CREATE statement when it is missing, columns
 * it lacks are added back, and the copied rows go back with INSERT SELECT.
 * Rows already there are never mixed with the copy's: a table that holds rows
 * (for a copy of some rows: rows matching the copy's condition) is refused
 * unless `force`, which empties the table (or deletes the matching rows)
 * first. ClickHouse has no transactions: objects are restored one by one,
 * every check done before anything is written.
 *
 * @example
 * const restored = await restoreClickHouse(conn, found, { store: 'events' });
 * // [{ table: 'obs.events', kind: 'copy', rows: 1200, created: true, addedColumns: [] }]
 */
import { TopoplanError } from '../../errors.js';
import type { BackedUpObject, FoundBackup, RestoredObject } from '../backup-manifest.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chIdent, chString } from './clickhouse-sql.js';
import { splitTable } from './backup-clickhouse.js';

export async function restoreClickHouse(conn: ClickHouseConnection, backup: FoundBackup, options: { store: string; force?: boolean }): Promise<RestoredObject[]> {
  const plans: { o: BackedUpObject; live: Map<string, string> | undefined; types: Map<string, string>; clear: boolean }[] = [];
  for (const o of backup.manifest.objects) {
    if (o.kind !== 'copy' || !o.copy) throw refusal(`object "${o.table}" of ${backup.dir} is not a ClickHouse copy`, 'restore it into a store of the engine that took it');
    const types = await columnsOf(conn, o.copy);
    if (!types) throw refusal(`the copy "${o.copy}" of "${o.table}" is not on this server`, 'restore into the store (and server) the backup was taken from, or pass --store');
    const live = await columnsOf(conn, o.table);
    let clear = false;
    if (live) {
      const holds = Number((await conn.rows<{ n: string | number }>(`SELECT count() AS n FROM ${quoted(o.table)}${o.where && o.columns.every((c) => live.has(c)) ? ` WHERE ${o.where}` : ''}`))[0]?.n ?? 0) > 0;
      if (holds && !options.force) throw refusal(`table "${o.table}" of store "${options.store}" holds ${o.where ? `rows where ${o.where}` : 'rows'}`, `pass --force to replace ${o.where ? 'them' : 'its rows'} with the copy's`);
      clear = holds;
    }
    plans.push({ o, live, types, clear });
  }
  const done: RestoredObject[] = [];
  for (const { o, live, types, clear } of plans) {
    let added: string[] = [];
    if (!live) {
      for (const sql of o.create) await conn.command(sql);
    } else {
      added = o.columns.filter((c) => !live.has(c));
      if (added.length > 0) await conn.command(`ALTER TABLE ${quoted(o.table)} ${added.map((c) => `ADD COLUMN ${chIdent(c)} ${types.get(c)}`).join(', ')}`);
      if (clear) await conn.command(o.where ? `DELETE FROM ${quoted(o.table)} WHERE ${o.where}` : `TRUNCATE TABLE ${quoted(o.table)}`);
    }
    const cols = o.columns.map(chIdent).join(', ');
    await conn.command(`INSERT INTO ${quoted(o.table)} (${cols}) SELECT ${cols} FROM ${quoted(o.copy!)}`);
    done.push({ table: o.table, kind: 'copy', rows: o.rows, created: !live, addedColumns: added });
  }
  return done;
}

/** Column name → type of a table, or undefined when it does not exist. */
async function columnsOf(conn: ClickHouseConnection, qualified: string): Promise<Map<string, string> | undefined> {
  const [db, name] = splitTable(qualified);
  const rows = await conn.rows<{ name: string; type: string }>(`SELECT name, type FROM system.columns WHERE database = ${chString(db)} AND table = ${chString(name)} ORDER BY position`);
  return rows.length > 0 ? new Map(rows.map((r) => [r.name, r.type])) : undefined;
}

function quoted(qualified: string): string {
  const [db, name] = splitTable(qualified);
  return `${chIdent(db)}.${chIdent(name)}`;
}

function refusal(what: string, hint: string): TopoplanError {
  return new TopoplanError('restore.refused', `restore: ${what}; nothing was restored; hint: ${hint}`);
}
