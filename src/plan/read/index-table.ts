/**
 * The table a statement's index is on: the one its CREATE INDEX names (its
 * `index_table` reference), in the index's own schema, as PostgreSQL puts an
 * index beside its table. Undefined when the statement names none there.
 *
 * @example
 * indexTableOf(unitOf('CREATE INDEX t_name ON app.t (name)'), { kind: 'index', name: 't_name', schema: 'app' }) // 't'
 */
import type { ObjectRef } from '../../sql/effects.js';
import type { Unit } from './units.js';

export function indexTableOf(u: Pick<Unit, 'stmt'>, index: ObjectRef): string | undefined {
  const on = u.stmt.effects.find((e) => e.via === 'index_table')?.object;
  return on && (on.schema ?? 'public') === (index.schema ?? 'public') ? on.name : undefined;
}
