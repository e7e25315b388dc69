/**
 * Backs up what a PostgreSQL step destroys, right before it runs and on the
 * connection (and in the transaction) that runs it: the tables are locked
 * against writes first, so the backup holds exactly the rows the statement
 * then destroys. Definitions come from the inspection (postgres-inspect.ts,
 * made into SQL by table-ddl.ts), rows from the server's own
 * `COPY ... TO STDOUT (FORMAT csv, HEADER)` streamed to a file. The manifest
 * is written last: a directory with a manifest is a complete backup. Any
 * failure throws a {@link TopoplanError} naming the object, and the caller's
 * transaction rolls back, so the statement does not run.
 *
 * @example
 * await client.query('BEGIN');
 * const manifest = await backupPostgres(client, { store: 'nova', database: 'nova', step, dir, lock: true });
 * await client.query(step.statements[0]);  // runs only after the backup is on disk
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { TopoplanError } from '../../errors.js';
import type { StepDestruction } from '../../plan/model.js';
import { backupFiles, manifestFor, safeSegment, stepPlace, writeManifest, type BackedUpObject, type BackupManifest, type StepBackup } from '../backup-manifest.js';
import type { BackupFile, IndexObject, SchemaSnapshot, TableObject, TriggerObject } from '../engine.js';
import { backupTargets, type BackupTarget } from './backup-targets.js';
import { referencingKeys } from './referencing-keys.js';
import { inspectPostgres } from './postgres-inspect.js';
import { quoteIdent, quoteQualified, splitQualified } from './postgres-url.js';
import { addColumnsDdl, loadableColumns, tableDdl, type OwnedSequence } from './table-ddl.js';

export interface PostgresBackupRequest extends StepBackup {
  /** The step's backup directory (created). */
  readonly dir: string;
  /** Lock the tables against writes until the caller's transaction ends (true inside the step's transaction). */
  readonly lock: boolean;
}

/** Backs up what the step destroys into `dir`; undefined when nothing it destroys exists now. */
export async function backupPostgres(client: pg.ClientBase, req: PostgresBackupRequest): Promise<BackupManifest | undefined> {
  const where = stepPlace(req.step);
  const fail = (what: string, e: unknown): never => {
    throw new TopoplanError('apply.backup', `apply: ${where}: backing up ${what} before step "${req.step.id}" of store "${req.store}" failed, so the statement did not run: ${(e as Error).message}; hint: fix the cause (disk space, permissions of ${req.dir}) and apply again`, [], { cause: e });
  };
  const { targets, notBackedUp } = await backupTargets(client, req.step.destroys).catch((e) => fail('what the step destroys', e));
  if (targets.length === 0 && notBackedUp.length === 0) return undefined;
  if (req.lock && targets.length > 0) {
    // Writes wait from here until the step commits: the backup is what the statement destroys.
    await client.query(`LOCK TABLE ${targets.map((t) => quoteQualified(t.table)).join(', ')} IN SHARE ROW EXCLUSIVE MODE`).catch((e) => fail(`"${targets[0]!.table}"`, e));
  }
  const all = targets.map(describeTarget).join(', ');
  await mkdir(req.dir, { recursive: true }).catch((e) => fail(all, e));
  const snapshot = await inspectPostgres(client).catch((e) => fail(`the definitions of ${all}`, e));
  const objects: BackedUpObject[] = [];
  // A table backed up whole brings its own foreign keys back: only keys of the others are kept apart.
  const whole = new Set(targets.filter((t) => t.kind === 'table').map((t) => t.table));
  for (const [i, t] of targets.entries()) {
    try {
      objects.push(await backUp(client, snapshot, t, req.dir, i + 1, whole));
    } catch (e) {
      fail(describeTarget(t), e);
    }
  }
  const manifest = manifestFor('postgres', req, objects, notBackedUp);
  await writeManifest(req.dir, manifest).catch((e) => fail(`the manifest of ${all || 'the backup'}`, e));
  return manifest;
}

function describeTarget(t: BackupTarget): string {
  return t.kind === 'columns' ? `column${t.columns!.length === 1 ? '' : 's'} ${t.columns!.map((c) => `"${c}"`).join(', ')} of table "${t.table}"` : `table "${t.table}"`;
}

/** The key rows of `table` are matched by on restore: its primary key, else a unique key of NOT NULL columns. */
export function restoreKey(table: TableObject): string[] | undefined {
  const pk = table.constraints.find((k) => k.type === 'primary key');
  if (pk && pk.columns.length > 0) return [...pk.columns];
  const notNull = new Set(table.columns.filter((c) => !c.nullable).map((c) => c.name));
  const unique = table.constraints.filter((k) => k.type === 'unique' && k.columns.length > 0 && k.columns.every((c) => notNull.has(c)));
  return unique[0] ? [...unique[0].columns] : undefined;
}

async function backUp(client: pg.ClientBase, snapshot: SchemaSnapshot, t: BackupTarget, dir: string, n: number, whole: ReadonlySet<string>): Promise<BackedUpObject> {
  const table = snapshot.objects.find((o): o is TableObject => o.kind === 'table' && o.name === t.table);
  if (!table) throw new Error(`the inspection does not find table "${t.table}"`);
  const sequences = await ownedSequences(client, snapshot, table);
  // What a CASCADE drops of other tables along with this one, or with its dropped columns.
  const referencing = t.destroys === 'drop' ? await referencingKeys(client, t.table, { exclude: whole })
    : t.destroys === 'drop_column' ? await referencingKeys(client, t.table, { columns: t.columns ?? [], exclude: whole })
    : [];
  const referencedBy = referencing.length > 0 ? { referencedBy: referencing } : {};
  // A key the statement itself destroys cannot match rows again: then the whole table is kept.
  const key = t.kind === 'columns' ? restoreKey(table) : undefined;
  if (t.kind === 'columns' && key && !t.columns!.some((c) => key.includes(c))) {
    const destroyed = [...t.columns!];
    const copied = loadableColumns(table).filter((c) => destroyed.includes(c));
    const columns = [...key, ...copied];
    const file = `${n}-${safeSegment(t.table)}.columns.csv`;
    const { rows, sha256 } = await copyOut(client, `COPY (SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteQualified(t.table)}) TO STDOUT (FORMAT csv, HEADER true)`, path.join(dir, file));
    const ddl = addColumnsDdl(table, destroyed, sequences);
    return { kind: 'columns', table: t.table, destroys: t.destroys, columns, key, destroyed, create: ddl.create, after: ddl.after, definition: table, rows, file, sha256, ...referencedBy };
  }
  // A whole table: what it destroys, or (no key to put columns back by) all of it.
  const columns = loadableColumns(table);
  const file = `${n}-${safeSegment(t.table)}.csv`;
  const { rows, sha256 } = await copyOut(client, `COPY (SELECT ${columns.map(quoteIdent).join(', ')} FROM ONLY ${quoteQualified(t.table)}) TO STDOUT (FORMAT csv, HEADER true)`, path.join(dir, file));
  const ddl = tableDdl({
    table,
    indexes: snapshot.objects.filter((o): o is IndexObject => o.kind === 'index' && o.table === t.table),
    triggers: snapshot.objects.filter((o): o is TriggerObject => o.kind === 'trigger' && o.table === t.table),
    sequences,
  });
  return {
    kind: 'table', table: t.table, destroys: t.destroys, columns,
    ...(t.kind === 'columns' ? { destroyed: t.columns } : {}),
    create: ddl.create, after: ddl.after, definition: table, rows, file, sha256, ...referencedBy,
  };
}

/** Sequences the table's columns own, with their current values. */
async function ownedSequences(client: pg.ClientBase, snapshot: SchemaSnapshot, table: TableObject): Promise<OwnedSequence[]> {
  const out: OwnedSequence[] = [];
  for (const o of snapshot.objects) {
    if (o.kind !== 'sequence' || !o.ownedBy?.startsWith(`${table.name}.`)) continue;
    const column = o.ownedBy.slice(table.name.length + 1);
    const r = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text AS last_value, is_called FROM ${quoteQualified(o.name)}`);
    out.push({ name: o.name, type: o.type, start: o.start, increment: o.increment, column, lastValue: r.rows[0]!.last_value, isCalled: r.rows[0]!.is_called });
  }
  return out;
}

/** Streams a `COPY ... TO STDOUT` into `file`; returns the rows the server counted and the file's SHA-256. */
export async function copyOut(client: pg.ClientBase, sql: string, file: string): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = client.query(copyTo(sql));
  await pipeline(source, tap, createWriteStream(file));
  return { rows: Number(source.rowCount ?? 0), sha256: hash.digest('hex') };
}

/**
 * Backs up whole tables (definition and rows) in one snapshot, as a step
 * dropping them would: for callers that drop tables themselves (a transition's contract).
 */
export async function backupTables(client: pg.ClientBase, o: { store: string; database: string; tables: readonly string[]; dir: string; stepId?: string }): Promise<BackupFile[]> {
  const destroys = o.tables.map((t): StepDestruction => {
    const parts = splitQualified(t);
    const object = parts.length > 1 ? { kind: 'table' as const, schema: parts[0]!, name: parts[1]! } : { kind: 'table' as const, name: parts[0]! };
    return { kind: 'drop', object, summary: `table "${t}" (definition and rows)` };
  });
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  try {
    const step = { id: o.stepId ?? `${o.store}:backup`, statements: o.tables.map((t) => `DROP TABLE ${quoteQualified(t)}`), destroys };
    const manifest = await backupPostgres(client, { store: o.store, database: o.database, step, dir: o.dir, lock: false });
    await client.query('COMMIT');
    return manifest ? backupFiles(o.dir, manifest) : [];
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
