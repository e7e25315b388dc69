/**
 * One name space per PostgreSQL schema for tables, views, materialized views,
 * sequences and indexes (pg_class), and a row type of its name for each table,
 * view and materialized view (pg_type): `CREATE INDEX users_email ON users (email)`
 * while a table `users_email` exists fails ("relation users_email already exists"),
 * and so does `CREATE TYPE users AS ENUM (...)` beside a table `users`
 * ("type users already exists"). A creation (without IF NOT EXISTS) of one kind
 * whose name another kind holds by then — made before it with nothing dropping
 * or renaming it in between, or made with nothing ordering the two — is a
 * `duplicate_create` conflict naming both places; so is a rename to a name that
 * any such kind holds (`ALTER TABLE users RENAME TO people` beside a table
 * `people`). Two creations of one kind are the duplicates check's; an index a
 * constraint makes is constraint-names.ts's.
 *
 * @example
 * checkRelationNames(live, log, new Precedence(graph, stepOf));
 * // plan: index "users_email" at "b/002.sql:1" takes the name of table users_email ("b/001.sql:1") ...
 */
import type { Effect, ObjectKind } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import { unitPlace, type Unit } from '../read/units.js';
import { sharePostgresNames } from '../object-keys.js';
import type { Precedence } from '../order/precedence.js';
import { pushTo } from '../push-to.js';

const NAMED: ReadonlySet<string> = new Set(['table', 'view', 'materialized_view', 'sequence', 'index', 'type']);

interface Holding {
  readonly unit: Unit;
  readonly kind: ObjectKind;
  readonly name: string;
  readonly create: boolean;
  /** Made by a rename (`ALTER TABLE a RENAME TO b`): it meets a holder of its own kind too, which no duplicate check sees. */
  readonly renamed?: true;
  /** For a rename: the name it had. */
  readonly from?: string;
}

export function checkRelationNames(units: readonly Unit[], log: ConflictLog, order: Precedence): void {
  // Names of more than one kind, found by name alone (no key string per object): nearly every name has one kind.
  const kindOf = new Map<string, string>();
  const mixed = new Set<string>();
  // A loop of its own, not forEachNamed: this pass meets every effect of the plan.
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.action === 'rename') {
        // A name something is renamed to is checked against every kind.
        if (e.renameTo && !e.renameSchema) mixed.add(e.renameTo);
      } else if (e.action !== 'create' && e.action !== 'drop') continue;
      const kind = e.object.kind;
      if (!NAMED.has(kind)) continue;
      const seen = kindOf.get(e.object.name);
      if (seen === undefined) kindOf.set(e.object.name, kind);
      else if (seen !== kind) mixed.add(e.object.name);
    }
  }
  if (mixed.size === 0) return;
  // Their creations, drops and renames by `store|schema.name`.
  const byName = new Map<string, Holding[]>();
  forEachNamed(units, (u, e) => {
    const schema = e.object.schema ?? 'public';
    if (mixed.has(e.object.name)) pushTo(byName, `${u.store}|${schema}.${e.object.name}`, { unit: u, kind: e.object.kind, name: e.object.name, create: e.action === 'create' && !e.ifNotExists && !e.orReplace });
    if (e.action === 'rename' && e.renameTo && !e.renameSchema && !e.ifExists) pushTo(byName, `${u.store}|${schema}.${e.renameTo}`, { unit: u, kind: e.object.kind, name: e.renameTo, create: true, renamed: true, from: e.object.name });
  });
  byName.forEach((list) => {
    if (!list.some((h) => h.kind !== list[0]!.kind || h.renamed)) return;
    for (const made of list) {
      if (!made.create) continue;
      const holder = list.find((x) => x.unit !== made.unit && x.create && meets(x, made) && holds(x, made, list, order));
      if (holder) report(log, made.name, made, holder);
    }
  });
}

/** Whether `made` cannot take the name `x` holds: another kind sharing the names, or its own kind when either came by a rename. */
function meets(x: Holding, made: Holding): boolean {
  return sharePostgresNames(x.kind, made.kind) || (x.kind === made.kind && (x.renamed === true || made.renamed === true));
}

/** The creations, drops and renames of PostgreSQL relations and types. */
function forEachNamed(units: readonly Unit[], f: (u: Unit, e: Effect) => void): void {
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) if ((e.action === 'create' || e.action === 'drop' || e.action === 'rename') && NAMED.has(e.object.kind)) f(u, e);
  }
}

/** `x` holds the name when `made` runs: made before it with no drop or rename of it in between, or nothing orders the two (reported at the later one). */
function holds(x: Holding, made: Holding, list: readonly Holding[], order: Precedence): boolean {
  if (order.before(x.unit, made.unit)) return !list.some((d) => !d.create && d.kind === x.kind && d.unit !== made.unit && order.before(x.unit, d.unit) && order.before(d.unit, made.unit));
  return !order.before(made.unit, x.unit) && x.unit.seq < made.unit.seq;
}

function report(log: ConflictLog, name: string, made: Holding, holder: Holding): void {
  const what = (k: ObjectKind) => k.replace('_', ' ');
  const space = made.kind === holder.kind ? 'a schema has one object of a name and kind' : made.kind === 'type' || holder.kind === 'type' ? 'a table, view or materialized view has a row type of its name' : 'tables, views, sequences and indexes share one name space per schema';
  log.add({
    kind: 'duplicate_create',
    object: `${what(made.kind)} ${name}`,
    objectName: name,
    message: `plan: ${made.renamed ? `the rename at "${unitPlace(made.unit)}" gives ${what(made.kind)} ${made.from} the name "${name}", which` : `${what(made.kind)} "${name}" at "${unitPlace(made.unit)}" takes the name of`} ${what(holder.kind)} ${name} ("${unitPlace(holder.unit)}")${made.renamed ? ' holds' : ''} in store "${made.unit.store}": in PostgreSQL ${space}`,
    sources: [{ file: made.unit.file.file, line: made.unit.stmt.line, set: made.unit.set.name, store: made.unit.store }, { file: holder.unit.file.file, line: holder.unit.stmt.line, set: holder.unit.set.name, store: holder.unit.store }],
    severity: 'error',
    hint: `give the ${what(made.kind)} another name, or drop the ${what(holder.kind)} ${name} before it`,
  });
}
