import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject } from '../../helpers/project.js';
import { describe, expect, it } from 'vitest';
import { diffTopologies, renderDiffMarkdown, renderDiffText } from '../../../src/diff/index.js';
import { planMigration } from '../../../src/plan/plan-migration.js';

const golden = (name: string, text: string) => {
  const path = `test/fixtures/diff/${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
};

describe('diffTopologies on the Nova plans', async () => {
  const a = await planMigration('topologies/nova-plan-a.yaml', { env: {} });
  const b = await planMigration('topologies/nova-plan-b.yaml', { env: {} });
  const diff = diffTopologies(a, b);

  it('a topology against itself has no difference', () => {
    const self = diffTopologies(a, a);
    expect(self.identical).toBe(true);
    expect(self.moves).toEqual([]);
    expect(self.services.filter((s) => s.changes)).toEqual([]);
    expect(renderDiffText(self)).toContain('No differences.');
  });

  it('groups moving objects by owning service', () => {
    expect(diff.identical).toBe(false);
    const social = diff.moves.find((m) => m.service === 'social-service')!;
    expect(social.objects.filter((o) => o.kind === 'table').map((o) => o.name)).toEqual(['comment_likes', 'comments', 'likes', 'post_counters', 'processed_events', 'shares']);
    expect(social.objects.every((o) => o.from.join() === 'nova' && o.to.join() === 'nova_social')).toBe(true);
  });

  it('lists foreign keys that cross stores in B, with both ends and the chosen resolution', () => {
    const fk = diff.foreignKeys.find((f) => f.key === 'messages(sender_id) → users')!;
    expect(fk.a).toEqual({ fromStore: 'nova', toStore: 'nova', crosses: false });
    expect(fk.b.crosses).toBe(true);
    expect(fk.b.fromStore).toBe('nova_chat');
    expect(fk.b.toStore).toBe('nova');
    expect(fk.b.resolution).toMatch(/^drop/);
    expect(fk.options).toHaveLength(3);
  });

  it('names the connection each service needs, and whose sqlx ledger moves', () => {
    const chat = diff.services.find((s) => s.service === 'realtime-chat-service')!;
    expect(chat).toMatchObject({ env: 'DATABASE_URL', a: { database: 'nova' }, b: { database: 'nova_chat', url: '${NOVA_CHAT_PG_URL:-}' }, sqlxLedgerMoves: true });
    expect(diff.services.find((s) => s.service === 'user-service')!.changes).toBe(false);
  });

  it('shows shared objects needed in several stores and legacy files split differently', () => {
    expect(diff.shared.find((s) => s.name === 'update_updated_at_column')!.b).toEqual(['nova', 'nova_features']);
    expect(diff.splitFiles.map((f) => f.file)).toContain('backend/migrations/007_seed_demo_data.sql');
  });

  it('matches the reviewed golden files in every format', () => {
    golden('nova-a-vs-b.txt', renderDiffText(diff));
    golden('nova-a-vs-b.md', renderDiffMarkdown(diff));
    golden('nova-a-vs-b.json', JSON.stringify(diff, null, 2) + '\n');
  });
});

describe('diffTopologies of one ClickHouse tree, single node against a cluster', async () => {
  const single = await planMigration('test/fixtures/collector/collector-single.yaml', { env: {} });
  const cluster = await planMigration('test/fixtures/collector/collector-cluster.yaml', { env: {} });
  const diff = diffTopologies(single, cluster);

  it('lists each changed definition per object, part by part, and counts the statements that change', () => {
    expect(diff.identical).toBe(false);
    expect(diff.moves).toEqual([]);
    const spans = diff.definitions.find((d) => d.name === 'obs_traces.spans_local')!;
    expect(spans).toMatchObject({ kind: 'table', a: 'traces/000002_spans.up.sql:3', b: 'traces/000002_spans.up.sql:3' });
    expect(spans.parts).toEqual([{ part: 'ON CLUSTER', b: 'obs' }, { part: 'engine', a: 'MergeTree', b: 'ReplicatedMergeTree' }]);
    const keys = diff.definitions.find((d) => d.name === 'obs_logs.attribute_keys_local')!;
    expect(keys.parts).toContainEqual({ part: 'engine', a: 'ReplacingMergeTree(seen)', b: 'ReplicatedReplacingMergeTree(seen)' });
    const replicated = diff.definitions.filter((d) => d.parts.some((p) => p.part === 'engine' && p.b?.startsWith('Replicated')));
    expect(replicated.map((d) => d.name).sort()).toEqual([
      'obs_logs.attribute_keys_local', 'obs_logs.logs_local', 'obs_logs.severity_counts', 'obs_meta.service_owners_local', 'obs_meta.usage_local',
      'obs_traces.service_minutes_local', 'obs_traces.span_errors_local', 'obs_traces.spans_local',
    ]);
    // Made by a guarded RENAME: the rename runs ON CLUSTER, and the table renamed to it becomes Replicated.
    const rename = diff.definitions.find((d) => d.name === 'obs_traces.span_errors_local')!;
    expect(rename).toMatchObject({ a: 'traces/000004_rename_errors.up.sql:6', b: 'traces/000004_rename_errors.up.sql:6' });
    expect(rename.parts).toEqual([{ part: 'ON CLUSTER', b: 'obs' }, { part: 'engine', a: 'MergeTree', b: 'ReplicatedMergeTree' }]);
    expect(diff.definitions.map((d) => d.name)).toContain('obs_meta.service_team');
    const ddl = cluster.steps.filter((s) => s.kind === 'sql').flatMap((s) => s.statements).filter((q) => /ON CLUSTER/.test(q)).length;
    expect(diff.statements).toEqual({ changed: ddl, onCluster: ddl });
    expect(renderDiffText(diff)).toContain('    ON CLUSTER: — → obs');
    expect(renderDiffMarkdown(diff)).toContain('| table `obs_traces.spans_local` | ON CLUSTER | — | `obs` |');
  });

  it('compares no PostgreSQL definition: a statement whose text differs between the topologies is not counted', async () => {
    const { dir, topologyFile } = makeProject(
      { 'app/001_t.sql': "CREATE TABLE t (id int, note text DEFAULT '{{.NOTE}}');\n" },
      { stores: { main: { engine: 'postgres', database: 'main' } }, sets: { app: { dir: 'app', variables: { NOTE: { store: 'database' } } } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } },
    );
    writeFileSync(join(dir, 'other.yaml'), 'topoplan: 1\nname: other\nextends: topology.yaml\nstores:\n  main: { engine: postgres, database: other }\n');
    const [a, b] = [await planMigration(topologyFile, { env: {} }), await planMigration(join(dir, 'other.yaml'), { env: {} })];
    expect(a.steps.find((s) => s.kind === 'sql')!.statements[0]).toContain("'main'");
    expect(b.steps.find((s) => s.kind === 'sql')!.statements[0]).toContain("'other'");
    const diff = diffTopologies(a, b);
    expect(diff.definitions).toEqual([]);
    expect(diff.statements).toEqual({ changed: 0, onCluster: 0 });
  });

  it('compares a table a RENAME DATABASE moved by the CREATE it was made with', async () => {
    const { dir, topologyFile } = makeProject(
      {
        'obs/001_scratch.sql': "CREATE TABLE obs_tmp.hits (id UInt64) ENGINE = {{.REPLICATED}}MergeTree ORDER BY id;\nRENAME DATABASE obs_tmp TO obs_archive;\n",
      },
      {
        stores: { ch: { engine: 'clickhouse', database: 'obs' } },
        sets: { obs: { dir: 'obs', variables: { REPLICATED: { store: 'replicated', default: 'false', values: { true: 'Replicated', false: '' } } } } },
        services: { collector: { stores: { clickhouse: 'ch' }, sets: ['obs'] } },
      },
    );
    writeFileSync(join(dir, 'cluster.yaml'), 'topoplan: 1\nname: cluster\nextends: topology.yaml\nstores:\n  ch: { engine: clickhouse, database: obs, cluster: obs, replicated: true }\n');
    const [a, b] = [await planMigration(topologyFile, { env: {} }), await planMigration(join(dir, 'cluster.yaml'), { env: {} })];
    const moved = diffTopologies(a, b).definitions.find((d) => d.name === 'obs_archive.hits')!;
    expect(moved).toMatchObject({ kind: 'table', a: 'obs/001_scratch.sql:2', b: 'obs/001_scratch.sql:2' });
    expect(moved.parts).toEqual([{ part: 'ON CLUSTER', b: 'obs' }, { part: 'engine', a: 'MergeTree', b: 'ReplicatedMergeTree' }]);
  });

  it('compares engines, keys, TTLs and column types of two definitions', async () => {
    const { definitionParts } = await import('../../../src/sql/clickhouse/clickhouse-definition.js');
    const a = definitionParts('CREATE TABLE d.t (ts DateTime, k String) ENGINE = MergeTree ORDER BY (k, ts) TTL ts + INTERVAL 1 DAY');
    const b = definitionParts("CREATE TABLE IF NOT EXISTS d.t ON CLUSTER obs (ts DateTime64(3), k LowCardinality(String)) ENGINE = ReplicatedMergeTree('/t', '{replica}') ORDER BY k TTL ts + INTERVAL 7 DAY");
    expect(a).toEqual({ engine: 'MergeTree', 'ORDER BY': '(k, ts)', TTL: 'ts + INTERVAL 1 DAY', 'column ts': 'DateTime', 'column k': 'String' });
    expect(b).toEqual({ 'ON CLUSTER': 'obs', engine: "ReplicatedMergeTree('/t', '{replica}')", 'ORDER BY': 'k', TTL: 'ts + INTERVAL 7 DAY', 'column ts': 'DateTime64(3)', 'column k': 'LowCardinality(String)' });
    expect(definitionParts('CREATE MATERIALIZED VIEW d.m TO d.t AS SELECT 1')).toEqual({ TO: 'd.t' });
  });
});
