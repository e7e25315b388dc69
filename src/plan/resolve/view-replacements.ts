/**
 * `CREATE OR REPLACE VIEW` keeps the view's columns: PostgreSQL lets the new
 * query add columns at the end, never drop, rename or reorder the ones it has
 * ("cannot drop columns from view", "cannot change name of view column").
 * A replacement whose columns do not begin with those of the definition
 * before it (the last one ordered before it, with no drop of the view
 * between) is a `view_columns_changed` error naming both places. Definitions
 * whose column names cannot be told (`*`, an expression without alias) are
 * left alone.
 *
 * @example
 * checkViewReplacements(topology, live, log, new Precedence(graph, stepOf));
 * // plan: "CREATE OR REPLACE VIEW v" at "app/002_v.sql:1" changes the columns of view v ("app/001_v.sql:2"): id, a → id, b ...
 */
import type { Effect } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import type { Precedence } from '../order/precedence.js';
import { describe, displayName, storeKey, type StoreKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { pushTo } from '../push-to.js';

interface Definition {
  readonly unit: Unit;
  readonly effect: Effect;
}

export function checkViewReplacements(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const made = new Map<StoreKey, Definition[]>();
  const drops = new Map<StoreKey, Unit[]>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'view') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (e.action === 'create') pushTo(made, key, { unit: u, effect: e });
      else if (e.action === 'drop' || e.action === 'rename') pushTo(drops, key, u);
    }
  }
  for (const [key, list] of made) {
    if (list.length < 2) continue;
    for (const r of list) {
      if (!r.effect.orReplace || !r.effect.outputColumns) continue;
      // The definition it replaces: ordered before it, with no other one between.
      const before = list.filter((p) => p !== r && order.before(p.unit, r.unit));
      const p = before.find((x) => !before.some((y) => y !== x && order.before(x.unit, y.unit)));
      if (!p?.effect.outputColumns) continue;
      // A drop (or rename) of the view that may run between them makes the replacement a new view.
      if ((drops.get(key) ?? []).some((d) => !order.before(d, p.unit) && !order.before(r.unit, d))) continue;
      const was = p.effect.outputColumns;
      const now = r.effect.outputColumns;
      if (was.every((c, i) => now[i] === c)) continue;
      report(log, r, p, was, now);
    }
  }
}

function report(log: ConflictLog, r: Definition, p: Definition, was: readonly string[], now: readonly string[]): void {
  const view = r.effect.object;
  log.add({
    kind: 'view_columns_changed',
    object: describe(view),
    objectName: displayName(view),
    message: `plan: "CREATE OR REPLACE VIEW ${displayName(view)}" at "${unitPlace(r.unit)}" changes the columns of ${describe(view)} ("${unitPlace(p.unit)}"): ${was.join(', ')} → ${now.join(', ')}; PostgreSQL keeps a replaced view's columns, adding new ones only at the end`,
    sources: [{ file: r.unit.file.file, line: r.unit.stmt.line, store: r.unit.store }, { file: p.unit.file.file, line: p.unit.stmt.line, store: p.unit.store }],
    severity: 'error',
    hint: `keep ${was.join(', ')} first, in that order, and add columns after them; or DROP VIEW ${displayName(view)} before line ${r.unit.stmt.line} (with what depends on it) and CREATE VIEW it anew`,
  });
}
