/**
 * `restoreBackup()`: brings back what a destructive step destroyed, from the
 * backup apply took before it (a directory under `<data dir>/backups/` with
 * a `manifest.json`). The store's migration lock is held meanwhile, so no
 * apply runs into a half-restored table; the engine restores all or nothing
 * and refuses to overwrite rows or values unless `force`.
 *
 * @example
 * const { restored } = await restoreBackup('.topoplan/backups/2026-12-02T14-40-00-000Z-4242/main_app_002.sql_0-0', {
 *   store: 'main', database: 'main', engine: 'postgres', url: 'postgres://localhost:5432/postgres',
 * });
 */
import { readManifest, type FoundBackup, type RestoredObject } from '../engines/backup-manifest.js';
import type { Engine } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { TopoplanError } from '../errors.js';
import type { EngineName } from '../sql/effects.js';

export interface RestoreBackupOptions {
  /** The store restored into (default: the one the backup was taken from), its database and engine. */
  readonly store: string;
  readonly database: string;
  readonly engine: EngineName;
  /** Server URL of the store. */
  readonly url: string;
  /** Replace rows of a table that holds some; overwrite values of columns that hold some. */
  readonly force?: boolean;
  /** How long to wait for an apply holding the store's lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** Engine per kind; default the built-in engines. */
  readonly engines?: (name: EngineName) => Engine;
}

export interface RestoreBackupResult {
  readonly backup: FoundBackup;
  readonly restored: readonly RestoredObject[];
}

export async function restoreBackup(where: string, options: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const backup = await readManifest(where);
  const m = backup.manifest;
  if (m.engine !== options.engine) {
    throw new TopoplanError('restore.engine', `restore: ${backup.dir} was taken from ${m.engine} store "${m.store}", and store "${options.store}" is ${options.engine}; hint: pass --store with a ${m.engine} store`);
  }
  const session = await (options.engines ?? engineFor)(options.engine).connect({ store: options.store, database: options.database, url: options.url });
  try {
    if (!session.restoreBackup) throw new TopoplanError('restore.engine', `restore: ${options.engine} stores keep no backups topoplan can restore; hint: ${backup.dir} holds the exported rows`);
    const release = await session.lock({ timeoutMs: options.lockTimeoutMs ?? 30_000 });
    try {
      return { backup, restored: await session.restoreBackup(backup, options.force ? { force: true } : {}) };
    } finally {
      await release();
    }
  } finally {
    await session.close();
  }
}
