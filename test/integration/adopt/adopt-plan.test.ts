/**
 * Adopting a Nova system migrated the way its runbook does it: each file run
 * whole through pg, and for sqlx services the `_sqlx_migrations` rows written
 * as sqlx writes them. Then `adoptPlan` on plan A, `applyPlan`, and the
 * schema must be the one a fresh apply gives.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptPlan } from '../../../src/adopt/adopt-plan.js';
import { checkPlan } from '../../../src/check/check-plan.js';
import type { StoreSchema } from '../../../src/schema/store-schema.js';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { schemaFingerprint } from '../../../src/execute/schema-fingerprint.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import type { Topology } from '../../../src/topology/model.js';
import { startTestPostgres, tempDir } from '../../helpers/engines.js';
import { novaCopy, type NovaCopy } from '../../helpers/nova.js';
import { cli as runCli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';
import { describeSqlxProblems, sqlxConformance, sqlxSetup } from '../../helpers/sqlx-conformance.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
let server: Awaited<ReturnType<typeof startTestPostgres>>;
beforeAll(async () => { server = await startTestPostgres(); });

// What a fresh apply of Nova plan A gives, per store: every copy of it plans the same schema, so it is applied once.
let plannedA: Promise<StoreSchema[]> | undefined;
const plannedSchemas = (plan: Plan) => (plannedA ??= checkPlan(plan).then((r) => [...r.schemas]));
afterAll(async () => { await server?.stop(); });

function urlOf(database: string): string {
  const url = new URL(server.url);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withDatabase<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: urlOf(database) });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/** sqlx's own DDL and writes for one applied migration (PostgreSQL driver). */
async function sqlxRecord(c: pg.Client, table: string, file: string, bytes: Buffer, run: () => Promise<void>): Promise<void> {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const version = BigInt(name.slice(0, name.indexOf('_')));
  const description = name.slice(name.indexOf('_') + 1).replace(/\.sql$/, '').replace(/_/g, ' ');
  await c.query(`CREATE TABLE IF NOT EXISTS ${table} (\n    version BIGINT PRIMARY KEY,\n    description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);`);
  const started = process.hrtime.bigint();
  await c.query('BEGIN');
  await run();
  await c.query(`INSERT INTO ${table} ( version, description, success, checksum, execution_time ) VALUES ( $1, $2, TRUE, $3, -1 )`, [version.toString(), description, createHash('sha384').update(bytes).digest()]);
  await c.query('COMMIT');
  await c.query(`UPDATE ${table} SET execution_time = $1 WHERE version = $2`, [(process.hrtime.bigint() - started).toString(), version.toString()]);
}

/** The runbook: create the database, then run each file whole, in the order given; sqlx services' files with their rows. */
async function runbook(nova: NovaCopy, topology: Topology, database: string, files: readonly string[]): Promise<void> {
  await withDatabase('postgres', (c) => c.query(`CREATE DATABASE ${database}`));
  await withDatabase(database, async (c) => {
    for (const file of files) {
      const bytes = readFileSync(join(nova.dir, 'nova', file));
      const service = [...topology.services.values()].find((s) => s.ledger === 'sqlx' && s.sets.some((set) => file.startsWith(`${topology.sets.get(set)!.dir}/`)));
      const run = async () => { await c.query(bytes.toString('utf8')); };
      if (service) await sqlxRecord(c, service.sqlx?.table ?? '_sqlx_migrations', file, bytes, run);
      else await run();
    }
  });
}

async function fingerprint(database: string): Promise<string> {
  const s = await postgresEngine.connect({ store: 'nova', database, url: server.url });
  try { return schemaFingerprint(await s.inspect()); } finally { await s.close(); }
}

const RUN = [
  'backend/migrations/001_create_extensions_and_users.sql',
  'backend/migrations/002_create_posts.sql',
  'backend/migrations/003_create_follows.sql',
  'backend/migrations/006_create_bookmarks.sql',
  'backend/migrations/012_create_sessions.sql',
  'user-service/migrations/001_create_user_settings.sql',
  'content-service/migrations/001_create_post_media.sql',
  'social-service/migrations/001_create_social_tables.sql',
  'social-service/migrations/002_create_post_counters.sql',
  'social-service/migrations/003_create_comment_likes.sql',
  'realtime-chat-service/migrations/001_create_chat_types.sql',
  'realtime-chat-service/migrations/002_create_conversations.sql',
];

describe('adopt Nova plan A after part of its runbook', () => {
  const nova = novaCopy('a', 'ad');
  let topology: Topology;
  let plan: Plan;
  const connections = () => Object.fromEntries(plan.stores.map((s) => [s.name, s.engine === 'postgres' ? server.url : undefined]));

  beforeAll(async () => {
    topology = await nova.load();
    plan = await planMigration(topology);
    await runbook(nova, topology, 'nova_ad', RUN);
  });

  it('a dry run shows what is adopted and pending per store, and writes nothing', async () => {
    const r = await adoptPlan(plan, { connections: connections(), dryRun: true, planned: await plannedSchemas(plan) });
    expect(r.ok).toBe(true);
    const nova = r.stores.find((s) => s.store === 'nova')!;
    // Besides the files that ran: the database, and the legacy cleanup's drop of conversations, which chat-service
    // created again (running that drop would destroy the live table).
    const expected = (a: { id: string; file?: string }) => (a.file ? RUN.includes(a.file) : a.id === 'nova:database') || a.id === 'nova:legacy/999_cleanup_old_messaging_tables.sql#3';
    const wrong = nova.steps.filter((a) => (a.status === 'adopted') !== expected(a));
    expect(wrong).toEqual([]);
    expect(nova.counts.conflicting).toBe(0);
    expect(nova.counts.adopted).toBeGreaterThan(RUN.length);
    expect(nova.written).toBe(0);
    expect(r.stores.find((s) => s.store === 'feature_store')!.reachable).toBe(false);
    expect(await withDatabase('nova_ad', (c) => c.query("SELECT to_regclass('topoplan.ledger') AS t"))).toMatchObject({ rows: [{ t: null }] });
  });

  it('adopting records what is in effect; the next apply runs the rest and ends in the schema of a fresh apply', async () => {
    const adopted = await adoptPlan(plan, { connections: connections(), planned: await plannedSchemas(plan) });
    expect(adopted.ok).toBe(true);
    expect(adopted.stores.find((s) => s.store === 'nova')!.written).toBeGreaterThan(0);
    const applied = await applyPlan(plan, { connections: connections(), workDir: await tempDir('adopt'), verify: false });
    expect(applied.steps.filter((s) => s.status === 'failed')).toEqual([]);
    const ran = applied.steps.filter((s) => s.status === 'applied').map((s) => plan.steps.find((p) => p.id === s.id)!.source?.file);
    expect(ran.filter((f) => f && RUN.includes(f))).toEqual([]);

    const fresh = novaCopy('a', 'adfresh');
    const freshTopology = await fresh.load();
    const freshPlan = await planMigration(freshTopology);
    const r = await applyPlan(freshPlan, { connections: Object.fromEntries(freshPlan.stores.map((s) => [s.name, s.engine === 'postgres' ? server.url : undefined])), workDir: await tempDir('adopt-fresh'), verify: false });
    expect(r.steps.filter((s) => s.status === 'failed')).toEqual([]);
    expect(await fingerprint('nova_ad')).toBe(await fingerprint('nova_adfresh'));
    for (const service of [...topology.services.values()].filter((s) => s.ledger === 'sqlx' && s.stores.postgres === 'nova')) {
      expect([service.name, describeSqlxProblems(await withDatabase('nova_ad', (c) => sqlxConformance(c, sqlxSetup(topology, service))))]).toEqual([service.name, 'accepted']);
    }
  });
});

describe('adopt where an object differs from the plan', () => {
  it('is a conflict with the difference, writes nothing, and --prefer live adopts it', async () => {
    const nova = novaCopy('a', 'adc');
    const topology = await nova.load();
    const plan = await planMigration(topology);
    // The outdated legacy copy of the social schema instead of social-service's own files.
    await runbook(nova, topology, 'nova_adc', ['backend/migrations/001_create_extensions_and_users.sql', 'backend/migrations/002_create_posts.sql', 'backend/migrations/100_social_service_schema.sql']);
    const connections = Object.fromEntries(plan.stores.map((s) => [s.name, s.engine === 'postgres' ? server.url : undefined]));
    const r = await adoptPlan(plan, { connections, planned: await plannedSchemas(plan) });
    expect(r.ok).toBe(false);
    const conflicts = r.stores.find((s) => s.store === 'nova')!.steps.filter((a) => a.status === 'conflicting');
    expect(conflicts.map((a) => a.file)).toContain('social-service/migrations/001_create_social_tables.sql');
    expect(conflicts.flatMap((a) => a.difference ?? []).join('\n')).toMatch(/column "content"/);
    expect(await withDatabase('nova_adc', (c) => c.query("SELECT to_regclass('topoplan.ledger') AS t"))).toMatchObject({ rows: [{ t: null }] });
    // The command line says the same, and exits 1 until told which side wins.
    const yaml = readFileSync(nova.topologyFile, 'utf8').replace(/(nova:\n(?:\s+\w+: .*\n)*?\s+)url: ""/, `$1url: "${server.url}"`);
    expect(yaml).toContain(server.url);
    writeFileSync(nova.topologyFile, yaml);
    const dataDir = await tempDir('adopt-cli');
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(repo, 'bin', 'topoplan.js'), 'adopt', nova.topologyFile, '--dry-run', '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const refused = cli();
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stdout).toMatch(/✗ conflicting nova:social\/001_create_social_tables.sql#1-3: .* another definition/);
    expect(refused.stdout).toContain('column "content"');
    expect(refused.stdout).toContain('--prefer live');
    expect(refused.stdout).toContain('(dry run: nothing written)');
    const asJson = cli('--format', 'json');
    expect(asJson.status, asJson.stderr).toBe(1);
    const doc = JSON.parse(asJson.stdout) as { format: string; ok: boolean; dryRun: boolean; stores: { store: string }[] };
    expect([doc.format, doc.ok, doc.dryRun]).toEqual(['topoplan-adopt/1', false, true]);
    expect(doc.stores.map((s) => s.store)).toContain('nova');
    expect(cli('--prefer', 'sideways').status).toBe(2);
    const live = await adoptPlan(plan, { connections, prefer: 'live', planned: await plannedSchemas(plan) });
    expect(live.ok).toBe(true);
    expect(live.stores.find((s) => s.store === 'nova')!.steps.find((a) => a.file === 'social-service/migrations/001_create_social_tables.sql')!.evidence).toContain('prefer live');
  });
});

describe('other tools\' ledgers', () => {
  const files = {
    'db/migrations/20240101000000_create_prices.sql': 'CREATE TABLE prices (sku text PRIMARY KEY, cents bigint NOT NULL);\n',
    'db/migrations/20240102000000_backfill_prices.sql': "UPDATE prices SET cents = 0 WHERE cents < 0;\n",
    'db/migrations/20240103000000_create_discounts.sql': 'CREATE TABLE discounts (sku text NOT NULL REFERENCES prices (sku), percent int NOT NULL);\n',
  };
  const ran = ['db/migrations/20240101000000_create_prices.sql', 'db/migrations/20240102000000_backfill_prices.sql'];

  it.each([
    ['dbmate', 'CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations VALUES (\'20240101000000\'), (\'20240102000000\')', 'dbmate records version 20240102000000 in public.schema_migrations'],
    ['golang-migrate', 'CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (20240102000000, false)', 'golang-migrate records version 20240102000000 in public.schema_migrations'],
    ['flyway', 'CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200), type varchar(20), script varchar(1000) NOT NULL, checksum int, installed_by varchar(100), installed_on timestamp DEFAULT now(), execution_time int, success boolean NOT NULL); INSERT INTO flyway_schema_history (installed_rank, version, script, success) VALUES (1, \'20240101000000\', \'20240101000000_create_prices.sql\', true), (2, \'20240102000000\', \'20240102000000_backfill_prices.sql\', true)', 'flyway records 20240102000000_backfill_prices.sql in public.flyway_schema_history'],
  ])('%s: a file the schema cannot confirm is adopted when the tool recorded it', async (tool, ledgerSql, evidence) => {
    const database = `prices_${tool.replace('-', '_')}`;
    const { topologyFile, dir } = makeProject(files, { stores: { prices: { engine: 'postgres', database } }, sets: { db: { dir: 'db/migrations' } }, services: { pricing: { stores: { postgres: 'prices' }, sets: ['db'], owns: ['prices', 'discounts'] } } });
    await withDatabase('postgres', (c) => c.query(`CREATE DATABASE ${database}`));
    await withDatabase(database, async (c) => {
      for (const f of ran) await c.query(readFileSync(join(dir, f), 'utf8'));
      await c.query(ledgerSql);
    });
    const plan = await planMigration(topologyFile, { env: {} });
    const r = await adoptPlan(plan, { connections: { prices: server.url } });
    const store = r.stores[0]!;
    expect(store.knownLedgers.join()).toContain(tool);
    expect(store.steps.map((a) => [a.file ?? a.id, a.status])).toEqual([
      ['prices:database', 'adopted'],
      ['db/migrations/20240101000000_create_prices.sql', 'adopted'],
      ['db/migrations/20240102000000_backfill_prices.sql', 'adopted'],
      ['db/migrations/20240103000000_create_discounts.sql', 'pending'],
    ]);
    expect(store.steps[2]!.evidence).toBe(evidence);
    const applied = await applyPlan(plan, { connections: { prices: server.url }, workDir: await tempDir('adopt-tools'), verify: false });
    expect(applied.steps.map((s) => s.status)).toEqual(['already-applied', 'already-applied', 'already-applied', 'applied']);
  });
});

describe('which side wins a conflict, from the command line', () => {
  it('exits 1 until told; --prefer plan leaves the step pending, --prefer live=OBJECT adopts it; apply then runs only what is pending', async () => {
    const files = {
      'db/20240101000000_create_prices.sql': 'CREATE TABLE prices (sku text PRIMARY KEY, cents bigint NOT NULL);\n',
      'db/20240102000000_create_discounts.sql': 'CREATE TABLE discounts (sku text NOT NULL REFERENCES prices (sku), percent int NOT NULL);\n',
    };
    const { topologyFile } = makeProject(files, { stores: { prices: { engine: 'postgres', database: 'prices_sides', url: server.url } }, sets: { db: { dir: 'db' } }, services: { pricing: { stores: { postgres: 'prices' }, sets: ['db'], owns: ['prices', 'discounts'] } } });
    await withDatabase('postgres', (c) => c.query('CREATE DATABASE prices_sides'));
    await withDatabase('prices_sides', (c) => c.query('CREATE TABLE prices (sku varchar(20) PRIMARY KEY, cents int NOT NULL)'));
    const adopt = async (...args: string[]) => {
      const r = await runCli(['adopt', topologyFile, '--format', 'json', ...args]);
      const doc = JSON.parse(r.out) as { ok: boolean; stores: { steps: { file?: string; status: string; evidence: string }[]; written: number }[] };
      return { code: r.code, steps: doc.stores[0]!.steps.filter((a) => a.file).map((a) => [a.file, a.status]), written: doc.stores[0]!.written, evidence: doc.stores[0]!.steps.find((a) => a.file?.includes('prices'))!.evidence };
    };
    const refused = await adopt();
    expect([refused.code, refused.written]).toEqual([1, 0]);
    expect(refused.steps).toEqual([['db/20240101000000_create_prices.sql', 'conflicting'], ['db/20240102000000_create_discounts.sql', 'pending']]);
    const plan = await adopt('--prefer', 'plan', '--dry-run');
    expect([plan.code, plan.written]).toEqual([0, 0]);
    expect(plan.steps).toEqual([['db/20240101000000_create_prices.sql', 'pending'], ['db/20240102000000_create_discounts.sql', 'pending']]);
    expect(plan.evidence).toContain('(prefer plan)');
    const live = await adopt('--prefer', 'live=prices');
    expect(live.code).toBe(0);
    expect(live.written).toBeGreaterThan(0);
    expect(live.steps).toEqual([['db/20240101000000_create_prices.sql', 'adopted'], ['db/20240102000000_create_discounts.sql', 'pending']]);
    const applied = await applyPlan(await planMigration(topologyFile, { env: {} }), { connections: { prices: server.url }, workDir: await tempDir('adopt-sides'), verify: false });
    expect(applied.steps.map((s) => [s.id, s.status])).toEqual([['prices:database', 'already-applied'], ['prices:db/20240101000000_create_prices.sql#1', 'already-applied'], ['prices:db/20240102000000_create_discounts.sql#1', 'applied']]);
    expect(await withDatabase('prices_sides', (c) => c.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'prices' AND column_name = 'cents'"))).toMatchObject({ rows: [{ data_type: 'integer' }] });
  });
});
