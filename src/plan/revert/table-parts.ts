/**
 * The triggers and indexes the plan's steps create, by the table they are on,
 * for the reverts: they go with their table when the table is renamed or moved
 * to another schema, and a later `DROP TRIGGER trg ON users` or
 * `DROP INDEX app.t_name` names them there. Its
 * creation is then found under that name, with the statement made again on
 * the table's new name (see made-on-table.ts), so the drop's revert makes it
 * again where it is dropped from, and the rename's revert takes it back.
 *
 * @example
 * const parts = new TableParts();
 * parts.beforeStep(units, key, created); // the step's renames move what earlier steps made
 * // ... the step's revert, reading `created` ...
 * parts.afterStep(units, key, created);  // then what the step makes, moved by its own later renames
 */
import { renamedRef, type Effect, type ObjectRef } from '../../sql/effects.js';
import { madeOnTable } from '../../sql/postgres/made-on-table.js';
import type { Unit } from '../read/units.js';
import { indexTableOf } from '../read/index-table.js';
import { pushTo } from '../push-to.js';

/** A creating statement, as the reverts record it (see step-reverts.ts). */
interface Made {
  readonly sql: string;
}

/** An object's key in the step's store. */
type KeyOf = (o: ObjectRef) => string;

export class TableParts {
  /** The triggers and indexes of earlier steps, by the key of the table each is on now. */
  private readonly onTable = new Map<string, ObjectRef[]>();

  /** Moves the triggers and indexes earlier steps made along the step's renames, so a drop later in the step finds them. */
  beforeStep<C extends Made>(units: readonly Unit[], keyOf: KeyOf, created: Map<string, C>): void {
    if (this.onTable.size > 0) follow(units, keyOf, created, this.onTable, false);
  }

  /** Records the triggers and indexes the step makes, moved along the renames after them in the step. */
  afterStep<C extends Made>(units: readonly Unit[], keyOf: KeyOf, created: Map<string, C>): void {
    const mine = new Map<string, ObjectRef[]>();
    follow(units, keyOf, created, mine, true);
    for (const [table, parts] of mine) for (const p of parts) pushTo(this.onTable, table, p);
  }
}

/** The key of the table a trigger is on (views and foreign tables have triggers too: one namespace). */
function tableOf(keyOf: KeyOf, o: { readonly name: string; readonly schema?: string }): string {
  return keyOf({ kind: 'table', name: o.name, ...(o.schema !== undefined ? { schema: o.schema } : {}) });
}

function follow<C extends Made>(units: readonly Unit[], keyOf: KeyOf, created: Map<string, C>, onTable: Map<string, ObjectRef[]>, record: boolean): void {
  for (const u of units) {
    if (u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      const on = record && e.action === 'create' ? partOf(u, e) : undefined;
      if (on !== undefined) {
        const table = tableOf(keyOf, { name: on, ...(e.object.schema !== undefined ? { schema: e.object.schema } : {}) });
        pushTo(onTable, table, e.object);
      } else if (e.action === 'rename' && e.renameTo !== undefined && onTable.size > 0) {
        move(e, keyOf, created, onTable);
      }
    }
  }
}

/** The table a created trigger or index is on (an index is in its table's schema, as PostgreSQL has it). */
function partOf(u: Unit, e: Effect): string | undefined {
  if (e.object.kind === 'trigger') return e.object.table;
  return e.object.kind === 'index' ? indexTableOf(u, e.object) : undefined;
}

/** A relation renamed or moved: its triggers and indexes are on its new name, made again by their statement naming it. */
function move<C extends Made>(e: Effect, keyOf: KeyOf, created: Map<string, C>, onTable: Map<string, ObjectRef[]>): void {
  const from = tableOf(keyOf, e.object);
  const parts = onTable.get(from);
  if (!parts) return;
  onTable.delete(from);
  const to = renamedRef(e.object, e);
  const toKey = tableOf(keyOf, to);
  // The statement keeps the schema it was written with unless the table left it.
  const table = e.renameSchema !== undefined ? { name: to.name, schema: e.renameSchema } : { name: to.name };
  for (const t of parts) {
    // A trigger is named within its table; an index within its schema only.
    const now: ObjectRef = { ...t, ...(t.kind === 'trigger' ? { table: to.name } : {}), ...(to.schema !== undefined ? { schema: to.schema } : {}) };
    pushTo(onTable, toKey, now);
    const made = created.get(keyOf(t));
    const sql = made ? madeOnTable(made.sql, table) : undefined;
    if (made && sql !== undefined) created.set(keyOf(now), { ...made, sql });
  }
}
