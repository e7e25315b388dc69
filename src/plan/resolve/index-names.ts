/**
 * Index names already taken in a store: a `CREATE INDEX` (without IF NOT EXISTS) whose name is that of
 * the index a PRIMARY KEY or UNIQUE constraint makes — written, or chosen by PostgreSQL as
 * `table_column_key` / `table_pkey` — fails at apply with "relation already exists". It is a
 * `duplicate_create` conflict naming both places.
 *
 * @example
 * checkIndexNames(topology, live, log);
 * // plan: index "accounts_email_key" at "accounts/0002.sql:3" is already the name of the index the UNIQUE ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import { unitPlace, type Unit } from '../read/units.js';

export function checkIndexNames(topology: Topology, units: readonly Unit[], log: ConflictLog): void {
  const made = new Map<string, { unit: Unit; table: string }>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table' || (e.action !== 'create' && e.action !== 'alter')) continue;
      for (const name of e.columnFacts?.indexes ?? []) {
        const k = `${u.store}|${e.object.schema ?? 'public'}.${name}`;
        if (!made.has(k)) made.set(k, { unit: u, table: e.object.name });
      }
    }
  }
  if (made.size === 0) return;
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres' || u.stmt.kind !== 'IndexStmt') continue;
    const e = u.stmt.effects.find((x) => x.action === 'create' && x.object.kind === 'index');
    if (!e || e.ifNotExists) continue;
    const owner = made.get(`${u.store}|${e.object.schema ?? 'public'}.${e.object.name}`);
    if (!owner || owner.unit === u) continue;
    log.add({
      kind: 'duplicate_create',
      object: `index ${e.object.name}`,
      objectName: e.object.name,
      message: `plan: index "${e.object.name}" at "${unitPlace(u)}" is already the name of the index a constraint of table "${owner.table}" makes at "${unitPlace(owner.unit)}" in store "${u.store}" (PostgreSQL names a UNIQUE constraint's index table_column_key, a primary key's table_pkey)`,
      sources: [{ file: u.file.file, line: u.stmt.line, set: u.set.name, store: u.store }, { file: owner.unit.file.file, line: owner.unit.stmt.line, set: owner.unit.set.name, store: owner.unit.store }],
      severity: 'error',
      hint: `give the index another name, or drop the constraint first (ALTER TABLE ${owner.table} DROP CONSTRAINT ${e.object.name}) if the index replaces it`,
    });
  }
}
