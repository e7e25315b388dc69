import { describe, expect, it } from 'vitest';
import { notBackedUp } from '../../../../src/plan/resolve/backup-coverage.js';

const events = { kind: 'table' as const, name: 'events', schema: 'obs' };

describe('what a backup will not keep', () => {
  it('tables, their rows and columns are kept; databases, detached parts and what a cascade reaches beyond tables are not', () => {
    expect(notBackedUp({ kind: 'drop', object: events }, 'clickhouse', 'DROP TABLE obs.events')).toBeUndefined();
    expect(notBackedUp({ kind: 'delete_rows', object: events, partition: "'all_1_1_0'" }, 'clickhouse', "ALTER TABLE obs.events DROP DETACHED PART 'all_1_1_0'")).toBe('detached parts (they cannot be read)');
    expect(notBackedUp({ kind: 'delete_rows', object: events, partition: '202401' }, 'clickhouse', 'ALTER TABLE obs.events DROP PARTITION 202401')).toBeUndefined();
    expect(notBackedUp({ kind: 'drop', object: { kind: 'database', name: 'obs' } }, 'postgres', 'DROP DATABASE obs')).toBe('the database as a whole: take a backup of it yourself before opting in');
    expect(notBackedUp({ kind: 'drop', object: { kind: 'table', name: 'users' }, cascade: true, reaches: ['foreign key orders(user_id) → users', 'table x (definition and rows)'] }, 'postgres', 'DROP TABLE users CASCADE')).toBeUndefined();
    expect(notBackedUp({ kind: 'drop', object: { kind: 'function', name: 'f' }, cascade: true }, 'postgres', 'DROP FUNCTION f CASCADE')).toBe('the function (only tables and columns are backed up)');
  });
});
