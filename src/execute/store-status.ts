/**
 * `storeStatus()`: per store, which steps are applied, pending or unfinished,
 * which statements changed since they were applied, which ledger records
 * match no statement of the plan (orphaned), which applied files an sqlx
 * service's migrator would reject (their `_sqlx_migrations` row missing or
 * of other bytes), each of the last three with what to do, which objects the database holds that no step of the plan
 * creates, and its drift: what was added, removed or changed outside
 * migrations, against the committed schema file when it describes the
 * store's state (see {@link storeDrift}). It reads and never writes: a
 * per-step ledger of an earlier version is read as records without being
 * upgraded.
 *
 * @example
 * const status = await storeStatus(plan, sessions, { schemaDir: topology.schemaDir });
 * status[0] // { store: 'nova', applied: 40, pending: [...], changed: [], orphaned: [], sqlx: [], unknown: ['public.tmp_fix'], drift: { against: 'schema-file', ... } }
 */
import type { EngineSession, LedgerRecord } from '../engines/engine.js';
import type { Plan } from '../plan/model.js';
import { changeSummary } from './change-summary.js';
import { sqlxRowStatus, type SqlxRowProblem } from './sqlx-row-status.js';
import { loadStoreLedger } from './store-ledger.js';
import { storeDrift, unknownObjects, type StoreDrift } from './store-drift.js';

/** A statement whose text differs from what was applied. */
export interface ChangedStatement {
  readonly step: string;
  readonly file: string;
  /** 1-based statement number and its line. */
  readonly statement: number;
  readonly line: number;
  readonly appliedAt: string;
  /** The change, as `-`/`+` lines. */
  readonly change: string;
  readonly hint: string;
}

/** A ledger record no statement of the plan claims. */
export interface OrphanedRecord {
  readonly file: string;
  /** 1-based statement number when recorded; absent for a synthetic step. */
  readonly statement?: number;
  readonly recordedAs: string;
  readonly appliedAt: string;
  /** First line of the statement as recorded. */
  readonly sql: string;
  readonly reason: string;
  readonly hint: string;
}

export interface StoreStatus {
  readonly store: string;
  readonly reachable: boolean;
  readonly applied: number;
  /** Steps with statements not applied yet. */
  readonly pending: readonly string[];
  readonly changed: readonly ChangedStatement[];
  /** Steps that began outside a transaction and were not seen to finish. */
  readonly unfinished: readonly string[];
  readonly orphaned: readonly OrphanedRecord[];
  /** Applied files of sqlx services whose `_sqlx_migrations` row their migrator would not accept (see sqlx-row-status.ts). */
  readonly sqlx: readonly SqlxRowProblem[];
  /** Objects no step of the plan creates (and the database did not make by itself), qualified, sorted. */
  readonly unknown: readonly string[];
  /** Absent when the store is not reachable. */
  readonly drift?: StoreDrift;
}

export interface StatusOptions {
  /** Directory of the committed schema files (`<store>.json`), the reference for drift when present. */
  readonly schemaDir?: string;
  /** The bytes of a migration file (relative to the topology root), to say what changed in one whose sqlx checksum differs. */
  readonly readSource?: (file: string) => Buffer;
}

const CHANGED_HINT = 'revert the statement, or accept the new text with `topoplan apply --rerecord` (the database is not changed); a change the database needs is a new migration';

export async function storeStatus(plan: Plan, sessions: ReadonlyMap<string, EngineSession>, options: StatusOptions = {}): Promise<StoreStatus[]> {
  const out: StoreStatus[] = [];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name);
    const session = sessions.get(store.name);
    if (!session) {
      out.push({ store: store.name, reachable: false, applied: 0, pending: steps.map((s) => s.id), changed: [], unfinished: [], orphaned: [], sqlx: [], unknown: [] });
      continue;
    }
    const ledger = await loadStoreLedger(session, steps, { store: store.name, engine: store.engine, upgrade: false });
    const pending: string[] = [];
    const changed: ChangedStatement[] = [];
    const unfinished: string[] = [];
    let applied = 0;
    for (const s of steps) {
      const states = ledger.states(s);
      states.forEach((st, i) => {
        if (st.state !== 'changed' || !s.source) return;
        const now = s.source.original?.[i] ?? s.statements[i]!;
        changed.push({ step: s.id, file: s.source.file, statement: s.source.ordinals[i]! + 1, line: s.source.statementLines[i]!, appliedAt: st.record.appliedAt, change: changeSummary(st.record.source ?? st.record.sql, now), hint: CHANGED_HINT });
      });
      if (states.some((st) => st.state === 'started')) unfinished.push(s.id);
      else if (states.some((st) => st.state === 'pending')) pending.push(s.id);
      else if (states.every((st) => st.state === 'applied')) applied++;
    }
    const orphaned = ledger.orphans().map((r) => explainOrphan(r, plan, store.name));
    const sqlx = await sqlxRowStatus(steps, ledger, session, options.readSource ? { readSource: options.readSource } : {});
    const snapshot = await session.inspect();
    const unknown = unknownObjects(plan, store.name, snapshot).map((o) => o.name).sort();
    const drift = await storeDrift(plan, store.name, snapshot, { ...(options.schemaDir ? { schemaDir: options.schemaDir } : {}), pending: [...pending, ...unfinished] });
    out.push({ store: store.name, reachable: true, applied, pending, changed, unfinished, orphaned, sqlx, unknown, drift });
  }
  return out;
}

function explainOrphan(r: LedgerRecord, plan: Plan, store: string): OrphanedRecord {
  const base = { file: r.file, recordedAs: r.stepId, appliedAt: r.appliedAt, sql: (r.source ?? r.sql).split('\n')[0]!.slice(0, 120) };
  const stays = 'its effect stays in the database';
  if (!r.file) {
    return { ...base, reason: `step "${r.stepId}" is not in the plan any more`, hint: `${stays}; if it must be undone, write a migration that does it` };
  }
  const where = { ...base, statement: r.ordinal + 1 };
  const elsewhere = plan.steps.find((s) => s.store !== store && s.source?.file === r.file && s.source.fingerprints.includes(r.fingerprint));
  if (elsewhere) {
    return { ...where, reason: `statement ${r.ordinal + 1} of "${r.file}" runs in store "${elsewhere.store}" now`, hint: `${stays} in store "${store}": move its rows if it holds data, and drop it here with a migration once nothing uses it` };
  }
  const skipped = plan.skipped.find((s) => s.file === r.file && s.statement === r.ordinal);
  if (skipped) return { ...where, reason: `statement ${r.ordinal + 1} of "${r.file}" is not run by the plan now: ${skipped.reason}`, hint: `${stays}; if it must be undone, write a migration that does it` };
  const known = plan.steps.some((s) => s.source?.file === r.file) || plan.skipped.some((s) => s.file === r.file);
  if (!known) {
    return { ...where, reason: `"${r.file}" is in no set of the topology any more (deleted, renamed or excluded)`, hint: `${stays}; if the file was renamed, give it its old name back: under a new name its statements are new to the ledger and run again` };
  }
  return { ...where, reason: `"${r.file}" no longer has this statement (removed, or edited after a statement before it was inserted)`, hint: `${stays}; if it must be undone, write a migration that does it` };
}
