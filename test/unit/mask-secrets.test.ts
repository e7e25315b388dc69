import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/mask-secrets.js';

describe('maskSecrets', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/nova', 'postgres://app:***@db:5432/nova'],
    ['DATABASE_URL=postgresql://app:s3cr@t:x@db.internal/nova?sslmode=require', 'DATABASE_URL=postgresql://app:***@db.internal/nova?sslmode=require'],
    ['cannot connect to http://default:pa%40ss@ch:8123 (refused) and neo4j://neo4j:pw@graph:7687', 'cannot connect to http://default:***@ch:8123 (refused) and neo4j://neo4j:***@graph:7687'],
    ['"url": "postgres://u:p@h/db"', '"url": "postgres://u:***@h/db"'],
    ["host=db port=5432 password='a b\\'c' dbname=nova", 'host=db port=5432 password=*** dbname=nova'],
    ['postgres://h/db?user=app&password=hunter2&sslmode=require', 'postgres://h/db?user=app&password=***&sslmode=require'],
    ['PGPASSWORD=hunter2 psql', 'PGPASSWORD=*** psql'],
  ])('%s', (input, masked) => {
    expect(maskSecrets(input)).toBe(masked);
  });

  it('leaves what holds no password as it is', () => {
    for (const text of ['postgres://app@db/nova', 'postgres://db:5432/nova', 'mail me at a@b.c', 'chdb:///var/lib/ch', 'postgres://app:***@db/nova', 'an apply with a@b and password']) {
      expect(maskSecrets(text)).toBe(text);
    }
  });
});
