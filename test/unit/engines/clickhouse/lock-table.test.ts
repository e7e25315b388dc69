/**
 * Where a ClickHouse store's lock claims live: one replicated table all nodes
 * of a replicated cluster hold, written with a quorum and read with sequential
 * consistency; else a table on the node of the store's URL.
 */
import { describe, expect, it } from 'vitest';
import { lockTableFor } from '../../../../src/engines/clickhouse/lock-table.js';

describe('lock tables', () => {
  it('keeps the claims of a replicated cluster store in one replicated table every node holds', () => {
    const t = lockTableFor({ cluster: 'obs', replicated: true });
    expect(t.name).toBe('default.topoplan_cluster_locks');
    expect(t.create).toMatch(/^CREATE TABLE IF NOT EXISTS default\.topoplan_cluster_locks ON CLUSTER `?obs`? \(/);
    // One Keeper path for every shard: every node is a replica of the same table.
    expect(t.create).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/topoplan/topoplan_cluster_locks', '{shard}-{replica}')");
    expect(t.create).toContain('enable_block_number_column = 1');
    expect(t.insertSettings).toBe("SETTINGS insert_quorum = 'auto', insert_quorum_parallel = 0, insert_deduplicate = 0 ");
    expect(t.readSettings).toBe(' SETTINGS select_sequential_consistency = 1');
    expect(t.order).toBe('_block_number');
  });

  it('keeps them on the node of the URL otherwise, ordered by that server\'s clock', () => {
    for (const cluster of [{}, { cluster: 'obs' }, { cluster: 'obs', replicated: false }]) {
      const t = lockTableFor(cluster);
      expect(t.name).toBe('default.topoplan_locks');
      expect(t.create).not.toMatch(/ON CLUSTER|Replicated/);
      expect([t.insertSettings, t.readSettings, t.order]).toEqual(['', '', 'version']);
    }
  });
});
