import { describe, expect, it } from 'vitest';
import { onOneNode } from '../../../../src/engines/clickhouse/one-node-cluster.js';

describe('a cluster statement on one embedded node', () => {
  it('drops ON CLUSTER of a known cluster or a macro, and keeps another cluster for the engine to refuse', () => {
    expect(onOneNode('DROP TABLE d.t ON CLUSTER obs SYNC', ['obs'])).toEqual({ sql: 'DROP TABLE d.t SYNC', notes: ['ON CLUSTER obs ran on the one embedded node'] });
    expect(onOneNode("ALTER TABLE d.t ON CLUSTER '{cluster}' ADD COLUMN x UInt8", ['obs']).sql).toBe('ALTER TABLE d.t ADD COLUMN x UInt8');
    expect(onOneNode('ALTER TABLE d.t ON CLUSTER other ADD COLUMN x UInt8', ['obs'])).toEqual({ sql: 'ALTER TABLE d.t ON CLUSTER other ADD COLUMN x UInt8', notes: [] });
  });

  it('runs a replicated engine as its family without Keeper arguments, and says so', () => {
    const r = onOneNode("CREATE TABLE t ON CLUSTER obs (a UInt8, v UInt32) ENGINE = ReplicatedReplacingMergeTree('/ch/{shard}/t', '{replica}', v) ORDER BY a", ['obs']);
    expect(r.sql).toBe('CREATE TABLE t (a UInt8, v UInt32) ENGINE = ReplacingMergeTree(v) ORDER BY a');
    expect(r.notes[1]).toBe('ReplicatedReplacingMergeTree (Keeper path /ch/{shard}/t) ran as ReplacingMergeTree: replication is not proven on one node');
    expect(onOneNode('CREATE TABLE t (a UInt8) ENGINE = ReplicatedMergeTree ORDER BY a', []).sql).toBe('CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a');
    expect(onOneNode("CREATE DATABASE d ENGINE = Replicated('/d', '{shard}', '{replica}')", []).sql).toBe('CREATE DATABASE d ENGINE = Atomic');
  });

  it('leaves strings and other statements alone', () => {
    const sql = "INSERT INTO t VALUES ('ON CLUSTER obs', 'ENGINE = ReplicatedMergeTree')";
    expect(onOneNode(sql, ['obs'])).toEqual({ sql, notes: [] });
    expect(onOneNode('CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a', ['obs'])).toEqual({ sql: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a', notes: [] });
  });

  it('finds ON CLUSTER whatever the case and whatever lies between ON and CLUSTER', () => {
    expect(onOneNode('drop table d.t on /* all nodes */ cluster obs', ['obs']).sql).toBe('drop table d.t');
  });
});
