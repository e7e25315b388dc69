import { describe, expect, it } from 'vitest';
import { noTransactionDirective } from '../../../src/sql/file-directives.js';

describe('noTransactionDirective', () => {
  it('reads sqlx\'s first line, dbmate\'s and goose\'s markers', () => {
    expect(noTransactionDirective('-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);')).toBe('the file starts with "-- no-transaction"');
    expect(noTransactionDirective('-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\n')).toBe('the file says "-- migrate:up transaction:false"');
    expect(noTransactionDirective('-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (a);')).toBe('the file says "-- +goose NO TRANSACTION"');
  });

  it('as sqlx does, sees nothing when the comment is not the file\'s first bytes', () => {
    expect(noTransactionDirective('\uFEFF-- no-transaction\nSELECT 1;')).toBeUndefined();
    expect(noTransactionDirective('SELECT 1;\n-- no-transaction\n')).toBeUndefined();
    expect(noTransactionDirective("SELECT 'transaction:false';")).toBeUndefined();
  });
});
