import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../src/engines/engine.js';
import { ledgerWrites } from '../../../src/engines/ledger-records.js';
import { StoreLedger } from '../../../src/execute/store-ledger.js';
import { fingerprintOf } from '../../../src/sql/statement-fingerprints.js';
import type { Step } from '../../../src/plan/model.js';
import { makeStep } from '../../helpers/steps.js';

const FILE = 'app/001_tables.sql';

/** A step of FILE holding the statements at these 0-based ordinals. */
function stepOf(ordinals: number[], statements: string[]): Step {
  const step = makeStep({ id: `main:${FILE}#${ordinals[0]! + 1}-${ordinals[ordinals.length - 1]! + 1}`, store: 'main', statements });
  return { ...step, source: { ...step.source!, file: FILE, ordinals, fingerprints: statements.map((s) => fingerprintOf(s, 'postgres')), statementLines: ordinals.map((o) => o + 1) } };
}

const record = (w: ReturnType<typeof ledgerWrites>[number], extra: Partial<LedgerRecord> = {}): LedgerRecord => ({ ...w, appliedAt: '2024-05-01T00:00:00.000Z', ...extra });
const TEXTS = ['CREATE TABLE a (id int)', 'CREATE TABLE b (id int)', 'CREATE TABLE c (id int)'];

describe('a store ledger read against the plan', () => {
  const applied = stepOf([0, 1, 2], TEXTS);
  const records = ledgerWrites(applied, 'applied', 5).map((w) => record(w));

  it('knows applied statements whatever step now holds them, and which are new', () => {
    const first = stepOf([0], [TEXTS[0]!]);
    const rest = stepOf([1, 2, 3], [TEXTS[1]!, TEXTS[2]!, 'CREATE TABLE d (id int)']);
    const ledger = new StoreLedger(records, [first, rest]);
    expect(ledger.states(first).map((s) => s.state)).toEqual(['applied']);
    expect(ledger.states(rest).map((s) => s.state)).toEqual(['applied', 'applied', 'pending']);
    expect(ledger.orphans()).toEqual([]);
  });

  it('finds a statement moved down the file by an insertion above it', () => {
    const moved = stepOf([0, 1, 2, 3], ['CREATE TABLE z (id int)', ...TEXTS]);
    expect(new StoreLedger(records, [moved]).states(moved).map((s) => s.state)).toEqual(['pending', 'applied', 'applied', 'applied']);
  });

  it('takes a statement with no record of its text, at the place of an unclaimed record, as changed', () => {
    const edited = stepOf([0, 1, 2], [TEXTS[0]!, 'CREATE TABLE b (id bigint)', TEXTS[2]!]);
    const ledger = new StoreLedger(records, [edited]);
    const states = ledger.states(edited);
    expect(states.map((s) => s.state)).toEqual(['applied', 'changed', 'applied']);
    expect(states[1]).toMatchObject({ record: { sql: TEXTS[1] } });
    expect(ledger.orphans()).toEqual([]);
  });

  it('calls an edited statement whose old text never finished unfinished, not changed', () => {
    const started = ledgerWrites(applied, 'started', 0).map((w) => record(w));
    const edited = stepOf([0, 1, 2], [TEXTS[0]!, 'CREATE TABLE b (id bigint)', TEXTS[2]!]);
    expect(new StoreLedger(started, [edited]).states(edited).map((s) => [s.state, 'stale' in s ? s.stale : undefined])).toEqual([['started', undefined], ['started', true], ['started', undefined]]);
  });

  it('lists records no statement claims as orphans, synthetic steps included', () => {
    const copy = makeStep({ id: 'main:copy:a->b', store: 'main', kind: 'copy_rows', statements: ['INSERT INTO b SELECT * FROM a'] });
    const copyRecord = record(ledgerWrites(copy, 'applied', 1)[0]!);
    const only = stepOf([0], [TEXTS[0]!]);
    const ledger = new StoreLedger([...records, copyRecord], [only]);
    expect(ledger.orphans().map((r) => [r.file, r.ordinal, r.fingerprint])).toEqual([[FILE, 1, records[1]!.fingerprint], [FILE, 2, records[2]!.fingerprint], ['', 0, 'copy:a->b']]);
    expect(new StoreLedger([copyRecord], [copy]).states(copy)).toMatchObject([{ state: 'applied' }]);
  });
});
