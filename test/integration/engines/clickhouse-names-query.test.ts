/**
 * Name inspections of several databases of one embedded chdb asked for at
 * once are one query, each caller getting its own database's names; asked
 * apart, or in another scope, each is its own query; a failed query fails every caller.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { namesIn } from '../../../src/engines/clickhouse/names-query.js';
import { embeddedClickHouseUrl } from '../../../src/engines/embedded/embedded-clickhouse-url.js';
import { tempDir } from '../../helpers/engines.js';

let dir: string;
let conn: ClickHouseConnection;
const sent: string[] = [];
/** The real connection, listing each query it is given. */
const listing = (c: ClickHouseConnection): ClickHouseConnection => ({ ...c, rows: (sql, database) => (sent.push(sql), c.rows(sql, database)) });

beforeAll(async () => {
  dir = await tempDir('ch-names');
  conn = await openClickHouse(await embeddedClickHouseUrl(join(dir, 'ch')));
  for (const db of ['n_a', 'n_b']) {
    await conn.command(`CREATE DATABASE ${db}`);
    await conn.command(`CREATE TABLE ${db}.t_${db} (id UInt8, INDEX i_${db} id TYPE minmax GRANULARITY 1) ENGINE = MergeTree ORDER BY id`);
  }
  await conn.command('CREATE MATERIALIZED VIEW n_b.mv TO n_b.t_n_b AS SELECT id FROM n_a.t_n_a');
});

afterAll(async () => {
  await conn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('names of databases of one embedded chdb', () => {
  it('are read in one query when asked for at once, each caller getting its own', async () => {
    sent.length = 0;
    const [a, b, again, none] = await Promise.all([
      namesIn(listing(conn), 'n_a', 'names'),
      namesIn(listing(conn), 'n_b', 'names'),
      namesIn(listing(conn), 'n_a', 'names'),
      namesIn(listing(conn), 'n_missing', 'names'),
    ]);
    expect(sent).toHaveLength(1);
    expect(a.map((r) => [r.object, r.index])).toEqual(expect.arrayContaining([['t_n_a', ''], ['t_n_a', 'i_n_a']]));
    expect(again).toEqual(a);
    expect(b.map((r) => [r.object, r.engine, r.index]).sort()).toEqual([['mv', 'MaterializedView', ''], ['t_n_b', '', 'i_n_b'], ['t_n_b', 'MergeTree', '']]);
    expect(b.find((r) => r.object === 'mv')!.def).toMatch(/^CREATE MATERIALIZED VIEW n_b\.mv TO n_b\.t_n_b/);
    expect(none).toEqual([]);
  });

  it('are read apart when asked for apart, and in each scope apart', async () => {
    sent.length = 0;
    expect((await namesIn(listing(conn), 'n_a', 'tables')).map((r) => r.object)).toEqual(['t_n_a']);
    await Promise.all([namesIn(listing(conn), 'n_b', 'tables'), namesIn(listing(conn), 'n_b', 'names')]);
    expect(sent).toHaveLength(3);
  });

  it('fail for every caller when the query fails', async () => {
    const failing: ClickHouseConnection = { ...conn, rows: () => Promise.reject(new Error('gone')) };
    const asked = [namesIn(failing, 'n_a', 'tables'), namesIn(failing, 'n_b', 'tables')];
    for (const p of asked) await expect(p).rejects.toThrow('gone');
  });
});
