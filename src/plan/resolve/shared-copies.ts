/**
 * Shared objects (declared `shared:`) must exist in every store that uses
 * them. When a store references one that only another store's migrations
 * create, the creating statement is also planned in that store.
 */
import type { ObjectRef } from '../../sql/effects.js';
import { nameKey, type Ownership } from '../route/ownership.js';
import { unitPlace, type Unit } from '../read/units.js';

export function replicateShared(units: readonly Unit[], ownership: Ownership): Unit[] {
  const creators = new Map<string, Unit>();
  const createdIn = new Set<string>();
  const usedIn = new Map<string, { ref: ObjectRef; stores: Set<string> }>();
  for (const u of units) {
    if (u.skipped || !u.store) continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind === 'extension' || !ownership.isShared(e.object)) continue;
      const k = nameKey(e.object);
      if (e.action === 'create') {
        if (!creators.has(k)) creators.set(k, u);
        createdIn.add(`${u.store}|${k}`);
      } else if (e.action === 'reference') {
        const entry = usedIn.get(k) ?? { ref: e.object, stores: new Set<string>() };
        entry.stores.add(u.store);
        usedIn.set(k, entry);
      }
    }
  }
  const out: Unit[] = [];
  for (const [k, { stores }] of [...usedIn].sort(([a], [b]) => a.localeCompare(b))) {
    const source = creators.get(k);
    if (!source) continue;
    for (const store of [...stores].sort()) {
      if (createdIn.has(`${store}|${k}`)) continue;
      createdIn.add(`${store}|${k}`);
      out.push({ ...source, store, notes: [...source.notes, `shared: copied from "${unitPlace(source)}" (store "${source.store}") because store "${store}" uses it`] });
    }
  }
  return out;
}
