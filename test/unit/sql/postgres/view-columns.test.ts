import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { alterColumnFacts } from '../../../../src/sql/postgres/column-facts.js';
import { postgresParser } from '../../../../src/sql/postgres/pg-parser.js';
import { outputColumns, viewColumns } from '../../../../src/sql/postgres/view-columns.js';
import type { AstNode } from '../../../../src/sql/postgres/ast.js';
import { readStatement } from '../../../helpers/pg-statement.js';

beforeAll(loadParsers);

function firstStatement(sql: string): AstNode {
  return (postgresParser().parseSync(sql) as AstNode).stmts[0].stmt;
}

/** What viewColumns() finds in a view's query, as `schema|table: columns`. */
function reads(sql: string): string[] {
  const stmt = firstStatement(sql);
  const query = stmt.ViewStmt?.query ?? stmt.CreateTableAsStmt.query;
  return [...viewColumns(query)].map(([t, cols]) => `${t}: ${[...cols].sort().join(' ')}`).sort();
}

describe('the columns a view reads of each table', () => {
  it.each([
    ['a bare column over one table, and one in WHERE, GROUP BY and ORDER BY', 'CREATE VIEW v AS SELECT account_id, sum(amount) FROM invoices WHERE paid GROUP BY account_id ORDER BY account_id', ['public|invoices: account_id amount paid']],
    ['columns by alias and by table name', 'CREATE VIEW v AS SELECT i.id, invoices.note FROM invoices i, invoices', ['public|invoices: id note']],
    ['* and t.*: every column', 'CREATE VIEW v AS SELECT a.*, b.x FROM a JOIN b ON b.a_id = a.id', ['public|a: * id', 'public|b: a_id x']],
    ['JOIN ... USING reads the column on both sides', 'CREATE VIEW v AS SELECT a.x FROM a JOIN b USING (k)', ['public|a: k x', 'public|b: k']],
    ['a bare column over a join is left out: it could be either table', 'CREATE VIEW v AS SELECT x, a.y FROM a JOIN b ON a.id = b.id', ['public|a: id y', 'public|b: id']],
    ['a correlated subquery reads the outer table by its alias', 'CREATE VIEW v AS SELECT (SELECT max(n.at) FROM notes n WHERE n.invoice_id = i.id) FROM invoices i', ['public|invoices: id', 'public|notes: at invoice_id']],
    ['a qualified table, a CTE and a UNION', "CREATE VIEW v AS WITH recent AS (SELECT id FROM billing.invoices WHERE at > now() - interval '1 day') SELECT id FROM recent UNION SELECT id FROM billing.archive", ['billing|archive: id', 'billing|invoices: at id']],
    ['a subquery in FROM: its own table, not the outer bare columns', 'CREATE VIEW v AS SELECT total FROM (SELECT sum(amount) AS total FROM invoices) s', ['public|invoices: amount']],
    ['a bare column in a subquery is left out: it may be the outer query\'s', 'CREATE VIEW v AS SELECT (SELECT count(*) FROM notes WHERE invoice_id = id) FROM invoices', []],
    ['a bare name an output column has is left out (ORDER BY total)', 'CREATE VIEW v AS SELECT user_id, sum(amount) AS total FROM invoices GROUP BY user_id ORDER BY total', ['public|invoices: amount user_id']],
    ['a materialized view', 'CREATE MATERIALIZED VIEW m AS SELECT status, count(*) FROM accounts GROUP BY status', ['public|accounts: status']],
  ])('%s', (_name, sql, expected) => {
    expect(reads(sql)).toEqual(expected);
  });

  it('the view_source references carry them, sorted', () => {
    const e = readStatement('CREATE VIEW v AS SELECT i.note, i.id FROM invoices i').effects.find((x) => x.via === 'view_source');
    expect(e?.readColumns).toEqual(['id', 'note']);
  });
});

describe('the names of a view\'s columns', () => {
  it.each([
    ['aliases, columns, functions and casts', 'CREATE VIEW v AS SELECT id AS key, t.name, count(*), amount::text FROM t GROUP BY 1, 2, 4', ['key', 'name', 'count', 'amount']],
    ['* cannot be told', 'CREATE VIEW v AS SELECT * FROM t', undefined],
    ['an expression without alias cannot', 'CREATE VIEW v AS SELECT a + 1 FROM t', undefined],
    ['a UNION cannot', 'CREATE VIEW v AS SELECT a FROM t UNION SELECT b FROM u', undefined],
  ])('%s', (_name, sql, expected) => {
    expect(outputColumns(firstStatement(sql).ViewStmt.query)).toEqual(expected);
  });

  it('a column list names the first columns', () => {
    expect(readStatement('CREATE VIEW v (k) AS SELECT id, name FROM t').effects[0]!.outputColumns).toEqual(['k', 'name']);
  });
});

describe('what an ALTER TABLE does to columns a view may read', () => {
  it('ALTER COLUMN TYPE retypes, DROP COLUMN CASCADE is cascaded', () => {
    const body = firstStatement('ALTER TABLE t ALTER COLUMN a TYPE bigint, DROP COLUMN b CASCADE, DROP COLUMN c').AlterTableStmt;
    expect(alterColumnFacts(body)).toEqual({ dropped: ['b', 'c'], used: ['a', 'b', 'c'], retyped: ['a'], cascaded: ['b'] });
  });
});
