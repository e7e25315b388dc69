/**
 * The contract of what a moved service owned in its old database besides
 * tables: functions and trigger functions, types and enums, standalone
 * sequences and views. Each live object is kept first as the definition that
 * recreates it (a backup `topoplan restore` lists), then dropped, without
 * CASCADE: an object something else still uses stops with the reason, and
 * nothing of others is dropped with it. An object already gone is skipped,
 * so a re-run finishes the job.
 *
 * @example
 * const r = await contractObject(client, { kind: 'function', name: 'count_items', service: 'shop', from }, { workDir, backups });
 * r.status // 'contracted' (r.dropped: ['public.count_items()']) or 'absent'
 */
import type pg from 'pg';
import type { BackupFile } from '../engines/engine.js';
import { backupDirFor, backupRunId } from '../engines/backup-manifest.js';
import { backupDefinitions, definedObjects } from '../engines/postgres/backup-definitions.js';
import type { ObjectMove } from './plan-transition.js';

export interface ObjectResult {
  readonly kind: ObjectMove['kind'];
  readonly name: string;
  /** `store/database` it was dropped from. */
  readonly from: string;
  readonly status: 'contracted' | 'absent' | 'failed';
  /** The objects dropped, as the catalog names them (every overload of a function). */
  readonly dropped?: readonly string[];
  readonly error?: string;
}

export async function contractObject(source: pg.ClientBase, m: ObjectMove, o: { workDir: string; backups: BackupFile[] }): Promise<ObjectResult> {
  const base = { kind: m.kind, name: m.name, from: `${m.from.store}/${m.from.database}` };
  const what = `${m.kind.replace('_', ' ')} "${m.name}" of service "${m.service}" in ${m.from.database}`;
  try {
    const found = await definedObjects(source, m.kind, m.name);
    if (found.length === 0) return { ...base, status: 'absent' };
    o.backups.push(...(await backupDefinitions({ store: m.from.store, database: m.from.database, objects: found, dir: backupDirFor(o.workDir, backupRunId(), `${m.from.store}:contract:${m.kind}:${m.name}`), stepId: `${m.from.store}:contract` })));
    await source.query('BEGIN');
    try {
      for (const d of found) await source.query(d.drop);
      await source.query('COMMIT');
    } catch (e) {
      await source.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return { ...base, status: 'contracted', dropped: found.map((d) => d.name) };
  } catch (e) {
    const detail = (e as { detail?: string }).detail;
    return { ...base, status: 'failed', error: `transition: contract of ${what} failed: ${(e as Error).message}${detail ? ` (${detail})` : ''}; hint: drop or move what still uses it, then run contract again` };
  }
}
