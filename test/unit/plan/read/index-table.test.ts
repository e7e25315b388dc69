import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { indexTableOf } from '../../../../src/plan/read/index-table.js';
import { readStatement } from '../../../helpers/pg-statement.js';

beforeAll(loadParsers);

describe('indexTableOf', () => {
  it('the table a CREATE INDEX names, in the index\'s schema; none for another schema or statement', () => {
    const stmt = readStatement('CREATE INDEX t_name ON app.t (name)');
    expect(indexTableOf({ stmt }, { kind: 'index', name: 't_name', schema: 'app' })).toBe('t');
    expect(indexTableOf({ stmt }, { kind: 'index', name: 't_name', schema: 'public' })).toBeUndefined();
    expect(indexTableOf({ stmt: readStatement('CREATE TABLE t (id int)') }, { kind: 'index', name: 't_name' })).toBeUndefined();
  });
});
