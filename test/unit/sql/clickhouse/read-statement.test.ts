/**
 * The ClickHouse reader on the cases that broke before: heredocs and nested
 * comments in the splitter, RENAME ... IF EXISTS, settings of SET, the place
 * an ON CLUSTER clause goes, and what holds data.
 */
import { describe, expect, it } from 'vitest';
import { analyzeClickHouse } from '../../../../src/sql/clickhouse/analyze-clickhouse.js';
import { readStatement } from '../../../../src/sql/clickhouse/read-statement.js';
import { tableDefinition } from '../../../../src/sql/clickhouse/table-definition.js';
import { tokenizeClickHouse } from '../../../../src/sql/clickhouse/clickhouse-tokens.js';

const withCluster = (sql: string) => {
  const s = readStatement(sql);
  return s.clusterSlot === undefined ? sql : `${sql.slice(0, s.clusterSlot)} ON CLUSTER obs${sql.slice(s.clusterSlot)}`;
};

describe('splitting', () => {
  it('keeps a heredoc and a nested block comment holding semicolons whole', () => {
    const f = analyzeClickHouse("SELECT $$a; b$$;\n/* x /* y; */ z; */ SELECT $t$ $$; $t$;\nSELECT 3", 'f.sql');
    expect(f.diagnostics).toEqual([]);
    expect(f.statements.map((s) => s.sql)).toEqual(['SELECT $$a; b$$', 'SELECT $t$ $$; $t$', 'SELECT 3']);
    expect(f.statements[1]!.line).toBe(2);
  });

  it('reports an unterminated heredoc at its line', () => {
    const f = analyzeClickHouse('SELECT 1;\nSELECT $q$ never closed', 'f.sql');
    expect(f.diagnostics[0]).toMatchObject({ code: 'sql.parse', line: 2, column: 8 });
    expect(f.diagnostics[0]!.message).toContain('heredoc $q$');
  });
});

describe('statements', () => {
  it('reads RENAME TABLE IF EXISTS as a rename that may do nothing', () => {
    expect(readStatement('RENAME TABLE IF EXISTS obs.a TO obs.b ON CLUSTER c').effects).toEqual([
      { action: 'rename', object: { kind: 'table', name: 'a', schema: 'obs' }, renameTo: 'b', ifExists: true },
    ]);
  });

  it('reads an unqualified new name of RENAME TABLE as in the current database, not the old name\'s', () => {
    expect(readStatement('RENAME TABLE other.t TO t, other.u TO other.v, w TO x').effects).toEqual([
      { action: 'rename', object: { kind: 'table', name: 't', schema: 'other' }, renameTo: 't', renameToStoreDatabase: true },
      { action: 'rename', object: { kind: 'table', name: 'u', schema: 'other' }, renameTo: 'v' },
      { action: 'rename', object: { kind: 'table', name: 'w' }, renameTo: 'x' },
    ]);
  });

  it('reads RENAME DATABASE as a rename of the database, each pair of a list, with its ON CLUSTER', () => {
    const r = readStatement('RENAME DATABASE obs_tmp TO obs_scratch, `old db` TO "new_db" ON CLUSTER obs');
    expect(r).toMatchObject({ kind: 'RENAME DATABASE', onCluster: 'obs' });
    expect(r.effects).toEqual([
      { action: 'rename', object: { kind: 'database', name: 'obs_tmp' }, renameTo: 'obs_scratch' },
      { action: 'rename', object: { kind: 'database', name: 'old db' }, renameTo: 'new_db' },
    ]);
    expect(readStatement('RENAME DATABASE a TO b')).toMatchObject({ clusterSlot: 'RENAME DATABASE a TO b'.length });
  });

  it('reads the tables a CREATE TABLE ... AS SELECT fills itself from, after its engine clauses too', () => {
    const reads = (sql: string) => readStatement(sql).effects.filter((e) => e.action === 'reference').map((e) => [e.object.schema, e.object.name, e.via]);
    expect(reads('CREATE TABLE d.top ENGINE = MergeTree ORDER BY name AS SELECT name FROM d.spans JOIN d.services USING name')).toEqual([['d', 'spans', 'data'], ['d', 'services', 'data']]);
    expect(reads('CREATE TABLE d.top (name String) ENGINE = MergeTree ORDER BY (name AS x) EMPTY AS WITH s AS (SELECT 1) SELECT name FROM d.spans')).toEqual([['d', 'spans', 'data']]);
    expect(reads('CREATE TABLE d.copy AS d.spans ENGINE = MergeTree ORDER BY tuple()')).toEqual([['d', 'spans', 'structure']]);
  });

  it('links a Distributed table to its local table, quoted or not, with currentDatabase() as the store database', () => {
    const refs = (sql: string) => readStatement(sql).effects.filter((e) => e.via === 'distributed_table').map((e) => e.object);
    expect(refs("CREATE TABLE d.x AS d.x_local ENGINE = Distributed('c', 'd', 'x_local', rand())")).toEqual([{ kind: 'table', name: 'x_local', schema: 'd' }]);
    expect(refs('CREATE TABLE x (a UInt8) ENGINE = Distributed(c, currentDatabase(), `x local`)')).toEqual([{ kind: 'table', name: 'x local' }]);
  });

  it('says which objects hold rows of their own', () => {
    const holds = (sql: string) => readStatement(sql).effects.find((e) => e.action === 'create')!.holdsData;
    expect(holds('CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a')).toBe(true);
    expect(holds('CREATE TABLE t AS u ENGINE = Distributed(c, d, u)')).toBe(false);
    expect(holds('CREATE TABLE t (a UInt8) ENGINE = Null')).toBe(false);
    expect(holds('CREATE MATERIALIZED VIEW m TO t AS SELECT 1')).toBe(false);
    expect(holds('CREATE MATERIALIZED VIEW m ENGINE = MergeTree ORDER BY a AS SELECT 1 AS a')).toBe(true);
    expect(holds('CREATE VIEW v AS SELECT 1')).toBe(false);
    expect(holds("CREATE DICTIONARY dd (k UInt64) PRIMARY KEY k SOURCE(CLICKHOUSE(TABLE 'src')) LAYOUT(FLAT()) LIFETIME(0)")).toBe(false);
    expect(readStatement('DETACH TABLE t').effects[0]!.keepsData).toBe(true);
  });

  it('puts ON CLUSTER where ClickHouse expects it in every DDL form', () => {
    expect(withCluster('CREATE TABLE IF NOT EXISTS d.t (a UInt8) ENGINE = MergeTree ORDER BY a')).toBe('CREATE TABLE IF NOT EXISTS d.t ON CLUSTER obs (a UInt8) ENGINE = MergeTree ORDER BY a');
    expect(withCluster("CREATE TABLE d.t UUID '123' AS d.u")).toBe("CREATE TABLE d.t UUID '123' ON CLUSTER obs AS d.u");
    expect(withCluster('CREATE DATABASE IF NOT EXISTS d ENGINE = Atomic')).toBe('CREATE DATABASE IF NOT EXISTS d ON CLUSTER obs ENGINE = Atomic');
    expect(withCluster('CREATE MATERIALIZED VIEW d.m TO d.t AS SELECT 1')).toBe('CREATE MATERIALIZED VIEW d.m ON CLUSTER obs TO d.t AS SELECT 1');
    expect(withCluster('DROP TABLE IF EXISTS d.t SYNC')).toBe('DROP TABLE IF EXISTS d.t ON CLUSTER obs SYNC');
    expect(withCluster('ALTER TABLE d.t ADD COLUMN b UInt8')).toBe('ALTER TABLE d.t ON CLUSTER obs ADD COLUMN b UInt8');
    expect(withCluster('RENAME TABLE d.a TO d.b, d.c TO d.e')).toBe('RENAME TABLE d.a TO d.b, d.c TO d.e ON CLUSTER obs');
    expect(withCluster('EXCHANGE TABLES d.a AND d.b')).toBe('EXCHANGE TABLES d.a AND d.b ON CLUSTER obs');
    expect(withCluster('TRUNCATE TABLE IF EXISTS d.t')).toBe('TRUNCATE TABLE IF EXISTS d.t ON CLUSTER obs');
    expect(withCluster('OPTIMIZE TABLE d.t FINAL')).toBe('OPTIMIZE TABLE d.t ON CLUSTER obs FINAL');
    expect(withCluster('INSERT INTO d.t VALUES (1)')).toBe('INSERT INTO d.t VALUES (1)');
    expect(readStatement("CREATE TABLE d.t ON CLUSTER '{cluster}' (a UInt8) ENGINE = Memory").onCluster).toBe('{cluster}');
  });

  it('gives each statement the settings of the SETs before it in its file', () => {
    const f = analyzeClickHouse("SET a = 1, b = 'x y';\nCREATE TABLE t (a UInt8) ENGINE = Memory;\nSET a = 2;\nSELECT 1", 'f.sql');
    expect(f.statements.map((s) => s.settings)).toEqual([{ a: '1', b: 'x y' }, { a: '1', b: 'x y' }, { a: '2', b: 'x y' }, { a: '2', b: 'x y' }]);
    expect(f.statements[0]!.kind).toBe('SET');
  });

  it('does not take a column after FROM inside a function, or an ARRAY JOIN operand, for a table', () => {
    const sources = readStatement('CREATE VIEW v AS SELECT extract(day FROM ts) FROM d.t ARRAY JOIN arr AS x JOIN d.u USING id').effects.filter((e) => e.via === 'view_source');
    expect(sources.map((e) => e.object.name)).toEqual(['t', 'u']);
  });
});

describe('table definitions', () => {
  it('reads columns, engine and clauses', () => {
    const sql = "CREATE TABLE d.t (ts DateTime64(9) CODEC(ZSTD(1)), `k` LowCardinality(String) DEFAULT '', INDEX i k TYPE set(0) GRANULARITY 1) ENGINE = ReplicatedMergeTree('/p/{shard}', '{replica}') PARTITION BY toDate(ts) ORDER BY (k, ts) TTL toDateTime(ts) + INTERVAL 1 DAY SETTINGS index_granularity = 8192";
    const tokens = tokenizeClickHouse(sql);
    const def = tableDefinition(sql, tokens.slice(5));
    expect(def.columns).toEqual([{ name: 'ts', type: 'DateTime64(9)' }, { name: 'k', type: 'LowCardinality(String)' }]);
    expect(def.engine).toBe('ReplicatedMergeTree');
    expect(def.engineArgs).toBe("'/p/{shard}', '{replica}'");
    expect(def.clauses).toEqual({ 'PARTITION BY': 'toDate(ts)', 'ORDER BY': '(k, ts)', TTL: 'toDateTime(ts) + INTERVAL 1 DAY', SETTINGS: 'index_granularity = 8192' });
  });
});
