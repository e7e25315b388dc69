import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { deparse } from '../../../../src/sql/postgres/deparse.js';

beforeAll(async () => {
  await loadModule();
});

describe('deparse', () => {
  it('turns a parse tree back into SQL text', () => {
    expect(deparse(parseSync("create table t (id int primary key, note text default 'x')"))).toBe("CREATE TABLE t (\n  id int PRIMARY KEY,\n  note text DEFAULT 'x'\n)");
    expect(deparse(parseSync('drop table t'))).toBe('DROP TABLE t');
  });
});
