/**
 * How the planner treats ClickHouse statements: engine from the service's
 * store, one namespace for tables, views and dictionaries, unqualified names
 * in the store's database, what a drop destroys, RENAME ... IF EXISTS, and SET
 * kept with the statement it governs.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { makeProject } from '../../helpers/project.js';

async function plan(files: Record<string, string>): Promise<Plan> {
  const { topologyFile } = makeProject(files, {
    stores: { ch: { engine: 'clickhouse', database: 'obs' } },
    sets: { obs: { dir: 'obs' } },
    services: { collector: { stores: { clickhouse: 'ch' }, sets: ['obs'] } },
  });
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity !== 'info');
const step = (p: Plan, file: string, n: number) => p.steps.find((s) => s.source?.file === `obs/${file}` && s.source.firstStatement <= n - 1 && s.source.lastStatement >= n - 1)!;

describe('ClickHouse in the planner', () => {
  const files = {
    // Portable SQL that PostgreSQL would also parse: only the store says it is ClickHouse.
    'obs/001_base.sql': [
      'CREATE TABLE events_local (id UInt64, ts DateTime) ENGINE = MergeTree ORDER BY id',
      'CREATE TABLE obs.events AS obs.events_local ENGINE = Distributed(obs, obs, events_local)',
      'CREATE TABLE counts (id UInt64, n UInt64) ENGINE = SummingMergeTree ORDER BY id',
      'CREATE MATERIALIZED VIEW counts_mv TO counts AS SELECT id, count() AS n FROM events_local GROUP BY id',
      'CREATE MATERIALIZED VIEW obs.inner_mv ENGINE = MergeTree ORDER BY id AS SELECT id FROM obs.events_local',
      "CREATE DICTIONARY obs.names (id UInt64, name String) PRIMARY KEY id SOURCE(CLICKHOUSE(TABLE 'events_local')) LAYOUT(FLAT()) LIFETIME(0)",
      'CREATE TABLE old_spans (id UInt64) ENGINE = MergeTree ORDER BY id',
    ].join(';\n') + ';\n',
    'obs/002_reshape.sql': [
      'RENAME TABLE IF EXISTS obs.old_spans TO spans',
      'RENAME TABLE IF EXISTS never_created TO also_never',
      'CREATE VIEW spans_view AS SELECT * FROM obs.spans',
      'SET mutations_sync = 2',
      'ALTER TABLE spans DELETE WHERE id = 0',
    ].join(';\n') + ';\n',
    'obs/003_cleanup.sql': [
      'DROP TABLE obs.counts_mv',
      'DROP TABLE events',
      'DROP DICTIONARY names',
      'DROP TABLE obs.inner_mv',
      'DROP TABLE IF EXISTS spans_view',
      'DROP TABLE counts',
    ].join(';\n') + ';\n',
  };

  it('reads every file of a ClickHouse-only service as ClickHouse, with no errors', async () => {
    const p = await plan(files);
    expect(errors(p)).toEqual([]);
    expect(p.skipped).toEqual([]);
    expect(p.steps.filter((s) => s.kind === 'sql').every((s) => s.engine === 'clickhouse')).toBe(true);
  });

  it('links each DROP TABLE to the object it removes, unqualified or not, and holds back only drops of data', async () => {
    const p = await plan(files);
    const drops = ['obs.counts_mv', 'obs.events', 'obs.names', 'obs.inner_mv', 'obs.spans_view', 'obs.counts'];
    const dropSteps = drops.map((_, i) => step(p, '003_cleanup.sql', i + 1));
    expect(dropSteps.map((s) => s.destructive)).toEqual([false, false, false, true, false, true]);
    expect(dropSteps.map((s) => s.phase === 'contract')).toEqual([false, false, false, true, false, true]);
    expect(dropSteps[5]!.destroys.map((d) => [d.kind, d.object.schema, d.object.name, d.summary])).toEqual([['drop', 'obs', 'counts', 'table "obs.counts" (definition and rows)']]);
    // Each drop runs after what created the object, found across qualified and unqualified names.
    expect(dropSteps[0]!.dependsOn).toContain(step(p, '001_base.sql', 4).id);
    expect(dropSteps[1]!.dependsOn).toContain(step(p, '001_base.sql', 2).id);
    expect(dropSteps[2]!.dependsOn).toContain(step(p, '001_base.sql', 6).id);
    expect(dropSteps[4]!.dependsOn).toContain(step(p, '002_reshape.sql', 3).id);
    // The Distributed table, the MV reading events_local and the dictionary loading it all depend on it.
    const local = step(p, '001_base.sql', 1).id;
    for (const n of [2, 4, 5, 6]) expect(step(p, '001_base.sql', n).dependsOn).toContain(local);
  });

  it('follows RENAME ... IF EXISTS of a table the plan creates, and ignores one of a table nobody creates', async () => {
    const p = await plan(files);
    expect(step(p, '002_reshape.sql', 3).dependsOn).toContain(step(p, '002_reshape.sql', 1).id);
    expect(p.objects.map((o) => o.name)).toContain('obs.spans');
    expect(p.objects.map((o) => o.name)).not.toContain('obs.also_never');
  });

  it('moves the objects of a renamed database: uses of the new name run after the rename, of the old name before it', async () => {
    const p = await plan({
      'obs/001_scratch.sql': [
        'CREATE DATABASE IF NOT EXISTS obs_tmp',
        'CREATE TABLE obs_tmp.hits (id UInt64) ENGINE = MergeTree ORDER BY id',
        'CREATE VIEW obs_tmp.hits_v AS SELECT id FROM obs_tmp.hits',
        'INSERT INTO obs_tmp.hits SELECT number FROM numbers(3)',
      ].join(';\n') + ';\n',
      'obs/002_rename.sql': 'RENAME DATABASE obs_tmp TO obs_scratch;\n',
      'obs/003_use.sql': ['CREATE VIEW obs.hit_ids AS SELECT id FROM obs_scratch.hits', 'OPTIMIZE TABLE obs_scratch.hits_v'].join(';\n') + ';\n',
    });
    expect(errors(p)).toEqual([]);
    const rename = step(p, '002_rename.sql', 1);
    // The rename waits for what still uses the old names, and what uses the new ones waits for it.
    expect(rename.dependsOn).toEqual(expect.arrayContaining([step(p, '001_scratch.sql', 2).id, step(p, '001_scratch.sql', 3).id, step(p, '001_scratch.sql', 4).id]));
    expect(step(p, '003_use.sql', 1).dependsOn).toContain(rename.id);
    expect(step(p, '003_use.sql', 2).dependsOn).toContain(rename.id);
    const names = p.objects.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['obs_scratch.hits', 'obs_scratch.hits_v', 'obs.hit_ids']));
    expect(names).not.toContain('obs_tmp.hits');
  });

  it('refuses a later use of a name the rename took away: it would have to run before the rename its file comes after', async () => {
    const p = await plan({
      'obs/001_scratch.sql': 'CREATE TABLE obs_tmp.hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nRENAME DATABASE obs_tmp TO obs_scratch;\n',
      'obs/002_late.sql': 'INSERT INTO obs_tmp.hits VALUES (1);\n',
    });
    expect(errors(p).map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint])).toEqual([[
      'plan.used_after_drop',
      'obs/002_late.sql:1',
      'plan: "obs/002_late.sql:1" uses table "obs_tmp.hits" after "obs/001_scratch.sql:2" renamed database "obs_tmp" to "obs_scratch"',
      'name it "obs_scratch.hits", or move the statement before "obs/001_scratch.sql:2"',
    ]]);
    // Named as the rename left it, the same use plans.
    const fixed = await plan({ 'obs/001_scratch.sql': 'CREATE TABLE obs_tmp.hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nRENAME DATABASE obs_tmp TO obs_scratch;\n', 'obs/002_late.sql': 'INSERT INTO obs_scratch.hits VALUES (1);\n' });
    expect(errors(fixed)).toEqual([]);
  });

  it('follows a table renamed into another database: uses of the new name run after the rename', async () => {
    const p = await plan({
      'obs/001_hits.sql': 'CREATE DATABASE IF NOT EXISTS obs_archive;\nCREATE TABLE hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nRENAME TABLE obs.hits TO obs_archive.hits_2025;\n',
      'obs/002_use.sql': 'INSERT INTO obs_archive.hits_2025 VALUES (1);\n',
    });
    expect(errors(p)).toEqual([]);
    expect(step(p, '002_use.sql', 1).dependsOn).toContain(step(p, '001_hits.sql', 3).id);
    const names = p.objects.map((o) => o.name);
    expect(names).toContain('obs_archive.hits_2025');
    expect(names).not.toContain('obs.hits');
  });

  it('refuses a later use of a table its own set renamed away, naming the new name', async () => {
    const p = await plan({ 'obs/001_hits.sql': 'CREATE TABLE hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nRENAME TABLE hits TO hits_v2;\n', 'obs/002_late.sql': 'INSERT INTO hits VALUES (1);\n' });
    expect(errors(p).map((d) => [d.code, `${d.file}:${d.line}`, d.message])).toEqual([
      ['plan.used_after_drop', 'obs/002_late.sql:1', 'plan: "obs/002_late.sql:1" uses table "obs.hits" after "obs/001_hits.sql:2" renamed it to "obs.hits_v2"'],
    ]);
  });

  it('puts an unqualified new name of RENAME TABLE in the store\'s database', async () => {
    const p = await plan({
      'obs/001_stage.sql': 'CREATE DATABASE IF NOT EXISTS staging;\nCREATE TABLE staging.hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nRENAME TABLE staging.hits TO hits;\n',
      'obs/002_use.sql': 'INSERT INTO obs.hits VALUES (1);\n',
      'obs/003_late.sql': 'INSERT INTO staging.hits VALUES (1);\n',
    });
    expect(errors(p).map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint])).toEqual([[
      'plan.used_after_drop',
      'obs/003_late.sql:1',
      'plan: "obs/003_late.sql:1" uses table "staging.hits" after "obs/001_stage.sql:3" renamed it to "obs.hits"',
      'name it "obs.hits", or move the statement before "obs/001_stage.sql:3"',
    ]]);
    expect(step(p, '002_use.sql', 1).dependsOn).toContain(step(p, '001_stage.sql', 3).id);
    expect(p.objects.map((o) => o.name)).toContain('obs.hits');
    expect(p.objects.map((o) => o.name)).not.toContain('staging.hits');
  });

  it('refuses a later use of a table its own set dropped, naming the drop', async () => {
    const p = await plan({ 'obs/001_hits.sql': 'CREATE TABLE hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nDROP TABLE hits;\n', 'obs/002_late.sql': 'INSERT INTO hits VALUES (1);\n' });
    expect(errors(p).map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint])).toEqual([[
      'plan.used_after_drop',
      'obs/002_late.sql:1',
      'plan: "obs/002_late.sql:1" uses table "obs.hits" after "obs/001_hits.sql:2" dropped it',
      'create "obs.hits" again after the drop, or move the statement before "obs/001_hits.sql:2"',
    ]]);
  });

  it('a dropped database takes its objects: a later use of one is an error naming the drop, and they are gone from the plan', async () => {
    const p = await plan({
      'obs/001_scratch.sql': 'CREATE DATABASE IF NOT EXISTS obs_tmp;\nCREATE TABLE obs_tmp.hits (id UInt64) ENGINE = MergeTree ORDER BY id;\nCREATE VIEW hit_ids AS SELECT id FROM obs_tmp.hits;\n',
      'obs/002_drop.sql': 'DROP VIEW hit_ids;\nDROP DATABASE obs_tmp;\n',
      'obs/003_late.sql': 'CREATE VIEW late_ids AS SELECT id FROM obs_tmp.hits;\n',
    });
    expect(errors(p).map((d) => [d.code, `${d.file}:${d.line}`, d.message, d.hint])).toEqual([[
      'plan.used_after_drop',
      'obs/003_late.sql:1',
      'plan: "obs/003_late.sql:1" uses table "obs_tmp.hits" after "obs/002_drop.sql:2" dropped database "obs_tmp" and everything in it',
      'create "obs_tmp.hits" again after the drop, or move the statement before "obs/002_drop.sql:2"',
    ]]);
    const drop = step(p, '002_drop.sql', 2);
    expect(drop.dependsOn).toContain(step(p, '001_scratch.sql', 2).id);
    expect(p.objects.map((o) => o.name)).not.toContain('obs_tmp.hits');
  });

  it('keeps a SET in the step of the statement it governs', async () => {
    const p = await plan(files);
    const s = step(p, '002_reshape.sql', 5);
    expect(s.statements).toEqual(['SET mutations_sync = 2', 'ALTER TABLE spans DELETE WHERE id = 0']);
    expect(s.id).toBe('ch:obs/002_reshape.sql#4-5');
  });
});

describe('a ClickHouse store on a cluster', () => {
  const topology = (store: Record<string, unknown>) => ({
    stores: { ch: { engine: 'clickhouse', database: 'obs', ...store } },
    sets: { obs: { dir: 'obs' } },
    services: { collector: { stores: { clickhouse: 'ch' }, sets: ['obs'] } },
  });
  const files = {
    'obs/001.sql': [
      'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a',
      "CREATE TABLE r ON CLUSTER obs (a UInt8) ENGINE = ReplicatedMergeTree('/t/{shard}/r', '{replica}') ORDER BY a",
      'CREATE TABLE w ON CLUSTER elsewhere (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a',
      'INSERT INTO r VALUES (1)',
    ].join(';\n') + ';\n',
  };

  it('runs every DDL ON CLUSTER, says so on the step, and reports what would not replicate', async () => {
    const p = await planMigration(makeProject(files, topology({ cluster: 'obs', replicated: true })).topologyFile, { allowErrors: true, env: {} });
    expect(p.stores[0]).toMatchObject({ cluster: 'obs', replicated: true });
    expect(p.steps.find((s) => s.kind === 'create_database')!.statements).toEqual(['CREATE DATABASE IF NOT EXISTS `obs` ON CLUSTER obs']);
    const sql = p.steps.filter((s) => s.kind === 'sql').map((s) => s.statements[0]);
    expect(sql).toEqual([
      'CREATE TABLE t ON CLUSTER obs (a UInt8) ENGINE = MergeTree ORDER BY a',
      "CREATE TABLE r ON CLUSTER obs (a UInt8) ENGINE = ReplicatedMergeTree('/t/{shard}/r', '{replica}') ORDER BY a",
      'CREATE TABLE w ON CLUSTER elsewhere (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a',
      'INSERT INTO r VALUES (1)',
    ]);
    expect(p.steps.find((s) => s.id.endsWith('#1'))!.notes).toContain('ON CLUSTER obs added where a statement had none: store "ch" spans cluster "obs"');
    expect(p.steps.find((s) => s.id.endsWith('#2'))!.notes).toEqual([]);
    expect(p.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.code, d.line])).toEqual([['plan.not_replicated', 1], ['plan.other_cluster', 3]]);
  });

  it('refuses replicated without a cluster, and a cluster on another engine', async () => {
    const { loadTopology } = await import('../../../src/topology/index.js');
    const noCluster = await loadTopology(makeProject({ 'obs/001.sql': '' }, topology({ replicated: true })).topologyFile, { env: {} });
    expect(noCluster.diagnostics.map((d) => d.code)).toContain('topology.replicated_without_cluster');
    const onPostgres = await loadTopology(makeProject({ 'obs/001.sql': '' }, { ...topology({}), stores: { ch: { engine: 'postgres', database: 'obs', cluster: 'obs' } } }).topologyFile, { env: {} });
    expect(onPostgres.topology).toBeUndefined();
  });
});
