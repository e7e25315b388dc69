/**
 * What an apply does with one step, given what the store's ledger says of
 * each of its statements: nothing (every statement applied), run only the
 * statements not applied yet, re-record statements whose text changed (with
 * `rerecord`; an error otherwise), or settle a step left `started` by a run
 * that was killed: run it again when nothing of it is in the database, accept
 * it with `rerecord` only once its effect is there and valid (an INVALID index
 * is rebuilt first), report it otherwise.
 *
 * @example
 * const c = await classifyStep(step, ledger.states(step), session, { rerecord: false });
 * if (c?.result) preset(c.result); else run(c?.run ?? step);
 */
import type { EngineSession, LedgerKey, LedgerWrite } from '../engines/engine.js';
import { ledgerWrites } from '../engines/ledger-records.js';
import type { Step } from '../plan/model.js';
import { changeSummary } from './change-summary.js';
import { narrowStep } from './narrow-step.js';
import { stepEffects } from './step-effects.js';
import type { StepResult } from './step-result.js';
import type { StatementState } from './store-ledger.js';

export interface Classified {
  /** Decided without running the step. */
  readonly result?: StepResult;
  /** What to run instead of the whole step: the statements not applied yet. */
  readonly run?: Step;
}

export async function classifyStep(step: Step, states: readonly StatementState[], session: EngineSession, options: { readonly rerecord?: boolean }): Promise<Classified | undefined> {
  if (states.every((s) => s.state === 'pending')) return undefined;
  const base = { id: step.id, store: step.store };
  const notes: string[] = [];
  const changed = states.flatMap((s, i) => (s.state === 'changed' ? [{ i, record: s.record }] : []));
  if (changed.length > 0) {
    if (!options.rerecord) return { result: { ...base, status: 'failed', reason: 'changed', error: changedError(step, changed) } };
    const writes = ledgerWrites(step, 'applied', 0, 'rerecord');
    await session.record(
      changed.map(({ i, record }) => ({ ...writes[i]!, appliedAt: record.appliedAt, durationMs: record.durationMs, stepId: record.stepId })),
      changed.map(({ record }): LedgerKey => ({ file: record.file, fingerprint: record.fingerprint })),
    );
    notes.push(`re-recorded ${count(changed.length, 'changed statement')} with ${changed.length === 1 ? 'its' : 'their'} new text`);
  }
  let rerun: number[] = [];
  if (states.some((s) => s.state === 'started')) {
    const settled = await settleStarted(step, states, session, options);
    if ('result' in settled) return { result: settled.result };
    if (settled.rerun) {
      rerun = states.flatMap((s, i) => (s.state === 'started' ? [i] : []));
      await session.record([], staleKeys(states));
    } else notes.push(settled.note);
  }
  const todo = states.flatMap((s, i) => (s.state === 'pending' || rerun.includes(i) ? [i] : []));
  if (todo.length === 0) return { result: { ...base, status: 'already-applied', ...(notes.length ? { reason: notes.join('; ') } : {}) } };
  return { run: narrowStep(step, todo) };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function changedError(step: Step, changed: readonly { i: number; record: { appliedAt: string; sql: string; source?: string } }[]): StepResult['error'] {
  const src = step.source!;
  const parts = changed.map(({ i, record }) => {
    const now = src.original?.[i] ?? step.statements[i]!;
    return `statement ${src.ordinals[i]! + 1} (line ${src.statementLines[i]}), applied at ${record.appliedAt}:\n${changeSummary(record.source ?? record.sql, now)}`;
  });
  return {
    message: `apply: "${src.file}" changed since it was applied to store "${step.store}": ${parts.join('\n')}\nrevert the file, or accept the new text with --rerecord (the database is not changed)`,
    file: src.file,
    line: src.statementLines[changed[0]!.i]!,
  };
}

type Settled = { result: StepResult } | { rerun: true } | { rerun: false; note: string };

/**
 * A step left `started` ran outside a transaction and was not seen to
 * finish. Its effect decides: nothing of it there, it runs again; there and
 * valid, `rerecord` accepts it; an INVALID index is rebuilt under `rerecord`
 * and reported otherwise; partly there, it is reported with what is missing.
 */
async function settleStarted(step: Step, states: readonly StatementState[], session: EngineSession, options: { readonly rerecord?: boolean }): Promise<Settled> {
  const base = { id: step.id, store: step.store };
  const since = states.find((s) => s.state === 'started') as { record: { appliedAt: string } };
  const where = step.source ? { file: step.source.file, line: step.source.line } : {};
  const effects = stepEffects(step, await session.inspect());
  const fail = (message: string): Settled => ({ result: { ...base, status: 'failed', reason: 'unfinished', error: { message, ...where } } });
  const head = `apply: step "${step.id}" began at ${since.record.appliedAt} and was not seen to finish (it runs outside a transaction)`;
  if (effects.present.length === 0 && effects.invalid.length === 0 && effects.missing.length > 0) return { rerun: true };
  if (effects.missing.length > 0) {
    return fail(`${head}; it went part of the way: ${effects.present.join(', ')} ${effects.present.length === 1 ? 'is' : 'are'} there, ${effects.missing.join(', ')} ${effects.missing.length === 1 ? 'is' : 'are'} not. Undo what it made in store "${step.store}" and re-run to run it again`);
  }
  if (effects.invalid.length > 0) {
    if (!options.rerecord || !session.rebuildIndex) {
      return fail(`${head}; index ${effects.invalid.join(', ')} exists but is INVALID (its build was cancelled): re-run with --rerecord to rebuild it (REINDEX INDEX CONCURRENTLY) and mark the step applied, or drop it (DROP INDEX CONCURRENTLY) and re-run to build it again`);
    }
    try {
      for (const name of effects.invalid) await session.rebuildIndex(name);
    } catch (e) {
      return fail(`${head}; rebuilding the INVALID index ${effects.invalid.join(', ')} failed: ${(e as Error).message}`);
    }
    const after = stepEffects(step, await session.inspect());
    if (after.invalid.length > 0) return fail(`${head}; index ${after.invalid.join(', ')} is still INVALID after REINDEX: drop it (DROP INDEX CONCURRENTLY) and re-run to build it again`);
  }
  const checked = [...effects.present, ...effects.invalid.map((n) => `index ${n} (rebuilt)`)];
  if (!options.rerecord) {
    const what = checked.length ? `${checked.join(', ')} ${checked.length === 1 ? 'is' : 'are'} there and valid` : `its effect (${effects.unchecked.join(', ')}) cannot be read from the schema: check it`;
    return fail(`${head}; ${what}. Re-run with --rerecord to mark it applied`);
  }
  await session.record(markApplied(step, states), staleKeys(states));
  const unchecked = effects.unchecked.length ? `; not checkable from the schema: ${effects.unchecked.join(', ')}` : '';
  return { rerun: false, note: `re-recorded: was started and not seen to finish; ${checked.length ? `checked ${checked.join(', ')}` : 'nothing to check'}${unchecked}` };
}

function markApplied(step: Step, states: readonly StatementState[]): LedgerWrite[] {
  const writes = ledgerWrites(step, 'applied', 0, 'rerecord');
  return states.flatMap((s, i) => (s.state === 'started' ? [{ ...writes[i]!, appliedAt: s.record.appliedAt }] : []));
}

/** Records of an earlier text of statements that never finished: replaced by the statement's own record. */
function staleKeys(states: readonly StatementState[]): LedgerKey[] {
  return states.flatMap((s) => (s.state === 'started' && s.stale ? [{ file: s.record.file, fingerprint: s.record.fingerprint }] : []));
}
