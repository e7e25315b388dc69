/**
 * `foreignKeys: resolution: replica`: a table referenced from another store
 * gets a replica in the referencing store, created from its owner's
 * definition (without that definition's own foreign keys), so the foreign key
 * keeps working there. Keeping the replica's rows in step (logical
 * replication, or the owning service writing to both) is the system's job;
 * the plan says so on the step.
 */
import { stripForeignKeys } from '../../sql/postgres/index.js';
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey } from '../object-keys.js';
import { findResolution } from './references.js';
import { unitPlace, type Unit } from '../read/units.js';

export function planReplicas(topology: Topology, units: readonly Unit[], log: ConflictLog): Unit[] {
  if (!topology.foreignKeys.some((f) => f.resolution === 'replica')) return [];
  const creators = new Map<string, Unit>();
  for (const u of units) {
    if (u.skipped || !u.store) continue;
    for (const e of u.stmt.effects) if (e.action === 'create' && e.object.kind === 'table') creators.set(storeKey(topology, u.store, u.stmt.engine, e.object), u);
  }
  const out: Unit[] = [];
  const made = new Set<string>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    const table = u.stmt.effects.find((e) => (e.action === 'create' || e.action === 'alter') && e.object.kind === 'table')?.object.name;
    for (const e of u.stmt.effects) {
      if (e.via !== 'foreign_key' || !table) continue;
      const here = storeKey(topology, u.store, 'postgres', e.object);
      if (creators.has(here) || made.has(here)) continue;
      const res = findResolution(topology.foreignKeys, table, e.columns ?? [], e.object.name);
      if (res?.resolution !== 'replica') continue;
      const source = [...creators.entries()].find(([k]) => k.endsWith(here.slice(here.indexOf('|'))))?.[1];
      if (!source) continue;
      made.add(here);
      const where = `${res.pos.file}:${res.pos.line}`;
      out.push({
        ...source,
        store: u.store,
        service: u.service,
        sql: stripForeignKeys(source.sql, () => true).sql,
        stmt: { ...source.stmt, effects: source.stmt.effects.filter((x) => x.via !== 'foreign_key') },
        notes: [`replica of ${e.object.name} from store "${source.store}" (${unitPlace(source)}) for the foreign key of ${table} (resolution replica at ${where}); keep its rows in step, e.g. with logical replication`],
      });
      log.add({
        kind: 'cross_store_foreign_key',
        object: `foreign key ${table}(${(e.columns ?? []).join(', ')}) → ${e.object.name}`,
        message: `plan: foreign key ${table}(${(e.columns ?? []).join(', ')}) → ${e.object.name} at "${unitPlace(u)}" crosses stores: "${table}" is in "${u.store}", "${e.object.name}" in "${source.store}"; PostgreSQL cannot enforce it`,
        sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: source.file.file, line: source.stmt.line, store: source.store }],
        severity: 'warning',
        resolution: `replica (${where}): "${e.object.name}" is replicated into "${u.store}" and the constraint kept${res.reason ? ` — ${res.reason}` : ''}`,
      });
    }
  }
  return out;
}
