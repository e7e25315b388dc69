/**
 * `topoplan unlock FILE --store NAME`, run in-process against real engines:
 * it breaks a claim on purpose and says who held it since when.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { openClickHouse } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { tableLockHolder } from '../../../src/engines/clickhouse/clickhouse-lock.js';
import { chString } from '../../../src/engines/clickhouse/clickhouse-sql.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { thisProcess } from '../../../src/engines/process-identity.js';
import { cli } from '../../helpers/cli.js';
import { startTestClickHouse, startTestPostgres, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let pgServer: TestEngine;
let chServer: TestEngine;
let topologyFile: string;

beforeAll(async () => {
  [pgServer, chServer] = await Promise.all([startTestPostgres(), startTestClickHouse()]);
  ({ topologyFile } = makeProject(
    { 'app/001_t.sql': 'CREATE TABLE t (id int);', 'events/001_e.sql': 'CREATE TABLE e (id UInt8) ENGINE = MergeTree ORDER BY id;' },
    {
      stores: { main: { engine: 'postgres', database: 'unlock_main', url: pgServer.url }, events: { engine: 'clickhouse', database: 'unlock_events', url: chServer.url } },
      sets: { app: { dir: 'app' }, events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } },
      services: { app: { stores: { postgres: 'main', clickhouse: 'events' }, sets: ['app', 'events'] } },
    },
  ));
});
afterAll(async () => {
  await Promise.all([pgServer?.stop(), chServer?.stop()]);
});

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('topoplan unlock', () => {
  it('breaks the claim a killed apply left on a server, naming it; on embedded ClickHouse such a claim holds nothing', async () => {
    const conn = await openClickHouse(chServer.url);
    try {
      await tableLockHolder(conn, 'unlock_events');
      const me = thisProcess();
      await conn.command(
        `INSERT INTO default.topoplan_locks (name, owner, kind, expires, version, host, pid, process) SELECT 'unlock_events', 'killed', 'claim', ` +
          `now64(3, 'UTC') + toIntervalSecond(3600), toUInt64(toUnixTimestamp64Micro(now64(6))), ${chString(me.host)}, ${deadPid()}, ${chString(me.fingerprint)}`,
      );
    } finally {
      await conn.close();
    }
    const r = await cli(['unlock', topologyFile, '--store', 'events']);
    expect(r.code, r.err).toBe(0);
    if (chServer.source === 'chdb') {
      // A killed process leaves no lock on embedded ClickHouse: no other process can open its data directory while one holds a claim.
      expect(r.out).toBe('unlock: store "events" is not locked\n');
    } else {
      expect(r.out).toMatch(new RegExp(`^unlock: broke the lock of store "events" held by ${thisProcess().host} pid \\d+ since \\d{4}-\\d\\d-\\d\\dT[^ ]+ \\(that process has ended\\)\\n$`));
    }
    const again = await cli(['unlock', topologyFile, '--store', 'events']);
    expect(again.out).toBe('unlock: store "events" is not locked\n');
    expect(again.code).toBe(0);
  });

  it('keeps the claim of a holder that still runs unless --force', async () => {
    const holder = await clickhouseEngine.connect({ store: 'events', database: 'unlock_events', url: chServer.url });
    const release = await holder.lock({ timeoutMs: 1_000 });
    try {
      const kept = await cli(['unlock', topologyFile, '--store', 'events']);
      expect(kept.code).toBe(1);
      expect(kept.err).toContain(`unlock: store "events" is locked by ${thisProcess().host} pid ${process.pid} since `);
      expect(kept.err).toContain('which still runs on this host; the lock was kept');
      expect(kept.err).toContain('--force');
      const forced = await cli(['unlock', topologyFile, '--store', 'events', '--force']);
      expect(forced.code).toBe(0);
      expect(forced.out).toContain('(that process still runs: it will find its lock lost and start no new step)');
    } finally {
      await release();
      await holder.close();
    }
  });

  it('a PostgreSQL lock is named with how to end it; an unknown store is a usage error', async () => {
    const holder = await postgresEngine.connect({ store: 'main', database: 'unlock_main', url: pgServer.url });
    const release = await holder.lock({ timeoutMs: 1_000 });
    try {
      const r = await cli(['unlock', topologyFile, '--store', 'main']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/unlock: store "main" is locked by pid \d+ since .*"topoplan main"/);
      expect(r.err).toMatch(/hint: .*SELECT pg_terminate_backend\(\d+\)/);
    } finally {
      await release();
      await holder.close();
    }
    expect((await cli(['unlock', topologyFile, '--store', 'main'])).out).toBe('unlock: store "main" is not locked\n');
    const unknown = await cli(['unlock', topologyFile, '--store', 'evnets']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('has no store "evnets"; did you mean "events"?');
  });
});
