/**
 * Constraint names already taken when a constraint is added: PostgreSQL rejects a second constraint of
 * one name on a table ("constraint ... for relation ... already exists"), and the index of a PRIMARY KEY,
 * UNIQUE or EXCLUDE constraint takes its name among the schema's relations ("relation ... already exists"),
 * so a named one collides with an index or another table's constraint of that name. A name PostgreSQL
 * chooses itself never collides (it picks a free one); a name written out does, unless the holder is gone
 * by then: its constraint dropped, its index dropped or its table dropped, by a statement ordered between.
 * Each is a `duplicate_create` conflict naming both places.
 *
 * @example
 * checkConstraintNames(topology, live, log, new Precedence(graph, stepOf));
 * // plan: constraint "orders_customer_fk" at "billing/002.sql:1" is already a constraint of table "orders" ...
 */
import type { Topology } from '../../topology/model.js';
import type { ConstraintName, ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import { storeKey } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import type { Precedence } from '../order/precedence.js';
import { pushTo } from '../push-to.js';

interface Holder {
  readonly unit: Unit;
  readonly name: string;
  readonly table: string;
  /** The store key of its table; empty for an index. */
  readonly tableKey: string;
  readonly what: string;
  /** Written out: a name PostgreSQL chose is never the one that collides. */
  readonly written: boolean;
}

/** Per name space (a table's constraints, a schema's relations) and name: who holds it, and what ends a holding. */
class Names {
  readonly holders = new Map<string, Holder[]>();
  readonly ends = new Map<string, Unit[]>();

  hold(space: string, h: Holder): void {
    pushTo(this.holders, `${space}|${h.name}`, h);
  }

  end(space: string, name: string, u: Unit): void {
    pushTo(this.ends, `${space}|${name}`, u);
  }
}

export function checkConstraintNames(topology: Topology, units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  const tables = new Names();
  const relations = new Names();
  const spaceOf = (u: Unit, ref: ObjectRef) => storeKey(topology, u.store!, 'postgres', ref);
  const schemaOf = (u: Unit, ref: ObjectRef) => `${u.store}|${ref.schema ?? 'public'}`;
  // Nearly every constraint's name is PostgreSQL's own choice: nothing written out, nothing to collide, and
  // the name spaces are not worth building.
  if (!units.some(writesConstraintName)) return;
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind === 'index' && e.action === 'create' && !e.ifNotExists) relations.hold(schemaOf(u, e.object), { unit: u, name: e.object.name, table: '', tableKey: '', what: 'index', written: true });
      if (e.object.kind === 'index' && (e.action === 'drop' || e.action === 'rename')) relations.end(schemaOf(u, e.object), e.object.name, u);
      if (e.object.kind !== 'table') continue;
      const table = spaceOf(u, e.object);
      // A table's constraints go with its name; its indexes keep theirs through a rename (only a drop frees them).
      if (e.action === 'drop' || e.action === 'rename') tables.end(table, '*', u);
      if (e.action === 'drop') tables.end(table, '\u0000', u);
      const facts = e.columnFacts;
      for (const name of facts?.droppedConstraints ?? []) {
        tables.end(table, name, u);
        relations.end(schemaOf(u, e.object), name, u);
      }
      for (const k of facts?.constraints ?? []) {
        // A CREATE TABLE IF NOT EXISTS that meets its table is a no-op: that is the table's duplicate, reported with it.
        const h = { unit: u, name: k.name, table: e.object.name, tableKey: table, what: `${k.kind} constraint`, written: !k.chosen && !(e.action === 'create' && e.ifNotExists) };
        tables.hold(table, h);
        // USING INDEX takes over an index that exists already (renamed to the constraint's name): no new one.
        if (makesIndex(k) && !k.usingIndex) relations.hold(schemaOf(u, e.object), h);
      }
    }
  }
  report(tables, tables, order, log, (h, first) => `constraint "${h.name}" at "${unitPlace(h.unit)}" is already a constraint of table "${h.table}", added at "${unitPlace(first.unit)}"`, (h) => `give the constraint another name, or drop the first before adding it (ALTER TABLE ${h.table} DROP CONSTRAINT ${h.name})`);
  report(relations, tables, order, log, (h, first) => `constraint "${h.name}" at "${unitPlace(h.unit)}" makes an index named "${h.name}", but ${first.what === 'index' ? 'an index' : `the ${first.what} of table "${first.table}"`} at "${unitPlace(first.unit)}" has that name in its schema already (an index is named after its constraint)`, (h) => `give the constraint a name no index or constraint of the schema has, e.g. ${h.table}_${h.name}`);
}

/** A live PostgreSQL statement that gives a table a constraint under a name written out. */
function writesConstraintName(u: Unit): boolean {
  if (u.skipped || !u.store || u.stmt.engine !== 'postgres') return false;
  return u.stmt.effects.some((e) => e.object.kind === 'table' && e.columnFacts?.constraints?.some((k) => !k.chosen));
}

function makesIndex(k: ConstraintName): boolean {
  return k.kind === 'primary key' || k.kind === 'unique' || k.kind === 'exclusion';
}

/**
 * `tables`: where a table's drop is recorded (it ends every name the table holds). Only constraints are
 * reported here; an index whose name a constraint holds is checked in index-names.ts. In the schema's
 * name space a constraint meets only other tables' constraints and indexes (its own table's are above).
 */
function report(names: Names, tables: Names, order: Precedence, log: ConflictLog, message: (h: Holder, first: Holder) => string, hint: (h: Holder) => string): void {
  for (const [key, list] of names.holders) {
    if (list.length < 2 || !list.some((h) => h.written && h.tableKey)) continue;
    const ends = (x: Holder) => [...(names.ends.get(key) ?? []), ...(x.tableKey ? tables.ends.get(`${x.tableKey}|${names === tables ? '*' : '\u0000'}`) ?? [] : [])];
    for (const h of list) {
      if (!h.written || !h.tableKey) continue;
      const first = list.find((x) => x !== h && (names === tables || x.tableKey !== h.tableKey) && holds(x, h, ends(x), order, list));
      if (!first) continue;
      log.add({
        kind: 'duplicate_create',
        object: `constraint ${h.name}`,
        objectName: h.name,
        message: `plan: ${message(h, first)}${h.unit.store ? ` in store "${h.unit.store}"` : ''}`,
        sources: [h, first].map((x) => ({ file: x.unit.file.file, line: x.unit.stmt.line, set: x.unit.set.name, store: x.unit.store })),
        severity: 'error',
        hint: hint(h),
      });
    }
  }
}

/**
 * Whether `x` still has the name when `h` is added: it is added earlier in the same statement, or before
 * it with nothing that ends it in between; or nothing orders the two (one of them fails, whichever runs second).
 */
function holds(x: Holder, h: Holder, ends: readonly Unit[], order: Precedence, list: readonly Holder[]): boolean {
  if (x.unit === h.unit) return list.indexOf(x) < list.indexOf(h);
  if (order.before(x.unit, h.unit)) return !ends.some((e) => e !== h.unit && order.before(x.unit, e) && order.before(e, h.unit));
  // Unordered: reported once, at the later one in the author's order.
  return !order.before(h.unit, x.unit) && x.unit.seq < h.unit.seq;
}

