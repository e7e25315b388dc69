import { describe, expect, it } from 'vitest';
import { partitionCondition, splitTable } from '../../../../src/engines/clickhouse/backup-clickhouse.js';

describe('ClickHouse backup conditions', () => {
  it('a partition as written becomes a condition on its rows', () => {
    expect(partitionCondition('202401')).toBe('_partition_id = partitionID(202401)');
    expect(partitionCondition("ID '202402'")).toBe("_partition_id = '202402'");
    expect(partitionCondition('tuple(202403, 7)')).toBe('_partition_id = partitionID(202403, 7)');
    expect(partitionCondition("'all_1_1_0'")).toBe("(_part = 'all_1_1_0' OR _partition_id = partitionID('all_1_1_0'))");
  });

  it('splits a qualified table at its first dot', () => {
    expect(splitTable('obs.events.v2')).toEqual(['obs', 'events.v2']);
  });
});
