/**
 * Applies the Nova example to real PostgreSQL and ClickHouse (started by the
 * tests) and checks what the runbook it replaces got wrong.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { schemaFingerprint } from '../../../src/execute/schema-fingerprint.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { planTransition, runTransition } from '../../../src/transition/index.js';
import { loadTopology } from '../../../src/topology/index.js';
import { startTestClickHouse, startTestPostgres, tempDir } from '../../helpers/engines.js';
import { connectionsFor, novaCopy } from '../../helpers/nova.js';

let pgServer: Awaited<ReturnType<typeof startTestPostgres>>;
let chServer: Awaited<ReturnType<typeof startTestClickHouse>>;

beforeAll(async () => {
  [pgServer, chServer] = await Promise.all([startTestPostgres(), startTestClickHouse()]);
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), chServer?.stop()]);
});

async function apply(plan: Plan, topologyConnections: Record<string, string | undefined>, extra: Partial<Parameters<typeof applyPlan>[1]> = {}): Promise<ApplyResult> {
  return applyPlan(plan, { connections: topologyConnections, workDir: await tempDir('topoplan-work-'), lockTimeoutMs: 20_000, ...extra });
}

async function query<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
  const url = new URL(pgServer.url);
  url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function fingerprint(store: string, database: string): Promise<string> {
  const s = await postgresEngine.connect({ store, database, url: pgServer.url });
  try {
    return schemaFingerprint(await s.inspect());
  } finally {
    await s.close();
  }
}

const statuses = (r: ApplyResult) => r.steps.reduce<Record<string, number>>((m, s) => ({ ...m, [s.status]: (m[s.status] ?? 0) + 1 }), {});

describe('Nova plan A on real engines', () => {
  const nova = novaCopy('a', 'a1');
  let plan: Plan;
  let first: ApplyResult;

  beforeAll(async () => {
    const topology = await nova.load();
    plan = await planMigration(topology);
    first = await apply(plan, connectionsFor(topology, pgServer.url, chServer.url));
  });

  it('applies everything but Neo4j (no server) and the contract phase, and verification passes', () => {
    expect(first.steps.filter((s) => s.status === 'failed')).toEqual([]);
    expect(first.ok).toBe(true);
    const notApplied = first.steps.filter((s) => s.status === 'not-applied');
    expect(notApplied.every((s) => s.store === 'graph' || plan.steps.find((p) => p.id === s.id)!.phase === 'contract')).toBe(true);
    expect(first.verification!.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(first.verification!.checks.filter((c) => c.status === 'ok').length).toBe(5);
    expect(first.rootCauses.map((r) => r.cause)).toEqual(['store:graph']);
  });

  it('keeps every seed row through the renames, with the renamed column', async () => {
    const shares = await query<{ id: string; created_at: Date; share_type: string }>('nova_a1', 'SELECT id, created_at, share_type FROM shares ORDER BY id');
    const old = await query<{ id: string; shared_at: Date; share_type: string }>('nova_a1', 'SELECT id, shared_at, share_type FROM post_shares ORDER BY id');
    expect(shares.length).toBe(3);
    expect(shares.map((s) => [s.id, s.created_at.toISOString(), s.share_type])).toEqual(old.map((s) => [s.id, s.shared_at.toISOString(), s.share_type]));
    const counters = await query<{ n: string; likes: string }>('nova_a1', 'SELECT count(*) AS n, sum(like_count) AS likes FROM post_counters');
    expect(counters[0]).toEqual({ n: '4', likes: '54' });
    expect(first.steps.find((s) => s.id.endsWith('copy:post_shares->shares'))!.rows).toBe(3);
  });

  it('drops the legacy chat tables before creating the new ones, so the new ones survive', async () => {
    const cols = await query<{ column_name: string }>('nova_a1', "SELECT column_name FROM information_schema.columns WHERE table_name = 'messages' ORDER BY column_name");
    expect(cols.map((c) => c.column_name)).toContain('message_type');
    expect(cols.map((c) => c.column_name)).not.toContain('body');
  });

  it('records sqlx rows readable by sqlx: version, description, SHA-384 of the file bytes', async () => {
    const rows = await query<{ version: string; description: string; checksum: Buffer; success: boolean; execution_time: string }>('nova_a1', 'SELECT version, description, checksum, success, execution_time FROM _sqlx_migrations_social ORDER BY version, description');
    const social = readFileSync(join(nova.dir, 'nova', 'social-service/migrations/005_counter_triggers.sql'));
    const row = rows.find((r) => r.description === 'counter triggers')!;
    expect(row.version).toBe('5');
    expect(row.success).toBe(true);
    expect(Number(row.execution_time)).toBeGreaterThan(0);
    expect(row.checksum.toString('hex')).toBe(createHash('sha384').update(social).digest('hex'));
  });

  it('a second apply is a no-op', async () => {
    const second = await apply(plan, connectionsFor(await nova.load(), pgServer.url, chServer.url));
    expect(statuses(second).applied ?? 0).toBe(0);
    expect(statuses(second)['already-applied']).toBe(statuses(first).applied);
  });

  it('a file changed after it was applied is an error naming the file and the change; --rerecord accepts it', async () => {
    const rel = 'social-service/migrations/004_create_processed_events.sql';
    nova.write(rel, nova.read(rel).replace('VARCHAR(128)', 'VARCHAR(256)'));
    const topology = await nova.load();
    const changed = await planMigration(topology);
    const r = await apply(changed, connectionsFor(topology, pgServer.url, chServer.url));
    const failed = r.steps.filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error!.file).toBe(rel);
    expect(failed[0]!.error!.message).toContain('VARCHAR(256)');
    expect(failed[0]!.error!.message).toContain('--rerecord');
    const accepted = await apply(changed, connectionsFor(topology, pgServer.url, chServer.url), { rerecord: true });
    expect(accepted.steps.filter((s) => s.status === 'failed')).toEqual([]);
    const again = await apply(changed, connectionsFor(topology, pgServer.url, chServer.url));
    expect(again.ok).toBe(true);
  });

  it('the contract phase drops the old tables after backing them up', async () => {
    const topology = await nova.load();
    const r = await apply(await planMigration(topology), connectionsFor(topology, pgServer.url, chServer.url), { contract: true });
    expect(r.ok).toBe(true);
    expect(r.backups.map((b) => [b.table, b.rows]).sort()).toEqual([['public.post_shares', 3], ['public.social_metadata', 4]]);
    expect(readFileSync(r.backups.find((b) => b.table === 'public.post_shares')!.path, 'utf8')).toContain('bbbbbbbb-0000-4000-8000-000000000001');
    expect(r.verification!.checks.every((c) => c.status === 'ok' || c.store === 'graph')).toBe(true);
    const left = await query('nova_a1', "SELECT 1 FROM pg_tables WHERE tablename IN ('post_shares', 'social_metadata')");
    expect(left).toEqual([]);
  });
});

describe('Nova plan B on real engines', () => {
  it('applies to four PostgreSQL databases, with cross-store foreign keys removed and verification passing', async () => {
    const nova = novaCopy('b', 'b1');
    const topology = await nova.load();
    const plan = await planMigration(topology);
    const r = await apply(plan, connectionsFor(topology, pgServer.url, chServer.url), { contract: true });
    expect(r.steps.filter((s) => s.status === 'failed')).toEqual([]);
    expect(r.verification!.checks.filter((c) => c.status === 'failed')).toEqual([]);
    const fks = await query<{ n: string }>('nova_chat_b1', "SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND confrelid = 'conversations'::regclass");
    expect(Number(fks[0]!.n)).toBeGreaterThan(0);
    const toUsers = await query('nova_chat_b1', "SELECT 1 FROM pg_class WHERE relname = 'users'");
    expect(toUsers).toEqual([]);
    const shares = await query<{ n: string }>('nova_social_b1', 'SELECT count(*) AS n FROM shares');
    expect(shares[0]!.n).toBe('3');
  });
});

describe('Nova plan A, then a transition to plan B', () => {
  it('leaves nothing for apply B to do: every statement B groups differently or rewrites is known to the ledger', async () => {
    const nova = novaCopy('a', 'ab');
    const a = await nova.load();
    const b = (await loadTopology(nova.topologyFile.replace('plan-a', 'plan-b'), { env: {} })).topology!;
    const [planA, planB] = [await planMigration(a), await planMigration(b)];
    expect((await apply(planA, connectionsFor(a, pgServer.url, chServer.url))).ok).toBe(true);
    const t = await runTransition(planTransition(planA, planB), { fromConnections: connectionsFor(a, pgServer.url, chServer.url), toConnections: connectionsFor(b, pgServer.url, chServer.url), workDir: await tempDir('topoplan-work-') });
    expect(t.ok).toBe(true);
    const r = await apply(planB, connectionsFor(b, pgServer.url, chServer.url));
    expect(r.ok).toBe(true);
    // Neo4j has no server here, and the contract phase waits for --contract, as it did for A.
    const rest = r.steps.filter((s) => s.store !== 'graph' && s.cause !== 'contract');
    expect(rest.filter((s) => s.status !== 'already-applied')).toEqual([]);
    expect(rest.length).toBeGreaterThan(40);
  });
});

describe('failure and resume', () => {
  it('a failing statement stops its dependants only; after the fix a re-run reaches the same schema as a clean run', async () => {
    const clean = novaCopy('a', 'clean');
    const cleanTopology = await clean.load();
    expect((await apply(await planMigration(cleanTopology), connectionsFor(cleanTopology, pgServer.url, chServer.url))).ok).toBe(true);

    const broken = novaCopy('a', 'broken');
    const rel = 'realtime-chat-service/migrations/005_create_message_reactions.sql';
    const good = broken.read(rel);
    // Valid SQL the planner accepts; the server rejects the default when it creates the table.
    broken.write(rel, good.replace('emoji VARCHAR(32) NOT NULL,', "emoji VARCHAR(32) NOT NULL,\n    weight INTEGER NOT NULL DEFAULT 'heavy'::integer,"));
    const t1 = await broken.load();
    const r1 = await apply(await planMigration(t1), connectionsFor(t1, pgServer.url, chServer.url));
    expect(r1.ok).toBe(false);
    const failed = r1.steps.filter((s) => s.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error!.file).toBe(rel);
    expect(failed[0]!.error!.line).toBe(5);
    expect(failed[0]!.error!.message).toContain('invalid input syntax for type integer');
    expect(r1.rootCauses.map((r) => r.id)).toContain(failed[0]!.id);
    const skipped = r1.steps.filter((s) => s.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((s) => s.cause === failed[0]!.id)).toBe(true);
    expect(r1.steps.find((s) => s.id.includes('social/006_create_indexes'))!.status).toBe('applied');

    broken.write(rel, good);
    const t2 = await broken.load();
    const r2 = await apply(await planMigration(t2), connectionsFor(t2, pgServer.url, chServer.url));
    expect(r2.ok).toBe(true);
    expect(await fingerprint('nova', 'nova_broken')).toBe(await fingerprint('nova', 'nova_clean'));
  });

  it('two concurrent applies: one applies, the other waits and finds the work done', async () => {
    const nova = novaCopy('a', 'race');
    const topology = await nova.load();
    const plan = await planMigration(topology);
    const conns = connectionsFor(topology, pgServer.url, chServer.url);
    const [a, b] = await Promise.all([apply(plan, conns), apply(plan, conns)]);
    expect(a.ok && b.ok).toBe(true);
    const [loser, winner] = [a, b].sort((x, y) => (statuses(x).applied ?? 0) - (statuses(y).applied ?? 0));
    expect(statuses(loser!).applied ?? 0).toBe(0);
    expect(statuses(winner!).applied).toBeGreaterThan(30);
    expect(statuses(loser!)['already-applied']).toBe((statuses(winner!).applied ?? 0) + (statuses(winner!)['already-applied'] ?? 0));
  });

  it('a store another apply holds fails its own steps only, naming the holder; the other stores apply', async () => {
    const nova = novaCopy('a', 'locked');
    const topology = await nova.load();
    const plan = await planMigration(topology);
    const conns = connectionsFor(topology, pgServer.url, chServer.url);
    const byStore = (r: ApplyResult, store: string) => [...new Set(r.steps.filter((s) => s.store === store).map((s) => s.status))];
    const pgHolder = await postgresEngine.connect({ store: 'nova', database: 'nova_locked', url: pgServer.url });
    const releasePg = await pgHolder.lock({ timeoutMs: 5_000 });
    try {
      const r = await apply(plan, conns, { lockTimeoutMs: 800 });
      expect(r.ok).toBe(false);
      // A locked store's steps fail (or are skipped behind one that failed), nothing of it runs.
      expect(byStore(r, 'nova').sort()).toEqual(['failed', 'skipped']);
      // The ClickHouse database is shared by the tests of this file: earlier ones may have applied it already.
      expect(byStore(r, 'feature_store').every((st) => st === 'applied' || st === 'already-applied')).toBe(true);
      expect(r.rootCauses.map((c) => c.cause)).toContain('lock:nova');
      expect(r.rootCauses.find((c) => c.cause === 'lock:nova')!.error!.message).toMatch(/store "nova" is locked by another apply \(pid \d+ since /);
    } finally {
      await releasePg();
      await pgHolder.close();
    }
    // The other way round: a held ClickHouse store no longer fails the PostgreSQL steps.
    const chHolder = await clickhouseEngine.connect({ store: 'feature_store', database: 'feature_store', url: chServer.url });
    const releaseCh = await chHolder.lock({ timeoutMs: 5_000 });
    try {
      const r = await apply(plan, conns, { lockTimeoutMs: 800 });
      expect(byStore(r, 'nova').sort()).toEqual(['applied', 'not-applied']);
      expect(byStore(r, 'feature_store').sort()).toEqual(['failed', 'skipped']);
      expect(r.rootCauses.find((c) => c.cause === 'lock:feature_store')!.error!.message).toMatch(/store "feature_store" is locked by another apply \(.+ pid \d+ since /);
    } finally {
      await releaseCh();
      await chHolder.close();
    }
    const last = await apply(plan, conns);
    expect(last.ok).toBe(true);
    expect(byStore(last, 'nova').sort()).toEqual(['already-applied', 'not-applied']);
  });
});
