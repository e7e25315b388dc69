import { describe, expect, it } from 'vitest';
import { narrowStep } from '../../../src/execute/narrow-step.js';
import { checksumOf, makeStep } from '../../helpers/steps.js';

describe('narrowStep', () => {
  const step = makeStep({ id: 'main:app/001.sql#1-4', statements: ['CREATE TABLE a (id int)', 'CREATE TABLE b (id int)', 'CREATE TABLE c (id int)', 'CREATE TABLE d (id int)'], sqlx: { version: '1', description: 'x', checksumSha384: 'ab', completesFile: true } });

  it('keeps only the given statements, with their lines, ordinals and fingerprints, and the step id and sqlx row', () => {
    const part = narrowStep(step, [1, 3]);
    expect(part.id).toBe(step.id);
    expect(part.statements).toEqual(['CREATE TABLE b (id int)', 'CREATE TABLE d (id int)']);
    expect(part.checksum).toBe(checksumOf(part.statements));
    expect(part.source).toMatchObject({ firstStatement: 1, lastStatement: 3, line: 2, endLine: 4, statementLines: [2, 4], ordinals: [1, 3], fingerprints: [step.source!.fingerprints[1], step.source!.fingerprints[3]] });
    expect(part.sqlx).toEqual(step.sqlx);
  });

  it('ends a part before the next statement it leaves out', () => {
    expect(narrowStep(step, [0, 1]).source).toMatchObject({ endLine: 2, lastStatement: 1 });
  });

  it('returns the step itself when every statement stays', () => {
    expect(narrowStep(step, [0, 1, 2, 3])).toBe(step);
  });
});
