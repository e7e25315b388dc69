import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';
import { unfilledColumns } from '../../../../src/sql/postgres/unfilled-columns.js';

beforeAll(async () => loadParsers());

const first = (sql: string) => parseMigrationFile({ file: 't.sql', text: sql, declaredEngine: 'postgres' }).statements[0]!;

describe('unfilledColumns', () => {
  it('lists the columns a row leaving them out holds NULL in', () => {
    expect(unfilledColumns(first('CREATE TABLE t (id serial, a text NOT NULL, b int DEFAULT 1, c int GENERATED ALWAYS AS IDENTITY, d int GENERATED ALWAYS AS (b * 2) STORED, e smallserial, f jsonb, PRIMARY KEY (id))'))).toEqual(['a', 'f']);
  });

  it('is undefined for other statements', () => {
    expect(unfilledColumns(first('CREATE INDEX i ON t (a)'))).toBeUndefined();
  });
});
