import { describe, expect, it, vi } from 'vitest';

describe('the PostgreSQL parser, loaded on demand', () => {
  it('throws ParserNotLoaded until it is loaded, then parses', async () => {
    vi.resetModules();
    const pg = await import('../../../../src/sql/postgres/pg-parser.js');
    expect(pg.postgresParserLoaded()).toBe(false);
    expect(() => pg.postgresParser()).toThrow(pg.ParserNotLoaded);
    expect(() => pg.postgresParser()).toThrow(/await loadPostgresParser\(\)/);
    await Promise.all([pg.loadPostgresParser(), pg.loadPostgresParser()]);
    expect(pg.postgresParserLoaded()).toBe(true);
    const tree = pg.postgresParser().parseSync('CREATE TABLE t (id int)') as { stmts: { stmt: { CreateStmt: { relation: { relname: string } } } }[] };
    expect(tree.stmts[0]!.stmt.CreateStmt.relation.relname).toBe('t');
    expect(pg.postgresParser().parsePlPgSQLSync('DO $$ BEGIN NULL; END $$')).toBeDefined();
  });
});
