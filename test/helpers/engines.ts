/**
 * Real engines for integration tests, chosen in this order:
 * an URL from the environment, a container when a container runtime answers,
 * otherwise an embedded engine in a temporary directory. Each says which it used.
 *
 * @example
 * const pg = await startTestPostgres()   // { url, source, stop }
 * afterAll(() => pg.stop())
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseUrl } from '../../src/engines/postgres/postgres-url.js';
import { startEmbeddedPostgres } from '../../src/engines/embedded/start-embedded-postgres.js';
import { embeddedClickHouseUrl } from '../../src/engines/embedded/embedded-clickhouse-url.js';

export interface TestEngine {
  readonly url: string;
  /** `env`, `testcontainers`, or the embedded source. */
  readonly source: string;
  stop(): Promise<void>;
}

/** True when testcontainers finds a Docker-compatible runtime (it rejects within milliseconds when none). */
export async function hasContainerRuntime(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** A temporary directory the `postgres` OS user can enter (mkdtemp makes it 0700 for root). */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `topoplan-${prefix}-`));
  await chmod(dir, 0o755);
  return dir;
}

export async function startTestPostgres(): Promise<TestEngine> {
  const fromEnv = process.env.TOPOPLAN_TEST_PG_URL;
  if (fromEnv) return announce('postgres', { url: fromEnv, source: 'env', stop: async () => undefined });
  if (await hasContainerRuntime()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const c = await new PostgreSqlContainer('postgres:17-alpine').start();
    return announce('postgres', { url: c.getConnectionUri(), source: 'testcontainers', stop: async () => { await c.stop(); } });
  }
  const dir = await tempDir('pg');
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), stopWaitMs: 2_000 });
  return announce('postgres', {
    url: pg.url,
    source: pg.source,
    stop: async () => { await pg.stop(); await rm(dir, { recursive: true, force: true }); },
  });
}

export async function startTestClickHouse(): Promise<TestEngine> {
  const fromEnv = process.env.TOPOPLAN_TEST_CH_URL;
  if (fromEnv) return announce('clickhouse', { url: fromEnv, source: 'env', stop: async () => undefined });
  if (await hasContainerRuntime()) {
    const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
    const c = await new ClickHouseContainer('clickhouse/clickhouse-server:25.8').start();
    const url = new URL(c.getHttpUrl());
    url.username = c.getUsername();
    url.password = c.getPassword();
    return announce('clickhouse', { url: url.toString().replace(/\/$/, ''), source: 'testcontainers', stop: async () => { await c.stop(); } });
  }
  const dir = await tempDir('ch');
  return announce('clickhouse', { url: await embeddedClickHouseUrl(dir), source: 'chdb', stop: () => rm(dir, { recursive: true, force: true }) });
}

function announce(engine: string, e: TestEngine): TestEngine {
  console.info(`${engine}: using ${e.source} (${e.url.replace(/\/\/[^@/]*@/, '//***@')})`);
  return e;
}

/** Runs one query in `database` of the PostgreSQL server at `serverUrl`, on a connection of its own. */
export async function queryDatabase<T extends pg.QueryResultRow>(serverUrl: string, database: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}
