import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf, statementFingerprints } from '../../../src/sql/statement-fingerprints.js';
import { loadParsers, parseMigrationFile } from '../../../src/sql/parse-file.js';

beforeAll(async () => { await loadParsers(); });

describe('statement fingerprints', () => {
  it('ignore comments, white space, line endings and (for PostgreSQL) the case of unquoted text', () => {
    const a = fingerprintOf('CREATE TABLE t (id int)', 'postgres');
    expect(fingerprintOf('create   table T (\r\n  id INT -- the key\r\n)', 'postgres')).toBe(a);
    expect(fingerprintOf('/* note */ CREATE TABLE t (id int)', 'postgres')).toBe(a);
    expect(fingerprintOf('CREATE TABLE "T" (id int)', 'postgres')).not.toBe(a);
    expect(fingerprintOf("INSERT INTO t VALUES ('A')", 'postgres')).not.toBe(fingerprintOf("INSERT INTO t VALUES ('a')", 'postgres'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    // A literal continued on the next line is another string than one with a quote in it.
    expect(fingerprintOf("SELECT 'a'\n'b'", 'postgres')).not.toBe(fingerprintOf("SELECT 'a''b'", 'postgres'));
  });

  it('keep case where the engine does: ClickHouse and Cypher names are case-sensitive', () => {
    expect(fingerprintOf('CREATE TABLE db.Events (id UInt8) ENGINE = Memory', 'clickhouse')).not.toBe(fingerprintOf('CREATE TABLE db.events (id UInt8) ENGINE = Memory', 'clickhouse'));
    expect(fingerprintOf('MATCH (n:User) RETURN n', 'neo4j')).not.toBe(fingerprintOf('MATCH (n:user) RETURN n', 'neo4j'));
  });

  it('read Cypher comments as Cypher does: `//` is a comment, `--` is a relationship', () => {
    expect(fingerprintOf('MATCH (a)--(b) RETURN a // all pairs', 'neo4j')).toBe(fingerprintOf('MATCH (a)--(b) RETURN a', 'neo4j'));
    expect(fingerprintOf('MATCH (a)--(b) RETURN a', 'neo4j')).not.toBe(fingerprintOf('MATCH (a)--(c) RETURN c', 'neo4j'));
    expect(fingerprintOf("RETURN 'http://x' AS u", 'neo4j')).not.toBe(fingerprintOf("RETURN 'http:' AS u", 'neo4j'));
  });

  it('give each repeat of one text in a file its own fingerprint, in file order', () => {
    const parsed = parseMigrationFile({ file: 'app/001_seed.sql', text: 'INSERT INTO t VALUES (1);\nCREATE TABLE u (id int);\ninsert into t values (1);\nINSERT INTO t VALUES (1);\n' });
    const [a, b, c, d] = statementFingerprints(parsed);
    expect(c).toBe(`${a}.1`);
    expect(d).toBe(`${a}.2`);
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});
