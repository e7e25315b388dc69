/**
 * `planTransition()`: what moving a running system from topology A to B
 * means, table by table: which tables leave which database for which, in
 * foreign-key order (parents first, by their position in B's plan), and the
 * connection each moved service must use afterwards.
 *
 * @example
 * const tp = planTransition(planA, planB);
 * tp.tables.map((t) => `${t.table}: ${t.from.database} → ${t.to.database}`)
 */
import { diffTopologies } from '../diff/diff-topologies.js';
import type { DefinitionKind } from '../engines/postgres/backup-definitions.js';
import type { Plan } from '../plan/model.js';

export interface Place {
  readonly store: string;
  readonly database: string;
}

export interface TableMove {
  readonly table: string;
  readonly service: string;
  readonly from: Place;
  readonly to: Place;
}

/** An object without rows a moved service owns (function, type, sequence, view): contract drops it from its old database. */
const DEFINITION_KINDS: readonly string[] = ['function', 'type', 'sequence', 'view', 'materialized_view'] satisfies readonly DefinitionKind[];

export interface ObjectMove {
  readonly kind: DefinitionKind;
  readonly name: string;
  readonly service: string;
  readonly from: Place;
}

export interface Cutover {
  readonly service: string;
  readonly env: string;
  readonly store: string;
  readonly database: string;
  /** The new store's url as written in topology B. */
  readonly url?: string;
  /** The `search_path` the service's connection must set: its sqlx ledger is in a schema of its own (topology B's `sqlx: { schema }`). */
  readonly searchPath?: string;
}

export interface TransitionPlan {
  readonly from: { readonly topology: string; readonly file: string };
  readonly to: { readonly topology: string; readonly file: string };
  readonly tables: readonly TableMove[];
  /** The other objects the moved services leave behind, in the order contract drops them: views first (before the tables), then functions, types, sequences. */
  readonly objects: readonly ObjectMove[];
  readonly cutover: readonly Cutover[];
  /**
   * Plan B restricted to the databases A does not have: the expand phase applies it.
   * Databases both topologies use are A's already; their tables leave only at contract.
   */
  readonly planB: Plan;
  readonly newStores: readonly string[];
}

export function planTransition(a: Plan, b: Plan): TransitionPlan {
  const diff = diffTopologies(a, b);
  // The surviving definition is the last step that creates the table; several tables of one step keep their statement order.
  const position = (table: string) => {
    for (let i = b.steps.length - 1; i >= 0; i--) {
      const j = b.steps[i]!.changes.findIndex((c) => c.action === 'create' && c.kind === 'table' && c.name === table);
      if (j >= 0) return i * 1000 + j;
    }
    return -1;
  };
  const place = (plan: Plan, store: string): Place | undefined => {
    const s = plan.stores.find((x) => x.name === store);
    return s && s.engine === 'postgres' ? { store, database: s.database } : undefined;
  };
  const tables: TableMove[] = [];
  const objects: ObjectMove[] = [];
  for (const m of diff.moves) {
    for (const o of m.objects) {
      if (DEFINITION_KINDS.includes(o.kind)) {
        for (const s of o.from) {
          const from = o.to.includes(s) ? undefined : place(a, s);
          if (from) objects.push({ kind: o.kind as DefinitionKind, name: o.name, service: m.service, from });
        }
        continue;
      }
      if (o.kind !== 'table' || o.from.length !== 1 || o.to.length !== 1) continue;
      const from = place(a, o.from[0]!);
      const to = place(b, o.to[0]!);
      if (from && to) tables.push({ table: o.name, service: m.service, from, to });
    }
  }
  const order: readonly string[] = ['view', 'materialized_view', 'function', 'type', 'sequence'];
  objects.sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind) || x.name.localeCompare(y.name));
  tables.sort((x, y) => position(x.table) - position(y.table) || x.table.localeCompare(y.table));
  const cutover = diff.services
    .filter((s) => s.changes && s.b.store && s.b.database)
    .map((s) => {
      const searchPath = b.services.find((x) => x.name === s.service)?.sqlx?.searchPath;
      return { service: s.service, env: s.env, store: s.b.store!, database: s.b.database!, ...(s.b.url ? { url: s.b.url } : {}), ...(searchPath ? { searchPath } : {}) };
    });
  const existing = new Set(a.stores.map((s) => `${s.engine}/${s.database}`));
  const newStores = b.stores.filter((s) => !existing.has(`${s.engine}/${s.database}`)).map((s) => s.name);
  const keep = new Set(b.steps.filter((s) => newStores.includes(s.store)).map((s) => s.id));
  const planB: Plan = {
    ...b,
    steps: b.steps.filter((s) => keep.has(s.id)).map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => keep.has(d)) })),
    expectations: b.expectations.filter((e) => newStores.includes(e.store) && e.after !== 'contract'),
  };
  return { from: { topology: a.topology, file: a.file }, to: { topology: b.topology, file: b.file }, tables, objects, cutover, planB, newStores };
}
