import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';
import { columnRetypes } from '../../../../src/sql/postgres/column-retypes.js';

beforeAll(async () => loadParsers());

const first = (sql: string) => parseMigrationFile({ file: 't.sql', text: sql, declaredEngine: 'postgres' }).statements[0]!;

describe('columnRetypes', () => {
  it('reads each ALTER COLUMN TYPE: the column, its new type as table shapes write it, and whether USING converts it', () => {
    expect(columnRetypes(first('ALTER TABLE t ALTER COLUMN a TYPE int8, ALTER COLUMN b SET DATA TYPE varchar(40) USING left(b, 40), ADD COLUMN c int'))).toEqual([
      { column: 'a', type: 'bigint', using: false },
      { column: 'b', type: 'varchar(40)', using: true },
    ]);
  });

  it('is empty for other statements', () => {
    expect(columnRetypes(first('CREATE TABLE t (a int)'))).toEqual([]);
  });
});
