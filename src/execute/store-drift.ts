/**
 * `storeDrift()`: what a live store holds that its migrations did not make,
 * and what they made that is gone or changed. When the store's committed
 * schema file (`<schemaDir>/<store>.json`, written by `topoplan check
 * --update`) describes the state the store is in (every step of its phase
 * applied), the live schema is compared with it object by object: added,
 * removed and changed, column by column. Otherwise the plan is the
 * reference, and what it can tell is which objects no step creates.
 *
 * Objects the database makes by itself along with another one (the index
 * behind a primary-key or unique constraint, a partition's copies of its
 * parent's indexes and triggers, a sequence owned by a column) are never
 * drift: they follow their owner.
 *
 * @example
 * const drift = await storeDrift(plan, 'nova', snapshot, { schemaDir: 'topologies/schema/nova-plan-a', pending: [] })
 * drift // { against: 'schema-file', file: 'topologies/schema/nova-plan-a/nova.json', changes: [{ change: 'added', kind: 'table', name: 'public.tmp_fix', ... }] }
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SchemaSnapshot } from '../engines/engine.js';
import { madeByDatabase, type SchemaObject } from '../engines/schema-objects.js';
import type { Plan } from '../plan/model.js';
import { diffSchemas, type SchemaChange } from '../schema/diff-schemas.js';
import { shownPath } from '../schema/shown-path.js';
import { parseSchemaFile } from '../schema/schema-file.js';
import { normaliseObjects } from '../schema/store-schema.js';

export interface StoreDrift {
  /** What the store was compared with: its committed schema file, or (without a usable one) the plan. */
  readonly against: 'schema-file' | 'plan';
  /** The schema file, when there is one (relative to the current directory when inside it). */
  readonly file?: string;
  /** Why a schema file that exists was not the reference. */
  readonly note?: string;
  /** Objects added, removed or changed outside migrations; against the plan, only added ones (no step creates them). */
  readonly changes: readonly SchemaChange[];
}

export interface DriftOptions {
  /** Directory of the committed schema files; without it the plan is the reference. */
  readonly schemaDir?: string;
  /** Ids of the store's steps not (fully) applied yet. */
  readonly pending: readonly string[];
}

export async function storeDrift(plan: Plan, store: string, snapshot: SchemaSnapshot, options: DriftOptions): Promise<StoreDrift> {
  const byPlan = (): SchemaChange[] => unknownObjects(plan, store, snapshot).map((o) => ({ change: 'added', kind: o.kind, name: o.name, details: ['no step of the plan creates it'] }));
  if (!options.schemaDir) return { against: 'plan', changes: byPlan() };
  const file = path.join(options.schemaDir, `${store}.json`);
  const shown = shownPath(file);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return { against: 'plan', changes: byPlan() };
  const committed = parseSchemaFile(text, shown);
  const steps = plan.steps.filter((s) => s.store === store);
  const pending = new Set(options.pending);
  const expandPending = steps.filter((s) => s.phase !== 'contract' && pending.has(s.id)).length;
  const contract = steps.filter((s) => s.phase === 'contract');
  const contractDone = contract.length > 0 && contract.every((s) => !pending.has(s.id));
  const note = expandPending > 0
    ? `${expandPending} step${expandPending === 1 ? ' is' : 's are'} pending, so ${shown} is not what the store holds yet`
    : committed.after === 'contract' && contract.length > 0 && !contractDone
      ? `${shown} was written after the contract phase, which has not run here`
      : committed.after === 'apply' && contractDone
        ? `${shown} was written before the contract phase, which has run here`
        : undefined;
  if (note) return { against: 'plan', file: shown, note, changes: byPlan() };
  return { against: 'schema-file', file: shown, changes: diffSchemas(committed.objects, normaliseObjects(snapshot.objects)) };
}

/**
 * Objects of the store whose name no step of the plan creates, copies or
 * renames to (names compared without their schema or database, as
 * migrations often leave them out), and that the database did not make by
 * itself. ClickHouse skipping indexes are declared inside their table's
 * definition, so one on a table the plan creates is the plan's.
 */
export function unknownObjects(plan: Plan, store: string, snapshot: SchemaSnapshot): SchemaObject[] {
  const known = new Set<string>();
  for (const s of plan.steps) {
    for (const c of s.changes) {
      const mine = s.store === store || c.kind === 'extension';
      if (!mine) continue;
      if (c.action === 'create' || c.action === 'copy') known.add(bare(c.name));
      if ((c.action === 'rename' || c.action === 'copy') && c.to) known.add(bare(c.to));
    }
  }
  const engine = plan.stores.find((s) => s.name === store)?.engine;
  return snapshot.objects.filter((o) => {
    if (madeByDatabase(o) || known.has(bare(o.kind === 'function' ? o.routine : o.name))) return false;
    return !(engine === 'clickhouse' && o.kind === 'index' && known.has(bare(o.table)));
  });
}

/** `public.likes.trg_x` → `trg_x`; `f(integer)` is given without its arguments. */
function bare(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
