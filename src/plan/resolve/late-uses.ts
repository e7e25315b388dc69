/**
 * Uses (and drops without IF EXISTS) of a name after the statement of their own set that took it away: a
 * drop or rename of the object, or a drop or rename of the database that holds it
 * (ClickHouse `RENAME DATABASE` / `DROP DATABASE`). The set's order puts the
 * use after that statement, and the object is gone there: one error per use,
 * naming both places and the name to use instead, rather than a cycle
 * between the two steps.
 *
 * @example
 * checkLateUses(lifecycle, log);
 * // plan: "obs/002_late.sql:1" uses table "obs_tmp.hits" after "obs/001_scratch.sql:2" renamed database "obs_tmp" to "obs_scratch"
 */
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, LateUse } from '../order/lifecycle.js';
import { describe, displayName } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';

export function checkLateUses(lifecycle: Lifecycle, log: ConflictLog): void {
  for (const late of lifecycle.lateUses) {
    const { node: u, version: v } = late;
    const d = v.dropNode as Unit;
    const ref = late.effect.object;
    const database = v.ref.schema ?? '';
    const { what, instead } = wording(late, database);
    log.add({
      kind: 'used_after_drop',
      object: describe(v.ref),
      objectName: displayName(v.ref),
      message: `plan: "${unitPlace(u)}" ${late.effect.action === 'drop' ? 'drops' : 'uses'} ${ref.kind.replace('_', ' ')} "${displayName(v.ref)}" after "${unitPlace(d)}" ${what}`,
      sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: d.file.file, line: d.stmt.line, set: d.set.name, store: d.store }],
      severity: 'error',
      hint: late.effect.action === 'drop' ? `remove the statement, or write DROP ... IF EXISTS where the object may be gone` : `${instead}, or move the statement before "${unitPlace(d)}"`,
    });
  }
}

function wording(late: LateUse, database: string): { what: string; instead: string } {
  const v = late.version;
  const ended = v.ended!;
  if (ended.by === 'database rename') return { what: `renamed database "${database}" to "${ended.to}"`, instead: `name it "${ended.to}.${v.ref.name}"` };
  if (ended.by === 'drop') return { what: droppedHow(v), instead: `create "${displayName(v.ref)}" again after the drop` };
  if (ended.by === 'database drop') return { what: `dropped database "${database}" and everything in it`, instead: `create "${displayName(v.ref)}" again after the drop` };
  const renamed = displayName({ ...v.ref, name: ended.to!, ...(ended.toSchema !== undefined ? { schema: ended.toSchema } : {}) });
  return { what: `renamed it to "${renamed}"`, instead: `name it "${renamed}"` };
}

/** How the statement that ended a version dropped it: itself, or with its table or a column of it (an index, a trigger). */
function droppedHow(v: LateUse['version']): string {
  const d = v.dropNode as Unit;
  if (d.stmt.effects.some((e) => e.action === 'drop' && e.object.name === v.ref.name)) return 'dropped it';
  return d.stmt.effects.some((e) => e.action === 'drop' && e.object.kind === 'table') ? 'dropped its table, and it with the table' : 'dropped a column it is on, and it with the column';
}
