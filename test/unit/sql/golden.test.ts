/**
 * Golden files for the SQL readers: every file of the Nova example and the
 * extra fixtures, read as the planner reads them. UPDATE_GOLDEN=1 rewrites.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../src/sql/parse-file.js';

const roots = ['examples/nova', 'test/fixtures/sql/extra', 'test/fixtures/sql/clickhouse'];
const files = roots.flatMap((root) => walk(root).filter((f) => /\.(sql|cypher)$/.test(f)));

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

beforeAll(async () => {
  await loadParsers();
});

describe('SQL readers against golden files', () => {
  it.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const parsed = parseMigrationFile({ file, text, ...(file.includes('clickhouse') ? { declaredEngine: 'clickhouse' as const } : {}) });
    const bytes = Buffer.from(text);
    // Every statement's text is exactly its byte range in the file.
    for (const s of parsed.statements) expect(bytes.subarray(s.start, s.end).toString()).toBe(s.sql);
    const golden = join('test/fixtures/sql/golden', `${relative('.', file).replace(/[/\\]/g, '__')}.json`);
    const text2 = JSON.stringify(parsed, null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text2);
    }
    expect(text2).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('what the readers find', () => {
  const read = (file: string) => parseMigrationFile({ file, text: readFileSync(file, 'utf8') });

  it('records foreign keys, extension functions and the transactional flag', () => {
    const f = read('test/fixtures/sql/extra/utf8_and_comments.sql');
    const [create, , index, alterType, drop, rename, view] = f.statements;
    expect(create!.effects).toContainEqual({ action: 'reference', object: { kind: 'table', name: 'owners', schema: 'public' }, via: 'foreign_key', columns: ['owner_id'], refColumns: ['id'] });
    expect(create!.line).toBe(2);
    expect(index!.transactional).toBe(false);
    expect(index!.nonTransactionalReason).toBe('CREATE INDEX CONCURRENTLY');
    expect(index!.effects).toContainEqual({ action: 'reference', object: { kind: 'extension', name: 'pg_trgm' }, via: 'extension_function', detail: 'gin_trgm_ops' });
    expect(alterType!.transactional).toBe(false);
    expect(drop!.effects.filter((e) => e.action === 'drop').map((e) => [e.object.name, e.cascade, e.ifExists])).toEqual([['old_cafe', true, true], ['older_cafe', true, true]]);
    expect(rename!.effects[0]).toMatchObject({ action: 'rename', renameTo: 'cafe' });
    const sources = view!.effects.filter((e) => e.via === 'view_source').map((e) => e.object.name);
    expect(sources.sort()).toEqual(['cafe', 'owners']);
  });

  it('reports a syntax error with its line and column, never a crash', () => {
    const f = read('test/fixtures/sql/extra/syntax_error.sql');
    expect(f.statements).toEqual([]);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ code: 'sql.parse', severity: 'error', file: 'test/fixtures/sql/extra/syntax_error.sql', line: 4, column: 12 });
    expect(f.diagnostics[0]!.hint).toBeTruthy();
  });

  it('detects ClickHouse DDL in a .sql file the PostgreSQL parser rejects, and says how to declare it', () => {
    const f = read('examples/nova/feature-store/clickhouse/001_create_features.sql');
    expect(f.engine).toBe('clickhouse');
    expect(f.engineSource).toBe('detected');
    expect(f.diagnostics[0]).toMatchObject({ code: 'sql.engine_detected', severity: 'info' });
    expect(f.diagnostics[0]!.hint).toContain('engines:');
    const mv = f.statements.find((s) => s.kind === 'CREATE MATERIALIZED VIEW')!;
    expect(mv.effects).toContainEqual({ action: 'reference', object: { kind: 'table', name: 'features_daily', schema: 'feature_store' }, via: 'mv_target' });
    expect(mv.effects).toContainEqual({ action: 'reference', object: { kind: 'table', name: 'features', schema: 'feature_store' }, via: 'mv_source' });
  });

  it('splits ClickHouse respecting quotes and comments', () => {
    const f = parseMigrationFile({ file: 'x.sql', text: readFileSync('test/fixtures/sql/extra/clickhouse_tricky.sql', 'utf8'), declaredEngine: 'clickhouse' });
    expect(f.statements).toHaveLength(3);
    expect(f.statements[0]!.sql).toContain("'a;b -- c'");
    expect(f.statements[1]!.effects.map((e) => [e.object.name, e.renameTo])).toEqual([['events', 'events_v1'], ['tmp', 'events']]);
    expect(f.statements[2]!.effects.filter((e) => e.via === 'mv_source').map((e) => e.object.name).sort()).toEqual(['events', 'users']);
  });

  it('reads Cypher schema statements', () => {
    const f = read('examples/nova/graph-service/neo4j/001_follows_graph.cypher');
    expect(f.engine).toBe('neo4j');
    expect(f.statements.map((s) => s.effects[0]?.object)).toEqual([{ kind: 'graph_constraint', name: 'user_id_unique' }, { kind: 'graph_index', name: 'follows_created_at' }]);
  });
});
