import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../src/engines/engine.js';
import { isRunRecord, keyOf, runKey, runStep, runWrite, runsOf, type RunRecord } from '../../../src/execute/run-record.js';
import { StoreLedger } from '../../../src/execute/store-ledger.js';
import { fingerprintDifferences, objectFingerprints } from '../../../src/execute/schema-fingerprint.js';
import { emptySnapshot } from '../../../src/engines/empty-snapshot.js';
import { makeStep } from '../../helpers/steps.js';

const step = (p: Partial<Parameters<typeof makeStep>[0]> & { id: string }) => makeStep({ statements: ['CREATE TABLE t (id int)'], store: 'main', ...p });

const run = (id: string, startedAt: string): RunRecord => ({ format: 'topoplan-run/1', id, store: 'main', startedAt, status: 'applied', before: {}, steps: [] });
const asRecord = (w: ReturnType<typeof runWrite>): LedgerRecord => ({ ...w, appliedAt: '2026-01-01T00:00:00.000Z' });

describe('run records', () => {
  it('a run is a ledger record of its own, read back oldest first; what does not read as a run is left out', () => {
    const records = [asRecord(runWrite(run('b', '2026-01-02'))), asRecord(runWrite(run('a', '2026-01-01'))), { ...asRecord(runWrite(run('c', '2026-01-03'))), sql: 'not json' }, { ...asRecord(runWrite(run('d', '2026-01-04'))), sql: '{"format":"other"}' }];
    expect(runsOf(records).map((r) => r.id)).toEqual(['a', 'b']);
    expect(runKey('a')).toEqual({ file: '', fingerprint: 'run:a' });
    expect(isRunRecord(runKey('a'))).toBe(true);
    expect(isRunRecord({ file: 'app/001.sql', fingerprint: 'run:a' })).toBe(false);
  });

  it('a store ledger keeps runs apart from the statements\' records, so they are never orphans', () => {
    const s = step({ id: 'main:app/001.sql#1' });
    const ledger = new StoreLedger([asRecord(runWrite(run('a', '2026-01-01')))], [s]);
    expect(ledger.records).toEqual([]);
    expect(ledger.orphans()).toEqual([]);
    expect(ledger.runs.map((r) => r.id)).toEqual(['a']);
  });

  it('keeps of a step its keys, dependencies, revert and sqlx row; keys read back', () => {
    const s = step({ id: 'main:app/001.sql#1', dependsOn: ['main:database'], revert: { from: 'generated', statements: ['DROP TABLE t'] }, sqlx: { version: '1', description: 'a', checksumSha384: '', completesFile: true } });
    const r = runStep(s, [{ file: 'app/001.sql', fingerprint: 'f1' }]);
    expect(r).toMatchObject({ id: s.id, keys: ['app/001.sql#f1'], dependsOn: ['main:database'], revert: { from: 'generated' }, sqlx: { version: '1' } });
    expect(keyOf('a#b/c.sql#f1')).toEqual({ file: 'a#b/c.sql', fingerprint: 'f1' });
  });
});

describe('object fingerprints', () => {
  it('digest each object and name what is missing, extra or changed', () => {
    const before = objectFingerprints({ ...emptySnapshot(), tables: ['public.a', 'public.b'], indexes: ['public.i'], definitions: { 'table public.a': 'id int', 'table public.b': 'id int' } });
    const after = objectFingerprints({ ...emptySnapshot(), tables: ['public.a', 'public.c'], definitions: { 'table public.a': 'id bigint', 'table public.c': 'x' } });
    expect(Object.keys(before)).toEqual(['index public.i', 'table public.a', 'table public.b']);
    expect(fingerprintDifferences(before, after)).toEqual(['changed table public.a', 'missing table public.b', 'extra table public.c', 'missing index public.i'].sort((a, b) => (a.slice(a.indexOf(' ')) < b.slice(b.indexOf(' ')) ? -1 : 1)));
    expect(fingerprintDifferences(before, before)).toEqual([]);
  });
});
