/**
 * What reverting one step of a run takes, decided from the revert the run
 * recorded: statements to run (the author's down file or section split as
 * its engine splits it, or the generated ones), a backup to restore, only
 * its ledger records to remove (its revert is another step's), or a stop
 * with the reason (irreversible; undone only with steps this rollback
 * leaves applied).
 *
 * @example
 * revertWorkOf(runStep, 'postgres', new Set(ids))
 * // { kind: 'run', statements: ['DROP TABLE public.t'], transactional: true, destroys: [...] }
 */
import type { StepDestruction } from '../plan/model.js';
import { objectLabel, type EngineName } from '../sql/effects.js';
import { parseMigrationFile } from '../sql/parse-file.js';
import type { RunStep } from './run-record.js';

export type RevertPlan =
  | {
      readonly kind: 'run';
      readonly statements: readonly string[];
      readonly transactional: boolean;
      readonly destroys: readonly StepDestruction[];
      readonly from: string;
      /** It drops the store's own database, and the ledger in it: no record is left to remove. */
      readonly dropsStore?: boolean;
    }
  | { readonly kind: 'restore' }
  | { readonly kind: 'records'; readonly why: string }
  | { readonly kind: 'stop'; readonly reason: string };

/** Needs the SQL parsers loaded (`loadParsers()`). `reverting`: the ids of every step this rollback reverts; `database`: the store's. */
export function revertWorkOf(step: RunStep, engine: EngineName, reverting: ReadonlySet<string>, database?: string): RevertPlan {
  const r = step.revert;
  if (!r) return { kind: 'stop', reason: 'the run recorded no revert for it' };
  switch (r.from) {
    case 'irreversible':
      return { kind: 'stop', reason: `irreversible: ${r.reason ?? ''}` };
    case 'backup':
      return { kind: 'restore' };
    case 'generated': {
      const missing = (r.undoneWith ?? []).filter((id) => !reverting.has(id));
      if (missing.length > 0) return { kind: 'stop', reason: `${r.reason ?? 'irreversible'} (undone only with ${missing.map((m) => `"${m}"`).join(', ')}, which this rollback leaves applied)` };
      const statements = r.statements ?? [];
      if (statements.length === 0) return { kind: 'records', why: r.undoneWith?.length ? `undone with ${r.undoneWith.join(', ')}` : 'nothing of its own to undo' };
      return split(statements.join(';\n'), engine, 'generated', `${step.id} (generated revert)`, database);
    }
    default:
      return split(r.sql ?? '', engine, `${r.from === 'down_file' ? 'down file' : 'down section'} ${r.file}:${r.line}`, r.file ?? step.id, database);
  }
}

/** The statements of a revert's text, as its engine reads them, with what they destroy. */
function split(text: string, engine: EngineName, from: string, file: string, database: string | undefined): RevertPlan {
  const parsed = parseMigrationFile({ file, text, declaredEngine: engine });
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) return { kind: 'stop', reason: `its revert (${from}) does not parse: ${error.message}` };
  const statements = parsed.statements.filter((s) => s.kind !== 'SET' || engine !== 'clickhouse').map((s) => s.sql);
  if (statements.length === 0) return { kind: 'records', why: `its revert (${from}) has no statements` };
  const destroys = parsed.statements.flatMap((s) => (s.destroys ?? []).map((d): StepDestruction => ({ ...d, statement: s.index + 1, line: s.line, summary: `${d.kind.replace('_', ' ')} ${objectLabel(d.object)}${d.columns ? ` (${d.columns.join(', ')})` : ''}` })));
  const dropsStore = database !== undefined && parsed.statements.some((s) => s.effects.some((e) => e.action === 'drop' && e.object.kind === 'database' && e.object.name === database));
  return { kind: 'run', statements, transactional: parsed.statements.every((s) => s.transactional), destroys, from, ...(dropsStore ? { dropsStore: true } : {}) };
}
