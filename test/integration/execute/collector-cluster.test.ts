/**
 * The collector fixture (three ClickHouse databases, golang-migrate pairs,
 * Distributed tables over local ones, materialized views with TO targets, a
 * guarded RENAME, a dictionary) planned for a replicated cluster and applied
 * on embedded ClickHouse as a one-node cluster of that name; `topoplan check`
 * proves the same plan on a scratch engine against the committed schema files.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../../src/execute/apply-plan.js';
import { namedClusters } from '../../../src/execute/named-clusters.js';
import { closeSessions, openSessions } from '../../../src/execute/open-sessions.js';
import { storeStatus } from '../../../src/execute/store-status.js';
import { resolveConnections, type Connections } from '../../../src/execute/resolve-connections.js';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { acquireTableLock } from '../../../src/engines/clickhouse/clickhouse-lock.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { loadTopology } from '../../../src/topology/index.js';
import { tempDir } from '../../helpers/engines.js';

const TOPOLOGY = 'test/fixtures/collector/collector-cluster.yaml';
let dir: string;
let conns: Connections;
let plan: Plan;
let first: ApplyResult;
let ch: ClickHouseConnection;

beforeAll(async () => {
  dir = await tempDir('collector');
  const { topology } = await loadTopology(TOPOLOGY, { env: {} });
  plan = await planMigration(topology!);
  conns = await resolveConnections(topology!, { dir, clusters: namedClusters(plan) });
  first = await applyPlan(plan, { connections: conns.connections, workDir: conns.workDir });
  ch = await openClickHouse(conns.connections.traces!);
});

afterAll(async () => {
  await ch?.close();
  await conns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the collector tree on a one-node embedded cluster', () => {
  it('plans with no errors and no skips, every DDL ON CLUSTER obs', () => {
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.skipped).toEqual([]);
    expect(plan.steps.every((s) => s.cluster === 'obs')).toBe(true);
    const ddl = plan.steps.flatMap((s) => s.statements).filter((sql) => /^(CREATE|DROP|ALTER|RENAME)\b/.test(sql));
    expect(ddl.length).toBeGreaterThan(25);
    for (const sql of ddl) expect(sql).toMatch(/\bON CLUSTER obs\b/);
    // The down files are not forward steps.
    expect(plan.steps.some((s) => s.source?.file.endsWith('.down.sql'))).toBe(false);
  });

  it('applies with no failure, and says per statement what ran otherwise on one node', () => {
    expect(first.steps.filter((s) => s.status !== 'applied').map((s) => [s.id, s.status, s.error?.message])).toEqual([]);
    expect(first.ok).toBe(true);
    const notes = first.steps.flatMap((s) => s.notes ?? []);
    expect(notes.length).toBeGreaterThan(25);
    expect(notes.every((n) => /^statement \d+: /.test(n))).toBe(true);
    expect(notes.some((n) => n.includes('ON CLUSTER obs ran on the one embedded node'))).toBe(true);
    expect(first.verification?.ok ?? true).toBe(true);
  });

  it('builds the schema the tree describes: engines, Distributed tables over their local ones, views and their targets', async () => {
    const tables = await ch.rows<{ db: string; name: string; engine: string; full: string }>(
      `SELECT database AS db, name, engine, engine_full AS full FROM system.tables
        WHERE database IN ('obs_traces', 'obs_logs', 'obs_meta') AND name NOT LIKE '.inner%' AND name != 'topoplan_ledger' ORDER BY db, name`,
    );
    const engines = Object.fromEntries(tables.map((t) => [`${t.db}.${t.name}`, t.engine]));
    expect(engines).toEqual({
      'obs_logs.attribute_keys': 'Distributed',
      'obs_logs.attribute_keys_local': 'ReplacingMergeTree',
      'obs_logs.logs': 'Distributed',
      'obs_logs.logs_local': 'MergeTree',
      'obs_logs.severity_counts': 'MaterializedView',
      'obs_meta.service_owners': 'Distributed',
      'obs_meta.service_owners_local': 'ReplacingMergeTree',
      'obs_meta.service_team': 'Dictionary',
      'obs_meta.usage': 'Distributed',
      'obs_meta.usage_by_team': 'View',
      'obs_meta.usage_local': 'SummingMergeTree',
      'obs_traces.service_minutes': 'Distributed',
      'obs_traces.service_minutes_local': 'SummingMergeTree',
      'obs_traces.service_minutes_mv': 'MaterializedView',
      'obs_traces.span_errors': 'Distributed',
      'obs_traces.span_errors_local': 'MergeTree',
      'obs_traces.spans': 'Distributed',
      'obs_traces.spans_local': 'MergeTree',
    });
    expect(tables.find((t) => t.name === 'spans')!.full).toMatch(/^Distributed\('obs', 'obs_traces', 'spans_local', cityHash64\(trace_id\)\)/);
    const targets = await ch.rows<{ name: string; target: string }>(
      `SELECT name, arrayJoin(dependencies_table) AS target FROM system.tables WHERE database = 'obs_traces' AND name = 'spans_local'`,
    );
    expect(targets.map((t) => t.target)).toContain('service_minutes_mv');
    const mv = await ch.rows<{ q: string }>(`SELECT create_table_query AS q FROM system.tables WHERE database = 'obs_traces' AND name = 'service_minutes_mv'`);
    expect(mv[0]!.q).toMatch(/TO obs_traces\.service_minutes_local/);
  });

  it('writes through a Distributed table into its local table, and the view rolls it up', async () => {
    await ch.command(`INSERT INTO obs_traces.spans (timestamp, trace_id, span_id, \`service.name\`, name, duration_nano, status_code) VALUES (now64(9), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 's1', 'checkout', 'GET /cart', 1000, 2)`, undefined, { insert_distributed_sync: '1' });
    expect(await ch.rows<{ n: number }>('SELECT toUInt8(count()) AS n FROM obs_traces.spans_local')).toEqual([{ n: 1 }]);
    expect(await ch.rows<{ errors: number }>("SELECT toUInt8(sum(errors)) AS errors FROM obs_traces.service_minutes WHERE service = 'checkout'")).toEqual([{ errors: 1 }]);
    expect(await ch.rows<{ team: string }>("SELECT dictGet('obs_meta.service_team', 'team', tuple('checkout')) AS team")).toEqual([{ team: 'payments; core' }]);
  });

  it('leaves nothing pending, changed or unknown: the table a guarded RENAME makes is the plan\'s', async () => {
    const sessions = await openSessions(plan.stores, conns.connections);
    try {
      const status = await storeStatus(plan, sessions);
      expect(status.map((s) => [s.store, s.pending, s.changed, s.unfinished, s.orphaned, s.unknown])).toEqual(
        ['logs', 'meta', 'traces'].map((store) => [store, [], [], [], [], []]),
      );
    } finally {
      await closeSessions(sessions);
    }
  });

  it('passes topoplan check, schema files included, and lists what one node ran otherwise, per statement', () => {
    // A check opens a chdb of its own, which one process cannot do beside the one above: it runs as the CLI does.
    const r = spawnSync(process.execPath, ['bin/topoplan.js', 'check', TOPOLOGY], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('check: ok: 32 steps: 32 applied');
    for (const store of ['logs', 'meta', 'traces']) expect(r.stdout).toContain(`${store.padEnd(16)}matches test/fixtures/collector/schema/collector-cluster/${store}.json`);
    expect(r.stdout).toMatch(/ran otherwise than written \(\d+ statements\): not proven here/);
    expect(r.stdout).toContain('traces:traces/000002_spans.up.sql#1 statement 1: ON CLUSTER obs ran on the one embedded node; ReplicatedMergeTree ran as MergeTree: replication is not proven on one node');
  });

  it('locks each store in the process on embedded ClickHouse, one apply excluding another; a replicated store\'s claims go to the table every node holds', async () => {
    // The apply wrote no claim: no other process can open the data directory while it runs.
    const lockTables = "SELECT name FROM system.tables WHERE database = 'default' AND name IN ('topoplan_locks', 'topoplan_cluster_locks')";
    expect(await ch.rows(lockTables)).toEqual([]);
    const connect = () => clickhouseEngine.connect({ store: 'traces', database: 'obs_traces', url: conns.connections.traces!, cluster: 'obs', replicated: true });
    const [one, two] = [await connect(), await connect()];
    try {
      const release = await one.lock({ timeoutMs: 1_000 });
      await expect(two.lock({ timeoutMs: 300, pollMs: 50 })).rejects.toThrow(/store "traces" is locked by another apply \(.*pid \d+/);
      await release();
      await (await two.lock({ timeoutMs: 1_000 }))();
    } finally {
      await one.close();
      await two.close();
    }
    // On a server, the claims of a replicated store are in one replicated table, ordered by Keeper's block numbers.
    const lock = await acquireTableLock(ch, { store: 'traces', database: 'obs_traces', timeoutMs: 1_000, cluster: { cluster: 'obs', replicated: true } });
    await lock.release();
    const claims = await ch.rows<{ name: string; kinds: string[] }>(
      "SELECT name, groupArray(kind) AS kinds FROM (SELECT name, kind FROM default.topoplan_cluster_locks ORDER BY _block_number) GROUP BY name ORDER BY name",
    );
    expect(claims).toEqual([{ name: 'obs_traces', kinds: ['claim', 'release'] }]);
    expect(await ch.rows(lockTables)).toEqual([{ name: 'topoplan_cluster_locks' }]);
  });

  it('changes nothing when applied again', async () => {
    const again = await applyPlan(plan, { connections: conns.connections, workDir: conns.workDir });
    expect(again.ok).toBe(true);
    expect(new Set(again.steps.map((s) => s.status))).toEqual(new Set(['already-applied']));
  });
});
