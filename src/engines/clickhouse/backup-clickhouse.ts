/**
 * Backs up what a ClickHouse step destroys, before it runs, by copying the
 * rows into a table of the backup database on the same server
 * ({@link BACKUP_DATABASE}): `CREATE TABLE topoplan_backup.x ENGINE = MergeTree
 * ORDER BY tuple() AS SELECT * FROM src [WHERE ...]`, so the rows never leave
 * the server and a copy of a large table costs what ClickHouse's own INSERT
 * SELECT costs. What is copied:
 * - a dropped or replaced table, a TRUNCATE, a dropped or cleared column: every row;
 * - `ALTER TABLE ... DELETE WHERE c` and `DELETE FROM ... WHERE c`: the rows where `c`;
 * - `UPDATE ... WHERE 1`: every row; `MODIFY TTL`, `MODIFY COLUMN ... TTL`: the rows expired now;
 * - a dropped or replaced partition (or part): the rows in it.
 * The table's CREATE statement goes into the manifest, so a restore can make
 * the table again. What cannot be copied (a whole database, detached parts)
 * is named in `notBackedUp`. ClickHouse has no transactions: rows written
 * between the copy and the statement are not in the copy.
 *
 * @example
 * const manifest = await backupClickHouse(conn, { store: 'events', database: 'obs', step, dir });
 * manifest?.objects[0].copy // 'topoplan_backup.b_3f2a9c1d0e4b_1_events'
 */
import { createHash } from 'node:crypto';
import { TopoplanError } from '../../errors.js';
import type { StepDestruction } from '../../plan/model.js';
import { manifestFor, stepPlace, writeManifest, type BackedUpObject, type BackupManifest, type StepBackup } from '../backup-manifest.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { chIdent, chString } from './clickhouse-sql.js';

/** The database on each server that holds topoplan's backup copies. */
export const BACKUP_DATABASE = 'topoplan_backup';

export interface ClickHouseBackupRequest extends StepBackup {
  /** The step's backup directory (for the manifest). */
  readonly dir: string;
}

interface Copy {
  readonly table: string;
  readonly destroys: StepDestruction['kind'];
  readonly where?: string;
}

/** Copies what the step destroys into the backup database and writes the manifest; undefined when nothing it destroys exists now. */
export async function backupClickHouse(conn: ClickHouseConnection, req: ClickHouseBackupRequest): Promise<BackupManifest | undefined> {
  const where = stepPlace(req.step);
  const fail = (what: string, e: unknown): never => {
    throw new TopoplanError('apply.backup', `apply: ${where}: backing up ${what} before step "${req.step.id}" of store "${req.store}" failed, so the statement did not run: ${(e as Error).message}; hint: fix the cause (disk space on the server, rights on database ${BACKUP_DATABASE}) and apply again`, [], { cause: e });
  };
  const notBackedUp: string[] = [];
  const copies: Copy[] = [];
  const detached = req.step.statements.some((s) => /\bDROP\s+DETACHED\b/i.test(s));
  for (const d of req.step.destroys) {
    if (d.object.kind === 'database') {
      notBackedUp.push(`${d.summary}: a whole database is not copied (back it up with BACKUP DATABASE before opting in)`);
      continue;
    }
    if (d.partition !== undefined && detached) {
      notBackedUp.push(`${d.summary}: detached parts cannot be read, so they are not copied`);
      continue;
    }
    const table = `${d.object.schema ?? req.database}.${d.object.name}`;
    const exists = await tableExists(conn, d.object.schema ?? req.database, d.object.name).catch((e) => fail(`table "${table}"`, e));
    if (!exists) continue;
    const condition = d.where !== undefined ? `(${d.where})` : d.partition !== undefined ? partitionCondition(d.partition) : undefined;
    copies.push({ table, destroys: d.kind, ...(condition ? { where: condition } : {}) });
  }
  if (copies.length === 0 && notBackedUp.length === 0) return undefined;
  const tag = createHash('sha256').update(req.dir).digest('hex').slice(0, 12);
  const objects: BackedUpObject[] = [];
  if (copies.length > 0) await conn.command(`CREATE DATABASE IF NOT EXISTS ${chIdent(BACKUP_DATABASE)}`).catch((e) => fail(`into database ${BACKUP_DATABASE}`, e));
  for (const [i, c] of copies.entries()) {
    const [db, name] = splitTable(c.table);
    const copy = `${BACKUP_DATABASE}.b_${tag}_${i + 1}_${name.replace(/[^A-Za-z0-9_]+/g, '_')}`;
    try {
      const definition = (await conn.rows<{ statement: string }>(`SHOW CREATE TABLE ${chIdent(db)}.${chIdent(name)}`))[0]!.statement;
      await conn.command(`CREATE TABLE ${quoted(copy)} ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM ${chIdent(db)}.${chIdent(name)}${c.where ? ` WHERE ${c.where}` : ''}`);
      const [bdb, bname] = splitTable(copy);
      const columns = (await conn.rows<{ name: string }>(`SELECT name FROM system.columns WHERE database = ${chString(bdb)} AND table = ${chString(bname)} ORDER BY position`)).map((r) => r.name);
      const rows = Number((await conn.rows<{ n: string | number }>(`SELECT count() AS n FROM ${quoted(copy)}`))[0]?.n ?? 0);
      objects.push({ kind: 'copy', table: c.table, destroys: c.destroys, columns, create: [definition], after: [], rows, copy, ...(c.where ? { where: c.where } : {}) });
    } catch (e) {
      fail(`table "${c.table}"${c.where ? ` (rows where ${c.where})` : ''} into ${copy}`, e);
    }
  }
  const manifest = manifestFor('clickhouse', req, objects, notBackedUp);
  await writeManifest(req.dir, manifest).catch((e) => fail('the manifest', e));
  return manifest;
}

/**
 * The rows of a partition (or part) as written after PARTITION / PART:
 * `ID 'x'` is a partition id, a quoted name is a part or a string-valued
 * partition, anything else the partition key's value.
 *
 * @example partitionCondition("ID '202402'") // "_partition_id = '202402'"
 */
export function partitionCondition(partition: string): string {
  const id = /^ID\s+('.*')$/is.exec(partition.trim());
  if (id) return `_partition_id = ${id[1]}`;
  const value = partition.trim().replace(/^tuple\((.*)\)$/is, '$1');
  if (/^'.*'$/s.test(value)) return `(_part = ${value} OR _partition_id = partitionID(${value}))`;
  return `_partition_id = partitionID(${value})`;
}

async function tableExists(conn: ClickHouseConnection, database: string, name: string): Promise<boolean> {
  const r = await conn.rows<{ n: string | number }>(`SELECT count() AS n FROM system.tables WHERE database = ${chString(database)} AND name = ${chString(name)}`);
  return Number(r[0]?.n ?? 0) > 0;
}

/** `db.table` → its two parts (the table part may itself hold dots). */
export function splitTable(qualified: string): [string, string] {
  const dot = qualified.indexOf('.');
  return [qualified.slice(0, dot), qualified.slice(dot + 1)];
}

function quoted(qualified: string): string {
  const [db, name] = splitTable(qualified);
  return `${chIdent(db)}.${chIdent(name)}`;
}
