/**
 * `storeStatus()`: per store, which steps are applied, pending or changed
 * since they were applied, and which objects the database holds that no
 * step of the plan creates (made by hand, or by a migration not in the plan).
 *
 * @example
 * const status = await storeStatus(plan, sessions);
 * status[0] // { store: 'nova', applied: 40, pending: [...], changed: [], unknown: ['public.tmp_fix'] }
 */
import type { EngineSession } from '../engines/engine.js';
import type { Plan } from '../plan/model.js';

export interface StoreStatus {
  readonly store: string;
  readonly reachable: boolean;
  readonly applied: number;
  readonly pending: readonly string[];
  readonly changed: readonly string[];
  /** Steps that began outside a transaction and were not seen to finish. */
  readonly unfinished: readonly string[];
  readonly unknown: readonly string[];
}

export async function storeStatus(plan: Plan, sessions: ReadonlyMap<string, EngineSession>): Promise<StoreStatus[]> {
  const out: StoreStatus[] = [];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name);
    const session = sessions.get(store.name);
    if (!session) {
      out.push({ store: store.name, reachable: false, applied: 0, pending: steps.map((s) => s.id), changed: [], unfinished: [], unknown: [] });
      continue;
    }
    const ledger = new Map((await session.readLedger()).map((e) => [e.stepId, e]));
    const pending: string[] = [];
    const changed: string[] = [];
    const unfinished: string[] = [];
    let applied = 0;
    for (const s of steps) {
      const e = ledger.get(s.id);
      if (!e) pending.push(s.id);
      else if (e.status === 'started') unfinished.push(s.id);
      else if (e.checksum !== s.checksum) changed.push(s.id);
      else applied++;
    }
    const known = new Set<string>();
    for (const s of steps) for (const c of s.changes) if (c.action === 'create' || c.action === 'copy') known.add(c.name.split('.').pop()!);
    for (const s of plan.steps) for (const c of s.changes) if (c.action === 'create' && c.kind === 'extension') known.add(c.name);
    const snap = await session.inspect();
    const names = [...snap.tables, ...snap.views, ...snap.indexes, ...snap.triggers, ...snap.functions.map((f) => f.replace(/\(.*$/, ''))];
    // Constraint-made indexes (_pkey, _key) and indexes declared inside a known table (ClickHouse skipping indexes) belong to it.
    const unknown = names
      .filter((n) => {
        const parts = n.split('.');
        if (known.has(parts[parts.length - 1]!) || /_pkey$|_key$/.test(n)) return false;
        return !(parts.length > 2 && known.has(parts[parts.length - 2]!));
      })
      .sort();
    out.push({ store: store.name, reachable: true, applied, pending, changed, unfinished, unknown });
  }
  return out;
}
