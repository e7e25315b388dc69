/**
 * The messy fixture tree (a shared legacy set from the one-database days and a set per service, now
 * with a database per service) plans without errors and its plan applies on embedded PostgreSQL with
 * no failed statement; what the legacy statements did lands in the database of the objects they touch.
 */
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import type { Plan } from '../../../src/plan/model.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';

const file = join(resolve(import.meta.dirname, '..', '..', 'fixtures', 'messy'), 'topology.yaml');
let server: TestEngine;
let plan: Plan;
let result: ApplyResult;

beforeAll(async () => {
  server = await startTestPostgres();
  plan = await planMigration(file, { env: {} });
  result = await applyPlan(plan, { connections: { core: server.url, chat: server.url, social: server.url }, workDir: await tempDir('messy') });
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  const url = new URL(server.url);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the messy tree', () => {
  it('plans with no error and applies with no failed statement', () => {
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.steps.filter((s) => s.status !== 'applied').map((s) => `${s.id}: ${s.status} ${s.error?.message ?? ''}`)).toEqual([]);
  });

  it("a legacy DO block's ALTER ran in the chat database, where messages lives", async () => {
    expect(await query('messy_chat', "SELECT column_name FROM information_schema.columns WHERE table_name = 'messages' AND column_name = 'edited_at'")).toHaveLength(1);
  });

  it('COMMENT, ANALYZE, setval and REFRESH ran after their objects, in their stores', async () => {
    expect(await query('messy_core', "SELECT col_description('posts'::regclass, 3) AS c")).toEqual([{ c: 'markdown, rendered by the web client' }]);
    expect(await query('messy_social', "SELECT obj_description('like_counts'::regclass) AS c")).toEqual([{ c: 'refreshed by the social worker' }]);
    expect(await query('messy_core', "SELECT last_value FROM posts_id_seq")).toEqual([{ last_value: '1000' }]);
    expect(await query('messy_social', 'SELECT post_id, likes FROM like_counts ORDER BY post_id')).toEqual([{ post_id: '1', likes: '2' }, { post_id: '2', likes: '1' }]);
    expect(await query('messy_social', "SELECT last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'daily_stats'")).toEqual([{ analyzed: true }]);
  });

  it("superseded definitions left the winner's shape live: the service's likes after the legacy rebuild, the legacy users over a copy", async () => {
    expect(await query('messy_social', "SELECT column_name FROM information_schema.columns WHERE table_name = 'likes' ORDER BY ordinal_position")).toEqual([{ column_name: 'post_id' }, { column_name: 'user_id' }, { column_name: 'created_at' }]);
    expect(await query('messy_core', "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'")).toEqual([{ is_nullable: 'NO' }]);
    expect(await query('messy_core', "SELECT tgname FROM pg_trigger WHERE tgname IN ('trg_audit_log_touch', 'trg_profiles_updated_at') ORDER BY tgname")).toEqual([{ tgname: 'trg_audit_log_touch' }, { tgname: 'trg_profiles_updated_at' }]);
  });

  it("a legacy table kept until its drop while its type is superseded: the winner's type and table are live, no cycle", async () => {
    expect(await query('messy_core', "SELECT column_name FROM information_schema.columns WHERE table_name = 'journal_entries' ORDER BY ordinal_position")).toEqual([{ column_name: 'id' }, { column_name: 'user_id' }, { column_name: 'mood' }, { column_name: 'written_at' }]);
    expect(await query('messy_core', "SELECT enum_range(NULL::mood)::text AS r")).toEqual([{ r: '{fine,meh,great}' }]);
  });

  it('an extension a service owns is created in its store, and only there', async () => {
    expect(await query('messy_social', "SELECT extname FROM pg_extension WHERE extname = 'btree_gin'")).toEqual([{ extname: 'btree_gin' }]);
    expect(await query('messy_core', "SELECT extname FROM pg_extension WHERE extname = 'btree_gin'")).toEqual([]);
  });
});
