/**
 * A view's columns need names of their own: `CREATE VIEW v AS SELECT a.id, b.id
 * FROM a JOIN b ...` fails ("column id specified more than once"). A CREATE VIEW
 * whose column names can be told (see sql/postgres/view-columns.ts outputColumns)
 * and repeat one is a `duplicate_column` error naming the column.
 *
 * @example
 * checkViewOutputNames(live, log);
 * // plan: view "order_lines" at "b/001.sql:1" has two columns named "id" ...
 */
import type { ConflictLog } from './conflict-log.js';
import { describe, displayName } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';

export function checkViewOutputNames(units: readonly Unit[], log: ConflictLog): void {
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind !== 'ViewStmt') continue;
    for (const e of u.stmt.effects) {
      const names = e.action === 'create' ? e.outputColumns : undefined;
      if (!names || names.length < 2) continue;
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice === undefined) continue;
      log.add({
        kind: 'duplicate_column',
        object: describe(e.object),
        objectName: displayName(e.object),
        message: `plan: ${describe(e.object)} at "${unitPlace(u)}" has two columns named "${twice}": PostgreSQL refuses a view whose columns share a name`,
        sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }],
        severity: 'error',
        hint: `name one of them apart: SELECT ... ${twice} AS <other name>, or list the view's column names (CREATE VIEW ${displayName(e.object)} (...) AS ...)`,
      });
    }
  }
}
