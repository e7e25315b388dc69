import { describe, expect, it } from 'vitest';
import { readSqlxName } from '../../../src/topology/sqlx-name.js';

describe('readSqlxName reads names as sqlx does', () => {
  it.each([
    ['20240101120000_create_users.sql', { kind: 'migration', version: '20240101120000', description: 'create users', type: 'simple' }],
    ['0998_drop_old_chat.up.sql', { kind: 'migration', version: '998', description: 'drop old chat', type: 'up' }],
    ['0998_drop_old_chat.down.sql', { kind: 'migration', version: '998', description: 'drop old chat', type: 'down' }],
    ['1_a_b__c.sql', { kind: 'migration', version: '1', description: 'a b  c', type: 'simple' }],
    ['-3_negative.sql', { kind: 'migration', version: '-3', description: 'negative', type: 'simple' }],
    ['9223372036854775807_max.sql', { kind: 'migration', version: '9223372036854775807', description: 'max', type: 'simple' }],
  ])('%s', (name, expected) => expect(readSqlxName(name)).toEqual(expected));

  it('a version that is not a signed 64-bit integer is one sqlx rejects', () => {
    expect(readSqlxName('998b_cleanup.sql')).toEqual({ kind: 'bad_version', version: '998b', reason: 'not an integer' });
    expect(readSqlxName('9223372036854775808_too_big.sql')).toMatchObject({ kind: 'bad_version', reason: 'out of the signed 64-bit range' });
    expect(readSqlxName('V1_flyway_style.sql')).toMatchObject({ kind: 'bad_version', version: 'V1' });
  });

  it('a name without "_" or without the .sql suffix is no migration to sqlx', () => {
    expect(readSqlxName('schema.sql')).toEqual({ kind: 'ignored' });
    expect(readSqlxName('001_notes.txt')).toEqual({ kind: 'ignored' });
  });
});
