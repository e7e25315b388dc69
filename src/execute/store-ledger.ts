/**
 * A store's ledger read against the plan: for every statement of every step,
 * whether it is applied (a record with its file and fingerprint), started
 * and not seen to finish, changed since it was applied (no record of its
 * text, but one at its file and position that no other statement claims), or
 * pending; and which records no statement of the plan claims (orphans).
 * How the plan groups statements into steps plays no part.
 *
 * @example
 * const ledger = await loadStoreLedger(session, steps, { store: 'nova', engine: 'postgres', upgrade: true });
 * ledger.states(step) // [{ state: 'applied', record }, { state: 'pending' }]
 */
import type { EngineSession, LedgerRecord } from '../engines/engine.js';
import { keyString, ledgerKeys } from '../engines/ledger-records.js';
import type { Step } from '../plan/model.js';
import type { EngineName } from '../sql/effects.js';
import { loadParsers } from '../sql/parse-file.js';
import { recordsFromLegacy } from './legacy-ledger.js';
import { isRunRecord, runsOf, type RunRecord } from './run-record.js';

export type StatementState =
  | { readonly state: 'applied' | 'changed'; readonly record: LedgerRecord }
  /** `stale`: the record is of an earlier text of the statement, which began and was not seen to finish. */
  | { readonly state: 'started'; readonly record: LedgerRecord; readonly stale?: boolean }
  | { readonly state: 'pending' };

export class StoreLedger {
  private readonly byKey = new Map<string, LedgerRecord>();
  private readonly claimed = new Set<string>();
  /** Records of statements whose text changed, by the statement's `file#ordinal`. */
  private readonly changed = new Map<string, LedgerRecord>();

  /** The statements' records (runs apart). */
  readonly records: readonly LedgerRecord[];
  /** The runs recorded in the store, oldest first (see run-record.ts). */
  readonly runs: readonly RunRecord[];

  /**
   * `upgraded`: how many per-step rows were rewritten as records when it was read;
   * `noDatabase`: the store's database did not exist then (see LedgerState).
   */
  constructor(all: readonly LedgerRecord[], steps: readonly Step[], readonly upgraded = 0, readonly noDatabase = false) {
    const records = all.filter((r) => !isRunRecord(r));
    this.records = records;
    this.runs = runsOf(all);
    for (const r of records) this.byKey.set(keyString(r), r);
    const unmatched: { step: Step; i: number }[] = [];
    for (const step of steps) {
      ledgerKeys(step).forEach((k, i) => {
        const key = keyString(k);
        if (this.byKey.has(key)) this.claimed.add(key);
        else if (step.source) unmatched.push({ step, i });
      });
    }
    // A statement with no record of its text takes the unclaimed record at its place in the file: it was edited.
    const atPlace = new Map<string, LedgerRecord>();
    for (const r of records) if (r.file && !this.claimed.has(keyString(r))) atPlace.set(`${r.file}#${r.ordinal}`, r);
    for (const { step, i } of unmatched) {
      const place = `${step.source!.file}#${step.source!.ordinals[i]}`;
      const r = atPlace.get(place);
      if (!r) continue;
      atPlace.delete(place);
      this.claimed.add(keyString(r));
      this.changed.set(place, r);
    }
  }

  /** One state per statement of the step (one for a synthetic step). */
  states(step: Step): StatementState[] {
    return ledgerKeys(step).map((k, i) => {
      const r = this.byKey.get(keyString(k));
      if (r) return { state: r.status === 'started' ? 'started' : 'applied', record: r };
      const changed = step.source ? this.changed.get(`${step.source.file}#${step.source.ordinals[i]}`) : undefined;
      if (!changed) return { state: 'pending' };
      // An edited statement whose earlier text never finished was never applied: it is unfinished, not changed.
      return changed.status === 'started' ? { state: 'started', record: changed, stale: true } : { state: 'changed', record: changed };
    });
  }

  /** Records that no statement of the plan claims, in ledger order. */
  orphans(): LedgerRecord[] {
    return this.records.filter((r) => !this.claimed.has(keyString(r)));
  }
}

export interface LoadLedgerOptions {
  readonly store: string;
  readonly engine: EngineName;
  /** Rewrite a per-step ledger in the store (apply: under the store's lock); otherwise read it as records without writing. */
  readonly upgrade: boolean;
}

/** Reads a store's ledger; a per-step one is turned into records with the plan's fingerprints, and rewritten in place when `upgrade`. */
export async function loadStoreLedger(session: EngineSession, steps: readonly Step[], options: LoadLedgerOptions): Promise<StoreLedger> {
  const state = await session.readLedger();
  if (!state.legacy || state.legacy.length === 0) return new StoreLedger(state.records, steps, 0, state.noDatabase === true);
  await loadParsers();
  const writes = recordsFromLegacy(state.legacy, steps, options.store, options.engine);
  if (!options.upgrade) {
    const records = writes.map((w): LedgerRecord => ({ ...w, appliedAt: w.appliedAt ?? new Date(0).toISOString() }));
    return new StoreLedger(records, steps, state.legacy.length);
  }
  await session.upgradeLedger(writes);
  return new StoreLedger((await session.readLedger()).records, steps, state.legacy.length);
}
