/**
 * What an apply asks of embedded ClickHouse beyond the plan's own statements:
 * the collector fixture applied to fresh stores through connections that list
 * every request they send (to the real chdb engine), so the fixed cost per
 * store stays what it is meant to be — one ledger read, one request that
 * creates the ledger and writes the run's start, one that writes the run's
 * end — with one verification read for all of them, and a re-apply reads and
 * writes no more than it needs.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import { namedClusters } from '../../../src/execute/named-clusters.js';
import { runsOf } from '../../../src/execute/run-record.js';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { clickhouseEngine } from '../../../src/engines/clickhouse/clickhouse-engine.js';
import { ClickHouseSession } from '../../../src/engines/clickhouse/clickhouse-session.js';
import { embeddedClickHouseUrl } from '../../../src/engines/embedded/embedded-clickhouse-url.js';
import type { Engine } from '../../../src/engines/engine.js';
import { engineFor } from '../../../src/engines/registry.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { tempDir } from '../../helpers/engines.js';

let dir: string;
let url: string;
let plan: Plan;
/** Every request sent, with the database it ran in. */
const sent: { database?: string; sql: string }[] = [];

/** The real connection, listing each statement it is given. */
function listing(conn: ClickHouseConnection): ClickHouseConnection {
  return {
    ...conn,
    command: (sql, database, settings) => (sent.push({ ...(database !== undefined ? { database } : {}), sql }), conn.command(sql, database, settings)),
    rows: (sql, database) => (sent.push({ ...(database !== undefined ? { database } : {}), sql }), conn.rows(sql, database)),
    close: () => conn.close(),
  };
}

const listingEngine: Engine = {
  ...clickhouseEngine,
  async connect(options) {
    const conn = await openClickHouse(options.url, options.cluster ? { cluster: options.cluster } : {});
    return new ClickHouseSession(listing(conn), options);
  },
};

const apply = () => applyPlan(plan, { connections: Object.fromEntries(plan.stores.map((s) => [s.name, url])), workDir: dir, engines: (name) => (name === 'clickhouse' ? listingEngine : engineFor(name)) });
/** The requests that are not the plan's statements. */
const own = () => {
  const statements = new Set(plan.steps.flatMap((s) => s.statements));
  return sent.filter((r) => !statements.has(r.sql));
};
const kind = (sql: string) =>
  /^CREATE TABLE IF NOT EXISTS `\w+`\.`topoplan_ledger`[^;]*;\s*INSERT INTO `\w+`\.`topoplan_ledger`/s.test(sql) ? 'create ledger + write'
  : /^INSERT INTO `\w+`\.`topoplan_ledger`/.test(sql) ? 'write'
  : /^SELECT file, fingerprint/.test(sql) ? 'read ledger'
  : /FROM system\.tables/.test(sql) ? 'inspect'
  : sql.slice(0, 40);

beforeAll(async () => {
  dir = await tempDir('ch-requests');
  plan = await planMigration('test/fixtures/collector/collector-single.yaml', { env: {} });
  url = await embeddedClickHouseUrl(join(dir, 'ch'), namedClusters(plan));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the requests of an apply to embedded ClickHouse', () => {
  it('on fresh stores: per store one ledger read, the ledger made with the run start in one request, the run end; one inspection of all', async () => {
    const r = await apply();
    expect(r.ok).toBe(true);
    const perStore = new Map<string, string[]>();
    for (const req of own()) {
      if (kind(req.sql) === 'inspect') continue;
      const db = /`(obs_\w+)`/.exec(req.sql)?.[1] ?? /database = '(obs_\w+)'/.exec(req.sql)?.[1] ?? '?';
      perStore.set(db, [...(perStore.get(db) ?? []), kind(req.sql)]);
    }
    // The store whose INSERT step writes rows has its `started` and `applied` records besides, and so has each of the two rename steps.
    expect(Object.fromEntries(perStore)).toEqual({
      obs_logs: ['read ledger', 'create ledger + write', 'write'],
      obs_meta: ['read ledger', 'create ledger + write', 'write', 'write', 'write'],
      obs_traces: ['read ledger', 'create ledger + write', 'write', 'write', 'write', 'write', 'write'],
    });
    // The expectations of the three stores are read in one query.
    expect(own().filter((q) => kind(q.sql) === 'inspect').map((q) => q.sql.match(/obs_\w+/g)?.length)).toEqual([3]);
    // No look at what a database holds that did not exist: the run's "before" is the empty schema.
    expect(own().some((q) => /system\.databases/.test(q.sql))).toBe(false);
    const session = await clickhouseEngine.connect({ store: 'logs', database: 'obs_logs', url });
    try {
      const runs = runsOf((await session.readLedger()).records);
      expect(runs.map((x) => [x.status, x.before])).toEqual([['applied', {}]]);
    } finally {
      await session.close();
    }
  });

  it('a re-apply reads each ledger and inspects once for the expectations, and writes nothing', async () => {
    sent.length = 0;
    const r = await apply();
    expect(r.steps.every((s) => s.status === 'already-applied')).toBe(true);
    expect(own().map((q) => kind(q.sql)).sort()).toEqual(['inspect', 'read ledger', 'read ledger', 'read ledger']);
  });
});
