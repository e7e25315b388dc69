/**
 * What a backup taken before a destructive step holds, written as
 * `manifest.json` beside its data files: the store, the step and statement
 * (with its file and line), when, and per object what was kept and how to
 * bring it back. One directory per apply run and step:
 * `<data dir>/backups/<run>/<step>/` (see {@link backupDirFor}).
 *
 * @example
 * const dir = backupDirFor('/srv/.topoplan', '2026-12-02T14-40-00-000Z-4242', 'nova:app/003_drop.sql#0-0');
 * await writeManifest(dir, manifest);
 * const again = await readManifest(dir);   // the same manifest, checked
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TopoplanError } from '../errors.js';
import type { DestructionKind, EngineName } from '../sql/effects.js';
import type { Step } from '../plan/model.js';
import type { TableObject } from './schema-objects.js';
import type { BackupFile } from './engine.js';

/** The manifest format this version writes and reads. */
export const BACKUP_FORMAT = 1;
export const MANIFEST_FILE = 'manifest.json';

/**
 * One object kept by a backup.
 * - `table`: its definition and every row (a dropped or emptied table, or one whose rows are overwritten and that has no key).
 * - `columns`: the table's key and these columns of every row (a dropped or rewritten column), restored by key.
 * - `copy` (ClickHouse): a copy of the table in another database, with its rows.
 * - `definition` (PostgreSQL): an object without rows (function, type, sequence, view), kept as the SQL that recreates it.
 */
export interface BackedUpObject {
  readonly kind: 'table' | 'columns' | 'copy' | 'definition';
  /** `definition`: the kind of object (`function`, `type`, `sequence`, `view`, `materialized_view`). */
  readonly object?: string;
  /** Qualified name of the object in its store. */
  readonly table: string;
  /** What the statement does to it. */
  readonly destroys: DestructionKind;
  /** Columns held by the data file, in file order (for `columns`: the key first). */
  readonly columns: readonly string[];
  /** `columns`: the columns of the key rows are matched by. */
  readonly key?: readonly string[];
  /** `columns`: the columns the statement destroys. */
  readonly destroyed?: readonly string[];
  /** SQL that recreates the object (table, or the columns), run when it is missing. */
  readonly create: readonly string[];
  /** SQL run after the rows are loaded into a recreated table: foreign keys, indexes, triggers, sequence values. */
  readonly after: readonly string[];
  /** The definition as inspected, for people and for comparisons. */
  readonly definition?: TableObject;
  readonly rows: number;
  /** Data file, relative to the manifest's directory (absent for `copy`). */
  readonly file?: string;
  /** SHA-256 (hex) of the data file. */
  readonly sha256?: string;
  /** `copy`: the table holding the copy. */
  readonly copy?: string;
  /** `copy` of some rows only: the condition on the table that selects them (a DELETE's WHERE, a partition). */
  readonly where?: string;
  /**
   * PostgreSQL, a dropped table or column: the foreign keys of other tables that reference it, which a
   * CASCADE drops with it; restore adds each back where its table is and lacks it.
   */
  readonly referencedBy?: readonly ReferencingKey[];
}

/** A foreign key of another table that references a backed-up table or column. */
export interface ReferencingKey {
  /** The table the key belongs to, `schema.table`. */
  readonly table: string;
  readonly name: string;
  /** As `pg_get_constraintdef` prints it: `FOREIGN KEY (parent_id) REFERENCES parents(id)`. */
  readonly definition: string;
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly store: string;
  readonly engine: EngineName;
  readonly database: string;
  /** The step the backup was made for. */
  readonly step: string;
  /** The statements of the step, as run. */
  readonly statements: readonly string[];
  /** `file:line` of the destructive statement, when it comes from a file. */
  readonly at?: string;
  /** ISO time the backup was taken. */
  readonly createdAt: string;
  readonly objects: readonly BackedUpObject[];
  /** What the statement destroys that this backup does not keep, in words (e.g. a dropped database). */
  readonly notBackedUp: readonly string[];
}

/** A manifest found on disk, with its directory. */
export interface FoundBackup {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

/** What restoring one object did. */
export interface RestoredObject {
  readonly table: string;
  readonly kind: BackedUpObject['kind'];
  /** Rows loaded (a table) or updated by key (columns). */
  readonly rows: number;
  /** The table was missing and was created from the backup's definition. */
  readonly created: boolean;
  /** Columns the table lacked, added back. */
  readonly addedColumns: readonly string[];
  /** Foreign keys of other tables added back (`schema.table.name`), which a CASCADE had dropped. */
  readonly addedKeys?: readonly string[];
}

/** `file:line` of the step's destructive statement, or the step id for a synthetic step. */
export function stepPlace(step: Pick<Step, 'id' | 'destroys' | 'source'>): string {
  const d = step.destroys.find((x) => x.line !== undefined);
  if (step.source && d?.line !== undefined) return `${step.source.file}:${d.line}`;
  return step.source ? `${step.source.file}:${step.source.line}` : step.id;
}

/** The destructive step a backup is for (its id, `destroys`, statements and source), and where it runs. */
export interface StepBackup {
  readonly store: string;
  readonly database: string;
  readonly step: Pick<Step, 'id' | 'statements' | 'destroys' | 'source'>;
}

/** The manifest of one step's backup, stamped now. */
export function manifestFor(engine: EngineName, req: StepBackup, objects: readonly BackedUpObject[], notBackedUp: readonly string[]): BackupManifest {
  const where = stepPlace(req.step);
  return {
    format: BACKUP_FORMAT,
    store: req.store,
    engine,
    database: req.database,
    step: req.step.id,
    statements: req.step.statements,
    ...(where !== req.step.id ? { at: where } : {}),
    createdAt: new Date().toISOString(),
    objects,
    notBackedUp,
  };
}

/** Names that are safe as one path segment. */
export function safeSegment(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_');
}

/** An id for one apply run: its start time and process, sortable and unique on one host. */
export function backupRunId(now = new Date(), pid = process.pid): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${pid}`;
}

/** `<dataDir>/backups/<run>/<step>`: where the backup of one step of one apply run goes. */
export function backupDirFor(dataDir: string, runId: string, stepId: string): string {
  return path.join(dataDir, 'backups', safeSegment(runId), safeSegment(stepId));
}

/** Writes `manifest.json` into `dir` (created), atomically: a manifest present is a backup complete. */
export async function writeManifest(dir: string, manifest: BackupManifest): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, MANIFEST_FILE);
  await writeFile(`${file}.part`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${file}.part`, file);
  return file;
}

/**
 * Reads a manifest from `where` (its directory or the file itself) and checks
 * its shape, so a restore never starts from a half-read or foreign file.
 */
export async function readManifest(where: string): Promise<FoundBackup> {
  const file = (await stat(where).catch(() => undefined))?.isDirectory() ? path.join(where, MANIFEST_FILE) : where;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new TopoplanError('restore.missing', `restore: no backup manifest at "${file}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; hint: give a backup directory under <data dir>/backups/ (topoplan restore FILE lists them)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TopoplanError('restore.manifest', `restore: "${file}" is not JSON: ${(e as Error).message}; hint: it must be the manifest.json apply wrote`);
  }
  const problem = manifestProblem(parsed);
  if (problem) throw new TopoplanError('restore.manifest', `restore: "${file}" is not a backup manifest: ${problem}; hint: it must be the manifest.json apply wrote`);
  return { dir: path.dirname(file), manifest: parsed as BackupManifest };
}

/** Why `value` is not a manifest this version reads, or undefined when it is one. */
export function manifestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const m = value as Record<string, unknown>;
  if (m.format !== BACKUP_FORMAT) return `format ${JSON.stringify(m.format)}, expected ${BACKUP_FORMAT}`;
  for (const k of ['store', 'engine', 'database', 'step', 'createdAt'] as const) if (typeof m[k] !== 'string') return `"${k}" is missing or not text`;
  if (!Array.isArray(m.objects)) return '"objects" is not a list';
  for (const [i, o] of (m.objects as unknown[]).entries()) {
    const obj = o as Record<string, unknown> | null;
    if (!obj || !['table', 'columns', 'copy', 'definition'].includes(obj.kind as string)) return `object ${i + 1} has no known kind`;
    if (typeof obj.table !== 'string' || !Array.isArray(obj.columns) || !Array.isArray(obj.create) || !Array.isArray(obj.after)) return `object ${i + 1} lacks table, columns, create or after`;
    if (obj.kind === 'columns' && !Array.isArray(obj.key)) return `object ${i + 1} (columns of "${obj.table}") has no key`;
    if (obj.referencedBy !== undefined && !(Array.isArray(obj.referencedBy) && obj.referencedBy.every((k: Record<string, unknown> | null) => k !== null && typeof k === 'object' && ['table', 'name', 'definition'].every((f) => typeof k[f] === 'string')))) return `object ${i + 1} ("${obj.table}") has a "referencedBy" that is not a list of foreign keys`;
    if (obj.kind === 'definition' && typeof obj.object !== 'string') return `object ${i + 1} (definition of "${obj.table}") names no kind of object`;
    if (obj.kind !== 'copy' && obj.kind !== 'definition' && (typeof obj.file !== 'string' || obj.file.includes('/') || obj.file.includes('\\'))) return `object ${i + 1} ("${obj.table}") names no data file in its directory`;
  }
  if (!Array.isArray(m.notBackedUp)) return '"notBackedUp" is not a list';
  return undefined;
}

/** One entry per object of a manifest in `dir`. */
export function backupFiles(dir: string, manifest: BackupManifest): BackupFile[] {
  const at = path.join(dir, MANIFEST_FILE);
  return manifest.objects.map((o) => ({ table: o.table, path: o.file ? path.join(dir, o.file) : o.copy ?? '', rows: o.rows, manifest: at }));
}

/** Every backup under `<dataDir>/backups`, newest first (unreadable entries are left out). */
export async function listBackups(dataDir: string): Promise<FoundBackup[]> {
  const root = path.join(dataDir, 'backups');
  const found: FoundBackup[] = [];
  for (const run of (await readdir(root).catch(() => [] as string[])).sort().reverse()) {
    for (const step of (await readdir(path.join(root, run)).catch(() => [] as string[])).sort()) {
      const b = await readManifest(path.join(root, run, step)).catch(() => undefined);
      if (b) found.push(b);
    }
  }
  return found;
}
