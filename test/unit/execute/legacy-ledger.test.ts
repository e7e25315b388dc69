import { beforeAll, describe, expect, it } from 'vitest';
import type { LegacyLedgerRow } from '../../../src/engines/engine.js';
import { recordsFromLegacy } from '../../../src/execute/legacy-ledger.js';
import { fingerprintOf } from '../../../src/sql/statement-fingerprints.js';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { checksumOf, makeStep } from '../../helpers/steps.js';

beforeAll(async () => { await loadParsers(); });

const texts = ['CREATE TABLE a (id int)', "INSERT INTO a VALUES (1), (2)", 'CREATE TABLE b (id int, note text)'];
const step = makeStep({ id: 'nova:app/001.sql#1-3', store: 'nova', statements: texts });
const row = (extra: Partial<LegacyLedgerRow>): LegacyLedgerRow => ({
  stepId: step.id, file: step.source!.file, statements: '0-2', checksum: step.checksum, phase: 'expand', status: 'applied', appliedAt: '2024-03-01T10:00:00.000Z', durationMs: 12, sql: texts.join(';\n'), ...extra,
});

describe('records from a per-step ledger', () => {
  it('takes the plan fingerprints of a row whose statements are unchanged, keeping its time and status', () => {
    const out = recordsFromLegacy([row({})], [step], 'nova', 'postgres');
    expect(out.map((r) => [r.file, r.ordinal, r.fingerprint, r.sql, r.appliedAt, r.origin, r.status])).toEqual(
      texts.map((t, i) => [step.source!.file, i, step.source!.fingerprints[i], t, '2024-03-01T10:00:00.000Z', 'upgrade', 'applied']),
    );
  });

  it('splits the text of a row whose statements changed since, and fingerprints only the changed one by its old text', () => {
    const old = [texts[0], texts[1], 'CREATE TABLE b (id int)'];
    const out = recordsFromLegacy([row({ checksum: checksumOf(old as string[]), sql: old.join(';\n') })], [step], 'nova', 'postgres');
    expect(out.map((r) => r.fingerprint)).toEqual([step.source!.fingerprints[0], step.source!.fingerprints[1], fingerprintOf('CREATE TABLE b (id int)', 'postgres')]);
    expect(out[2]!.sql).toBe('CREATE TABLE b (id int)');
  });

  it('marks every statement of a row it cannot split statement by statement, with the old text whole', () => {
    const out = recordsFromLegacy([row({ checksum: 'x', sql: 'CREATE TABLE a (id int)' })], [step], 'nova', 'postgres');
    expect(out.map((r) => [r.ordinal, r.fingerprint.startsWith('per-step:'), r.sql])).toEqual([0, 1, 2].map((i) => [i, true, 'CREATE TABLE a (id int)']));
  });

  it('keeps synthetic steps by name and files the plan no longer has by their own text', () => {
    const out = recordsFromLegacy([
      { stepId: 'nova:database', checksum: 'c', phase: 'expand', status: 'applied', appliedAt: '2024-03-01T09:00:00.000Z', durationMs: 300, sql: 'CREATE DATABASE nova' },
      row({ stepId: 'nova:app/000_gone.sql#1', file: 'app/000_gone.sql', statements: '0-0', sql: 'CREATE TABLE gone (id int)' }),
    ], [step], 'nova', 'postgres');
    expect(out.map((r) => [r.file, r.fingerprint])).toEqual([['', 'database'], ['app/000_gone.sql', fingerprintOf('CREATE TABLE gone (id int)', 'postgres')]]);
  });
});
