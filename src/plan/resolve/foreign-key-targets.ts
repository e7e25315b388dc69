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
 * checkForeignKeyTargets(lifecycle, log);
 * // plan: the foreign key at "b/001.sql:1" references users (email), which no primary key or unique constraint of the table is ...
 */
import type { ColumnFacts } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, Version } from '../order/lifecycle.js';
import { isSynth } from '../order/nodes.js';
import { unitPlace, type Unit } from '../read/units.js';

type ForeignKey = Lifecycle['foreignKeys'][number];

export function checkForeignKeyTargets(lifecycle: Lifecycle, log: ConflictLog): void {
  // Per referenced table version: its CREATE TABLE's keys, or undefined when other statements may change them.
  const keysOf = new Map<Version, ColumnFacts['constraints'] | undefined>();
  for (const fk of lifecycle.foreignKeys) {
    if (fk.node.stmt.engine !== 'postgres') continue;
    const v = fk.version;
    if (!keysOf.has(v)) keysOf.set(v, tableKeys(lifecycle, v));
    const keys = keysOf.get(v);
    if (!keys) continue;
    const target = fk.effect.refColumns?.length ? fk.effect.refColumns : undefined;
    // A column the table does not have is the unknown_column check's.
    if (target && !target.every((c) => columnsOf(v)?.includes(c))) continue;
    const found = target ? keys.some((k) => k.columns!.length === target.length && k.columns!.every((c) => target.includes(c))) : keys.some((k) => k.kind === 'primary key');
    if (!found) report(log, fk, v.node as Unit);
  }
}

/** The primary and unique keys the one CREATE TABLE of `v` gives it, when nothing else may give or take one (else undefined). */
function tableKeys(lifecycle: Lifecycle, v: Version): ColumnFacts['constraints'] | undefined {
  if (isSynth(v.node) || v.node.stmt.kind !== 'CreateStmt' || v.ref.kind !== 'table' || v.ended?.by === 'rename' || lifecycle.versions.get(v.key)?.length !== 1) return undefined;
  const facts = v.node.stmt.effects.find((e) => e.action === 'create' && e.object.kind === 'table' && e.object.name === v.ref.name)?.columnFacts;
  if (!facts?.complete) return undefined;
  for (const u of v.users ?? []) if (!isSynth(u) && changesKeys(u, v.ref.name)) return undefined;
  const keys = (facts.constraints ?? []).filter((c) => c.kind === 'primary key' || c.kind === 'unique');
  // A key made from an index (USING INDEX) has the index's columns, which the facts do not list.
  return keys.some((k) => !k.columns) ? undefined : keys;
}

/** The columns the CREATE TABLE of `v` lists. */
function columnsOf(v: Version): readonly string[] | undefined {
  return isSynth(v.node) ? undefined : v.node.stmt.effects.find((e) => e.action === 'create' && e.object.kind === 'table' && e.object.name === v.ref.name)?.columnFacts?.added;
}

/** Whether a statement using the table may give it a key, take one away, or change the columns keys name. */
function changesKeys(u: Unit, table: string): boolean {
  if (u.stmt.kind === 'IndexStmt') return /^\s*create\s+unique\b/i.test(u.sql);
  if (u.stmt.kind === 'RenameStmt' || u.stmt.kind === 'DoStmt') return true;
  return u.stmt.effects.some((e) => e.action === 'alter' && e.object.name === table && !!(e.columnFacts?.constraints?.length || e.columnFacts?.droppedConstraints?.length || e.columnFacts?.dropped?.length));
}

function report(log: ConflictLog, fk: ForeignKey, creator: Unit): void {
  const name = fk.version.ref.name;
  const columns = fk.effect.refColumns?.length ? fk.effect.refColumns : undefined;
  const u = fk.node;
  const what = columns ? `references ${name} (${columns.join(', ')}), which no primary key or unique constraint of the table is` : `references ${name} by its primary key, which the table does not have`;
  log.add({
    kind: 'foreign_key_target',
    object: `table ${name}`,
    objectName: name,
    message: `plan: the foreign key at "${unitPlace(u)}" ${what} ("${unitPlace(creator)}" makes it): PostgreSQL refuses a foreign key to anything but a key of its table`,
    sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }, { file: creator.file.file, line: creator.stmt.line, store: creator.store }],
    severity: 'error',
    hint: columns
      ? `make the referenced columns unique first (ALTER TABLE ${name} ADD UNIQUE (${columns.join(', ')})), or reference the table's primary key`
      : `give ${name} a primary key first, or name the referenced columns: REFERENCES ${name} (<unique columns>)`,
  });
}
