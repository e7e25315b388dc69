/**
 * Turns the rows of a per-step ledger (earlier versions keyed rows by step
 * id and statement range) into records per statement, using the current plan
 * to know each statement's fingerprint. A row whose checksum still matches
 * the plan's statements of its range becomes their records. Otherwise its SQL
 * is split again and each statement compared with the plan's: unchanged ones
 * get the plan's fingerprint, changed ones a fingerprint of their old text, so
 * the next apply reports them as changed with both texts.
 *
 * @example
 * const records = recordsFromLegacy(state.legacy, plan.steps.filter((s) => s.store === 'nova'), 'nova', 'postgres')
 */
import type { LedgerWrite, LegacyLedgerRow } from '../engines/engine.js';
import type { Step } from '../plan/model.js';
import { checksumOf } from '../plan/order/steps.js';
import { fingerprintOf } from '../sql/statement-fingerprints.js';
import type { EngineName } from '../sql/effects.js';
import { normalizeSql } from '../sql/normalize-sql.js';
import { parseMigrationFile } from '../sql/parse-file.js';

interface Planned {
  readonly ordinal: number;
  readonly fingerprint: string;
  readonly sql: string;
  readonly source?: string;
}

/** Needs the SQL parsers loaded (`loadParsers()`), to split the text of rows whose statements changed. */
export function recordsFromLegacy(rows: readonly LegacyLedgerRow[], steps: readonly Step[], store: string, engine: EngineName): LedgerWrite[] {
  const byFile = new Map<string, Map<number, Planned>>();
  for (const s of steps) {
    if (!s.source) continue;
    const m = byFile.get(s.source.file) ?? new Map<number, Planned>();
    s.statements.forEach((sql, i) => {
      const original = s.source!.original?.[i];
      m.set(s.source!.ordinals[i]!, { ordinal: s.source!.ordinals[i]!, fingerprint: s.source!.fingerprints[i]!, sql, ...(original !== undefined ? { source: original } : {}) });
    });
    byFile.set(s.source.file, m);
  }
  const out: LedgerWrite[] = [];
  for (const row of rows) {
    const base = { store, stepId: row.stepId, phase: row.phase, status: row.status, origin: 'upgrade' as const, appliedAt: row.appliedAt, durationMs: row.durationMs };
    if (!row.file || !row.statements) {
      out.push({ ...base, file: '', fingerprint: row.stepId.startsWith(`${store}:`) ? row.stepId.slice(store.length + 1) : row.stepId, ordinal: 0, sql: row.sql ?? '' });
      continue;
    }
    const [first, last] = row.statements.split('-').map(Number) as [number, number];
    const planned = [...(byFile.get(row.file)?.values() ?? [])].filter((p) => p.ordinal >= first && p.ordinal <= last).sort((a, b) => a.ordinal - b.ordinal);
    const same = planned.length > 0 && checksumOf(planned.map((p) => p.sql)) === row.checksum;
    if (same) {
      for (const p of planned) out.push({ ...base, file: row.file, fingerprint: p.fingerprint, ordinal: p.ordinal, sql: p.sql, ...(p.source !== undefined ? { source: p.source } : {}) });
      continue;
    }
    const old = split(row.sql ?? '', row.file, engine);
    const ordinals = planned.length > 0 ? planned.map((p) => p.ordinal) : old.map((_, i) => first + i);
    if (old.length !== ordinals.length) {
      // The old text cannot be told apart statement by statement: each statement of the range shows it whole, as changed.
      ordinals.forEach((ordinal) => out.push({ ...base, file: row.file!, fingerprint: `per-step:${row.checksum.slice(0, 16)}:${ordinal}`, ordinal, sql: row.sql ?? '' }));
      continue;
    }
    old.forEach((sql, i) => {
      const p = planned[i];
      const unchanged = p && normalizeSql(p.sql) === normalizeSql(sql);
      out.push({ ...base, file: row.file!, fingerprint: unchanged ? p.fingerprint : fingerprintOf(sql, engine), ordinal: ordinals[i]!, sql, ...(unchanged && p.source !== undefined ? { source: p.source } : {}) });
    });
  }
  return out;
}

/** The statements of a per-step row's SQL (joined by `;\n`), or none when the text does not parse. */
function split(sql: string, file: string, engine: EngineName): string[] {
  if (sql === '') return [];
  const parsed = parseMigrationFile({ file, text: sql, declaredEngine: engine });
  return parsed.diagnostics.some((d) => d.severity === 'error') ? [] : parsed.statements.map((s) => s.sql);
}
