/**
 * A foreign key must reference a primary key or unique constraint of its
 * table: `REFERENCES users (email)` of a column nothing makes unique fails
 * ("there is no unique constraint matching given keys for referenced table
 * users"), and `REFERENCES tags` of a table with no primary key fails ("there
 * is no primary key for referenced table tags"). For a table one plain CREATE
 * TABLE makes, and that no other statement gives a key or unique index, or
 * takes one away, or renames or drops columns of, the keys are those the CREATE
 * TABLE lists: a foreign key that matches none is a `foreign_key_target` error.
 *
 * @example
 * checkForeignKeyTargets(topology, live, log);
 * // plan: the foreign key at "b/001.sql:1" references users (email), which no primary key or unique constraint of the table is ...
 */
import type { Topology } from '../../topology/model.js';
import type { ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey, type StoreKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { pushTo } from '../push-to.js';

interface Reference {
  readonly unit: Unit;
  readonly table: ObjectRef;
  readonly columns?: readonly string[];
}

export function checkForeignKeyTargets(topology: Topology, units: readonly Unit[], log: ConflictLog): void {
  const refs = new Map<StoreKey, Reference[]>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.action === 'reference' && e.via === 'foreign_key') pushTo(refs, storeKey(topology, u.store, 'postgres', e.object), { unit: u, table: e.object, ...(e.refColumns?.length ? { columns: e.refColumns } : {}) });
    }
  }
  if (refs.size === 0) return;
  // What else each referenced table sees: its creations, and what may change its keys.
  const creators = new Map<StoreKey, Unit[]>();
  const changed = new Set<StoreKey>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'table' && e.via !== 'index_table') continue;
      const key = storeKey(topology, u.store, 'postgres', e.object);
      if (!refs.has(key)) continue;
      if (e.action === 'create' && e.object.kind === 'table') pushTo(creators, key, u);
      else if (changesKeys(u, e.action, e.columnFacts)) changed.add(key);
    }
  }
  refs.forEach((list, key) => {
    const made = creators.get(key);
    if (changed.has(key) || made?.length !== 1 || made[0]!.stmt.kind !== 'CreateStmt') return;
    const facts = made[0]!.stmt.effects.find((e) => e.action === 'create' && e.object.kind === 'table')?.columnFacts;
    if (!facts?.complete) return;
    const keys = (facts.constraints ?? []).filter((c) => c.kind === 'primary key' || c.kind === 'unique');
    // A key made from an index (USING INDEX) has the index's columns, which the facts do not list.
    if (keys.some((k) => !k.columns)) return;
    for (const r of list) {
      const target = r.columns;
      const found = target ? keys.some((k) => k.columns!.length === target.length && k.columns!.every((c) => target.includes(c))) : keys.some((k) => k.kind === 'primary key');
      if (!found) report(log, r, made[0]!);
    }
  });
}

/** Whether a statement other than the CREATE TABLE may give the table a key, take one away, or change the columns keys name. */
function changesKeys(u: Unit, action: string, facts: { readonly constraints?: readonly unknown[]; readonly droppedConstraints?: readonly string[]; readonly dropped?: readonly string[] } | undefined): boolean {
  if (u.stmt.kind === 'IndexStmt') return /^\s*create\s+unique\b/i.test(u.sql);
  if (action === 'drop' || action === 'rename') return true;
  return action === 'alter' && !!(facts?.constraints?.length || facts?.droppedConstraints?.length || facts?.dropped?.length || u.stmt.kind === 'RenameStmt' || u.stmt.kind === 'DoStmt');
}

function report(log: ConflictLog, r: Reference, creator: Unit): void {
  const name = r.table.name;
  const what = r.columns ? `references ${name} (${r.columns.join(', ')}), which no primary key or unique constraint of the table is` : `references ${name} by its primary key, which the table does not have`;
  log.add({
    kind: 'foreign_key_target',
    object: `table ${name}`,
    objectName: name,
    message: `plan: the foreign key at "${unitPlace(r.unit)}" ${what} ("${unitPlace(creator)}" makes it): PostgreSQL refuses a foreign key to anything but a key of its table`,
    sources: [{ file: r.unit.file.file, line: r.unit.stmt.line, store: r.unit.store }, { file: creator.file.file, line: creator.stmt.line, store: creator.store }],
    severity: 'error',
    hint: r.columns
      ? `make the referenced columns unique first (ALTER TABLE ${name} ADD UNIQUE (${r.columns.join(', ')})), or reference the table's primary key`
      : `give ${name} a primary key first, or name the referenced columns: REFERENCES ${name} (<unique columns>)`,
  });
}
