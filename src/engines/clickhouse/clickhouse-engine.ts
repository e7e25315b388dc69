/**
 * The ClickHouse engine, for a real server (`http://…`, `https://…`) or
 * embedded chdb (`chdb:///absolute/path`). No transactional DDL, no advisory
 * locks: see the session and lock files for how it copes.
 *
 * @example
 * const session = await clickhouseEngine.connect({ store: 'analytics', database: 'analytics', url: 'chdb:///tmp/ch' })
 * await session.applyStep(step, { workDir })
 */
import type { Engine } from '../engine.js';
import { TopoplanError } from '../../errors.js';
import { openClickHouse } from './clickhouse-connection.js';
import { CLICKHOUSE_CAPABILITIES, ClickHouseSession } from './clickhouse-session.js';

export const clickhouseEngine: Engine = {
  name: 'clickhouse',
  capabilities: CLICKHOUSE_CAPABILITIES,
  async connect(options) {
    const conn = await openClickHouse(options.url, { ...(options.cluster ? { cluster: options.cluster } : {}), ...(options.wait ? { wait: options.wait } : {}) });
    try {
      // Embedded chdb is open once acquired; a server is asked.
      if (conn.embeddedPath === undefined) await conn.rows('SELECT 1 AS ok');
    } catch (e) {
      await conn.close().catch(() => undefined);
      throw new TopoplanError('apply.connect', `apply: cannot connect to ClickHouse of store "${options.store}": ${(e as Error).message}`, [], { cause: e });
    }
    return new ClickHouseSession(conn, options);
  },
};
