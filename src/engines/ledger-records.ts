/**
 * The ledger records of a step, one per statement (or one for a synthetic
 * step), as every engine writes them: keyed by file and statement
 * fingerprint, so a statement applied once is known wherever a later plan
 * puts it.
 *
 * @example
 * ledgerWrites(step, 'applied', 12) // [{ file: 'social/001_likes.sql', fingerprint: '3f0c…', ordinal: 0, … }]
 */
import type { Step } from '../plan/model.js';
import type { LedgerKey, LedgerOrigin, LedgerWrite } from './engine.js';

/** A synthetic step's name: its id without the store, e.g. `copy:post_shares->shares`. */
export function syntheticName(step: Pick<Step, 'id' | 'store'>): string {
  return step.id.startsWith(`${step.store}:`) ? step.id.slice(step.store.length + 1) : step.id;
}

/** The ledger keys of a step's statements, in statement order. */
export function ledgerKeys(step: Step): LedgerKey[] {
  if (!step.source) return [{ file: '', fingerprint: syntheticName(step) }];
  const file = step.source.file;
  return step.source.fingerprints.map((fingerprint) => ({ file, fingerprint }));
}

/** One record per statement of the step. */
export function ledgerWrites(step: Step, status: 'applied' | 'started', durationMs: number, origin: LedgerOrigin = 'apply'): LedgerWrite[] {
  const base = { store: step.store, stepId: step.id, phase: step.phase, status, origin, durationMs: Math.max(0, Math.round(durationMs)) };
  if (!step.source) return [{ ...base, file: '', fingerprint: syntheticName(step), ordinal: 0, sql: step.statements.join(';\n') }];
  const src = step.source;
  return step.statements.map((sql, i) => {
    const original = src.original?.[i];
    return {
      ...base,
      file: src.file,
      fingerprint: src.fingerprints[i]!,
      ordinal: src.ordinals[i]!,
      sql,
      ...(original !== undefined && original !== sql ? { source: original } : {}),
    };
  });
}

/** `file#fingerprint`: one string per key, for maps. */
export function keyString(k: LedgerKey): string {
  return `${k.file}#${k.fingerprint}`;
}

/** The writes with one per key, the later of two winning: a batch written in one statement must not name a key twice. */
export function lastPerKey<W extends LedgerKey>(writes: readonly W[]): W[] {
  const last = new Map<string, W>();
  for (const w of writes) last.set(keyString(w), w);
  return [...last.values()];
}
