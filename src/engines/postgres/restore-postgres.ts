/**
 * Brings a backup (see backup-postgres.ts) back into a PostgreSQL database,
 * in one transaction: all of it or nothing.
 * - A table: created from its definition when missing (schema, sequences,
 *   columns, keys), its rows loaded with `COPY ... FROM STDIN`, then its
 *   foreign keys, indexes, triggers and sequence values. A table that exists
 *   and is empty just gets the rows (columns it lacks are added first); one
 *   that holds rows is refused unless `force`, which replaces its rows.
 * - Columns: added back to their table (nullable first), filled by key from
 *   the backup, then their defaults, NOT NULL and constraints. A column that
 *   exists and holds values is refused unless `force`, which overwrites them.
 * - A definition (function, type, sequence, view): created when it is missing.
 * Every data file is checked against its SHA-256 before anything runs.
 *
 * @example
 * const found = await readManifest('.topoplan/backups/2026-12-02T14-40-00-000Z-4242/main_app_002.sql_0-0');
 * const restored = await restorePostgres(client, found, { store: 'main' });
 * // [{ table: 'public.accounts', kind: 'columns', rows: 3, created: false, addedColumns: ['legacy_note'] }]
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TopoplanError } from '../../errors.js';
import type { BackedUpObject, FoundBackup, RestoredObject } from '../backup-manifest.js';
import type { TableObject } from '../schema-objects.js';
import { quoteIdent, quoteQualified } from './postgres-url.js';
import { definitionExists } from './backup-definitions.js';
import { addReferencingKeys } from './referencing-keys.js';
import { addColumnsDdl, loadableColumns } from './table-ddl.js';

export interface RestoreOptions {
  /** The store restored into (messages name it). */
  readonly store: string;
  /** Replace the rows of a table that holds some, overwrite values of columns that exist. */
  readonly force?: boolean;
}

export async function restorePostgres(client: pg.ClientBase, backup: FoundBackup, options: RestoreOptions): Promise<RestoredObject[]> {
  for (const o of backup.manifest.objects) await checkFile(backup.dir, o);
  await client.query('BEGIN');
  try {
    const done: RestoredObject[] = [];
    const after: string[] = [];
    for (const [i, o] of backup.manifest.objects.entries()) {
      if (o.kind === 'copy') throw new TopoplanError('restore.engine', `restore: object "${o.table}" of ${backup.dir} is a ClickHouse copy; hint: restore it into a ClickHouse store`);
      if (o.kind === 'definition') done.push(await restoreDefinition(client, o, after));
      else done.push(o.kind === 'table' ? await restoreTable(client, backup.dir, o, options, after) : await restoreColumns(client, backup.dir, o, options, after, i + 1));
    }
    for (const sql of after) await client.query(sql);
    // Last, once every table of the backup is back: the keys of other tables a CASCADE dropped with what came back.
    const back = backup.manifest.objects.map((o, i) => (done[i]!.created || done[i]!.addedColumns.length > 0 ? o.referencedBy ?? [] : []));
    const added = new Set(await addReferencingKeys(client, back.flat()));
    await client.query('COMMIT');
    return done.map((d, i) => {
      const keys = back[i]!.map((k) => `${k.table}.${k.name}`).filter((k) => added.has(k));
      return keys.length > 0 ? { ...d, addedKeys: keys } : d;
    });
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (e instanceof TopoplanError) throw e;
    throw new TopoplanError('restore.failed', `restore: ${backup.dir}: restoring into store "${options.store}" failed, nothing was changed: ${(e as Error).message}; hint: check the store is the one the backup was taken from (--store)`, [], { cause: e });
  }
}

async function restoreTable(client: pg.ClientBase, dir: string, o: BackedUpObject, options: RestoreOptions, after: string[]): Promise<RestoredObject> {
  const name = quoteQualified(o.table);
  const live = await liveColumns(client, o.table);
  let created = false;
  let added: string[] = [];
  if (!live) {
    for (const sql of o.create) await client.query(sql);
    after.push(...o.after);
    created = true;
  } else {
    const definition = definitionOf(o);
    added = loadableColumns(definition).filter((c) => o.columns.includes(c) && !live.has(c));
    if (added.length > 0) {
      const ddl = addColumnsDdl(definition, added);
      for (const sql of ddl.create) await client.query(sql);
      after.push(...ddl.after);
    }
    const holds = (await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ONLY ${name}) AS any`)).rows[0]?.any;
    if (holds) {
      if (!options.force) throw refusal(`table "${o.table}" of store "${options.store}" holds rows`, 'empty it first, or pass --force to replace its rows with the backup\'s');
      await client.query(`DELETE FROM ONLY ${name}`);
    }
  }
  const rows = await copyIn(client, `COPY ${name} (${o.columns.map(quoteIdent).join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`, path.join(dir, o.file!));
  return { table: o.table, kind: 'table', rows, created, addedColumns: added };
}

async function restoreColumns(client: pg.ClientBase, dir: string, o: BackedUpObject, options: RestoreOptions, after: string[], n: number): Promise<RestoredObject> {
  const name = quoteQualified(o.table);
  const live = await liveColumns(client, o.table);
  if (!live) throw refusal(`table "${o.table}" is not in store "${options.store}", so its columns have nowhere to go`, 'restore the backup of the table first, or create it');
  const definition = definitionOf(o);
  const key = o.key!;
  const missingKey = key.filter((k) => !live.has(k));
  if (missingKey.length > 0) throw refusal(`table "${o.table}" of store "${options.store}" has no column ${missingKey.map((k) => `"${k}"`).join(', ')} to match rows by`, 'restore into the table the backup was taken from');
  const values = o.columns.filter((c) => !key.includes(c));
  const present = values.filter((c) => live.has(c));
  if (present.length > 0) {
    const filled = (await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${name} WHERE ${present.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' OR ')}) AS any`)).rows[0]?.any;
    if (filled && !options.force) throw refusal(`column ${present.map((c) => `"${c}"`).join(', ')} of table "${o.table}" in store "${options.store}" holds values`, 'pass --force to overwrite them with the backup\'s');
  }
  const added = (o.destroyed ?? values).filter((c) => !live.has(c));
  const ddl = addColumnsDdl(definition, added);
  for (const sql of ddl.create) await client.query(sql);
  const temp = quoteIdent(`topoplan_restore_${n}`);
  const types = new Map(definition.columns.map((c) => [c.name, c.type]));
  await client.query(`CREATE TEMP TABLE ${temp} (${o.columns.map((c) => `${quoteIdent(c)} ${types.get(c) ?? 'text'}`).join(', ')}) ON COMMIT DROP`);
  await copyIn(client, `COPY ${temp} (${o.columns.map(quoteIdent).join(', ')}) FROM STDIN (FORMAT csv, HEADER true)`, path.join(dir, o.file!));
  const r = await client.query(`UPDATE ${name} AS t SET ${values.map((c) => `${quoteIdent(c)} = r.${quoteIdent(c)}`).join(', ')} FROM ${temp} AS r WHERE ${key.map((k) => `t.${quoteIdent(k)} = r.${quoteIdent(k)}`).join(' AND ')}`);
  after.push(...ddl.after);
  return { table: o.table, kind: 'columns', rows: r.rowCount ?? 0, created: false, addedColumns: added };
}

/** An object kept by its definition is created when it is missing; one that exists is left as it is. */
async function restoreDefinition(client: pg.ClientBase, o: BackedUpObject, after: string[]): Promise<RestoredObject> {
  const exists = await definitionExists(client, o.object!, o.table);
  if (!exists) {
    // As pg_dump does: a function body may name tables restored later (or by another backup).
    await client.query('SET LOCAL check_function_bodies = false');
    for (const sql of o.create) await client.query(sql);
    after.push(...o.after);
  }
  return { table: o.table, kind: 'definition', rows: 0, created: !exists, addedColumns: [] };
}

/** The table's column names, or undefined when it does not exist. */
async function liveColumns(client: pg.ClientBase, table: string): Promise<Set<string> | undefined> {
  const rel = (await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::text AS oid', [quoteQualified(table)])).rows[0]?.oid;
  if (!rel) return undefined;
  const r = await client.query<{ name: string }>('SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped', [rel]);
  return new Set(r.rows.map((x) => x.name));
}

function definitionOf(o: BackedUpObject): TableObject {
  if (!o.definition) throw refusal(`the backup of "${o.table}" holds no definition`, 'it was not written by topoplan apply');
  return o.definition;
}

async function copyIn(client: pg.ClientBase, sql: string, file: string): Promise<number> {
  const sink = client.query(copyFrom(sql));
  await pipeline(createReadStream(file), sink);
  return Number(sink.rowCount ?? 0);
}

/** A data file that is missing or changed since the backup was taken stops the restore before it starts. */
async function checkFile(dir: string, o: BackedUpObject): Promise<void> {
  if (o.kind === 'copy' || o.kind === 'definition' || !o.file) return;
  const file = path.join(dir, o.file);
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(file), hash);
  } catch (e) {
    throw refusal(`the data file "${file}" of "${o.table}" cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'restore from the backup directory as apply wrote it');
  }
  if (o.sha256 && hash.digest('hex') !== o.sha256) throw refusal(`the data file "${file}" of "${o.table}" changed since the backup was taken (its SHA-256 differs from the manifest's)`, 'restore from an unchanged copy of the backup');
}

function refusal(what: string, hint: string): TopoplanError {
  return new TopoplanError('restore.refused', `restore: ${what}; nothing was restored; hint: ${hint}`);
}
