/**
 * The words on a dependency edge: why one step must run before another.
 * Most dependencies join statements of the same step and never reach the
 * plan, so a use of an object is recorded with its effect and worded only
 * when it becomes an edge between two steps.
 *
 * @example
 * depReason({ from, to, reason: { action: 'reference', via: 'foreign_key', columns: ['user_id'], object: { kind: 'table', name: 'users' } } })
 * // 'foreign key (user_id) → table users'
 */
import type { Effect, ObjectRef } from '../../sql/effects.js';
import type { Dep } from './nodes.js';

export function depReason(d: Dep): string {
  return typeof d.reason === 'string' ? d.reason : reasonFor(d.reason);
}

/** `table shares`, `trigger comments.trg_touch`, `function audit.stamp`. */
export function label(o: ObjectRef): string {
  // A trigger is named within its table: `trigger app.posts.trg`, `trigger posts.trg`.
  const name = o.kind === 'trigger' && o.table ? `${o.table}.${o.name}` : o.name;
  return `${o.kind.replace('_', ' ')} ${o.schema && o.schema !== 'public' ? `${o.schema}.` : ''}${name}`;
}

function reasonFor(e: Effect): string {
  const what = label(e.object);
  switch (e.via) {
    case 'foreign_key':
      return `foreign key ${e.columns?.length ? `(${e.columns.join(', ')}) ` : ''}→ ${what}`;
    case 'trigger_function':
      return `trigger executes ${what}`;
    case 'trigger_table':
      return `trigger on ${what}`;
    case 'index_table':
      return `index on ${what}`;
    case 'view_source':
    case 'mv_source':
      return `view reads ${what}`;
    case 'mv_target':
      return `materialized view writes to ${what}`;
    case 'type_usage':
      return `uses ${what}`;
    case 'sequence_usage':
      return `uses ${what}`;
    case 'function_call':
      return `calls ${what}`;
    default:
      return e.action === 'write' ? `writes rows of ${what}` : e.action === 'alter' ? `alters ${what}` : `references ${what}`;
  }
}
