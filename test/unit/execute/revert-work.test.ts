import { beforeAll, describe, expect, it } from 'vitest';
import { revertWorkOf } from '../../../src/execute/revert-work.js';
import type { RunStep } from '../../../src/execute/run-record.js';
import { loadParsers } from '../../../src/sql/parse-file.js';

beforeAll(async () => {
  await loadParsers();
});

const step = (revert?: RunStep['revert']): RunStep => ({ id: 'main:app/002.sql#1', phase: 'expand', kind: 'sql', keys: [], dependsOn: [], transactional: true, ...(revert ? { revert } : {}) });

describe('revertWorkOf', () => {
  it('runs the author\'s revert as its engine splits it, with what it destroys', () => {
    const w = revertWorkOf(step({ from: 'down_file', file: 'app/002.down.sql', line: 1, sql: 'DROP INDEX CONCURRENTLY i;\nDROP TABLE t;' }), 'postgres', new Set());
    expect(w).toMatchObject({ kind: 'run', statements: ['DROP INDEX CONCURRENTLY i', 'DROP TABLE t'], transactional: false, from: 'down file app/002.down.sql:1' });
    expect(w.kind === 'run' && w.destroys.map((d) => d.summary)).toEqual(['drop table "public.t"']);
  });

  it('a revert that drops the store\'s own database says so: the ledger goes with it', () => {
    const s = step({ from: 'down_file', file: 'logs/1.down.sql', line: 1, sql: 'DROP DATABASE IF EXISTS obs_logs;' });
    expect(revertWorkOf(s, 'clickhouse', new Set(), 'obs_logs')).toMatchObject({ kind: 'run', dropsStore: true });
    expect(revertWorkOf(s, 'clickhouse', new Set(), 'other')).not.toHaveProperty('dropsStore');
  });

  it('runs generated statements; one with nothing to run only loses its records', () => {
    expect(revertWorkOf(step({ from: 'generated', statements: ['DROP TABLE public.t'] }), 'postgres', new Set())).toMatchObject({ kind: 'run', statements: ['DROP TABLE public.t'], transactional: true });
    expect(revertWorkOf(step({ from: 'generated', statements: [] }), 'postgres', new Set())).toEqual({ kind: 'records', why: 'nothing of its own to undo' });
    expect(revertWorkOf(step({ from: 'down_section', file: 'app/002.sql', line: 3, sql: '-- nothing' }), 'postgres', new Set())).toEqual({ kind: 'records', why: 'its revert (down section app/002.sql:3) has no statements' });
  });

  it('a step undone with others is undone only when they are; else it stops with why', () => {
    const s = step({ from: 'generated', statements: [], undoneWith: ['main:app/001.sql#1'], reason: 'irreversible without those: INSERT' });
    expect(revertWorkOf(s, 'postgres', new Set(['main:app/001.sql#1']))).toEqual({ kind: 'records', why: 'undone with main:app/001.sql#1' });
    expect(revertWorkOf(s, 'postgres', new Set())).toEqual({ kind: 'stop', reason: 'irreversible without those: INSERT (undone only with "main:app/001.sql#1", which this rollback leaves applied)' });
  });

  it('restores a backup, stops at an irreversible step, at a step without a revert, and at a revert that does not parse', () => {
    expect(revertWorkOf(step({ from: 'backup', reason: 'x' }), 'postgres', new Set())).toEqual({ kind: 'restore' });
    expect(revertWorkOf(step({ from: 'irreversible', reason: 'INSERT changes rows' }), 'postgres', new Set())).toEqual({ kind: 'stop', reason: 'irreversible: INSERT changes rows' });
    expect(revertWorkOf(step(), 'postgres', new Set())).toEqual({ kind: 'stop', reason: 'the run recorded no revert for it' });
    expect(revertWorkOf(step({ from: 'down_file', file: 'app/002.down.sql', line: 1, sql: 'DROP TABLE (' }), 'postgres', new Set())).toMatchObject({ kind: 'stop', reason: expect.stringContaining('does not parse') });
  });
});
