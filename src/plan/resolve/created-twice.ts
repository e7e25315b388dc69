/**
 * Objects of the given kinds that more than one statement creates in a store
 * (`CREATE OR REPLACE VIEW` again, a trigger made anew): what such an object
 * reads or uses depends on which definition ran last, so checks that rely on
 * one definition leave it alone.
 *
 * @example
 * createdTwice(live, new Set(['view']), (store, ref) => storeKey(topology, store, 'postgres', ref)) // Set { 'main|view:public.totals' }
 */
import type { ObjectRef } from '../../sql/effects.js';
import type { StoreKey } from '../object-keys.js';
import type { Unit } from '../read/units.js';

export function createdTwice(units: readonly Unit[], kinds: ReadonlySet<string>, keyOf: (store: string, ref: ObjectRef) => StoreKey): Set<StoreKey> {
  const seen = new Set<StoreKey>();
  const twice = new Set<StoreKey>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.action !== 'create' || !kinds.has(e.object.kind)) continue;
      const key = keyOf(u.store, e.object);
      if (seen.has(key)) twice.add(key);
      else seen.add(key);
    }
  }
  return twice;
}
