/**
 * A plain `topoplan apply` destroys no data: on real PostgreSQL and
 * ClickHouse, every kind of destructive statement in an ordinary migration
 * (DROP COLUMN, TRUNCATE, DELETE and UPDATE without WHERE, ALTER COLUMN ...
 * TYPE ... USING, DROP TABLE ... CASCADE; ClickHouse DROP COLUMN, ALTER ...
 * DELETE, DROP PARTITION, UPDATE ... WHERE 1, MODIFY TTL) is held back with one line saying how to opt in,
 * the steps that depend on it too, while independent steps apply and the data
 * stays as it was. `--contract` then runs them, each after its backup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouse, type ClickHouseConnection } from '../../../src/engines/clickhouse/clickhouse-connection.js';
import { cli, STACK_FRAME } from '../../helpers/cli.js';
import { queryDatabase, startTestClickHouse, startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

const PG_DB = 'held_back';
const CH_DB = 'held_back_ch';
let pg: TestEngine;
let ch: TestEngine;
let raw: ClickHouseConnection;
let env: Record<string, string>;
let dataDir: string;

const { topologyFile } = makeProject(
  {
    'app/001_tables.sql': `CREATE TABLE t (id int PRIMARY KEY, w text, v text);
CREATE TABLE t2 (id int PRIMARY KEY);
CREATE TABLE t3 (id int PRIMARY KEY);
CREATE TABLE t4 (id int PRIMARY KEY);
CREATE TABLE t5 (id int PRIMARY KEY, t4_id int REFERENCES t4 (id));
INSERT INTO t VALUES (1, 'one', 'aaa'), (2, 'two', 'b');
INSERT INTO t2 VALUES (1), (2);
INSERT INTO t3 VALUES (1);
INSERT INTO t4 VALUES (7);
INSERT INTO t5 VALUES (1, 7);
`,
    'app/002_drop_w.sql': 'ALTER TABLE t DROP COLUMN w;\n',
    'app/003_truncate.sql': 'TRUNCATE t2;\n',
    'app/004_delete.sql': 'DELETE FROM t3;\n',
    'app/005_update.sql': "UPDATE t SET v = 'same';\n",
    'app/006_retype.sql': 'ALTER TABLE t ALTER COLUMN v TYPE int USING length(v);\n',
    'app/007_cascade.sql': 'DROP TABLE t4 CASCADE;\n',
    // Depends on the emptied t2: held back with it.
    'app/008_refill.sql': 'INSERT INTO t2 VALUES (3);\n',
    'other/001_other.sql': 'CREATE TABLE other (id int);\n',
    'events/001_events.sql': `CREATE TABLE events (day Date, id UInt64, note String, level String) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY id;
INSERT INTO events VALUES ('2024-01-03', 1, 'a', 'info'), ('2024-02-01', 2, 'b', 'warn'), ('2024-02-02', 3, 'c', 'info');
`,
    'events/002_drop_note.sql': 'ALTER TABLE events DROP COLUMN note;\n',
    'events/003_delete.sql': 'ALTER TABLE events DELETE WHERE id = 1;\n',
    'events/004_partition.sql': "ALTER TABLE events DROP PARTITION '202402';\n",
    'events/005_update.sql': "ALTER TABLE events UPDATE level = '' WHERE 1;\n",
    'events/006_ttl.sql': 'ALTER TABLE events MODIFY TTL day + INTERVAL 1 DAY;\n',
  },
  {
    stores: {
      main: { engine: 'postgres', database: PG_DB, url: '${HELD_PG_URL}' },
      events: { engine: 'clickhouse', database: CH_DB, url: '${HELD_CH_URL}' },
    },
    sets: { app: { dir: 'app' }, other: { dir: 'other' }, events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } },
    services: {
      app: { stores: { postgres: 'main', clickhouse: 'events' }, sets: ['app', 'other', 'events'], owns: ['t', 't2', 't3', 't4', 't5', 'other', 'events'] },
    },
    accept: [{ conflict: 'cascade_drop', object: 't4', reason: 't5 no longer needs the key' }],
  },
);

const HELD = [
  ['main:app/002_drop_w.sql#1', '002_drop_w.sql'],
  ['main:app/003_truncate.sql#1', '003_truncate.sql'],
  ['main:app/004_delete.sql#1', '004_delete.sql'],
  ['main:app/005_update.sql#1', '005_update.sql'],
  ['main:app/006_retype.sql#1', '006_retype.sql'],
  ['main:app/007_cascade.sql#1', '007_cascade.sql'],
  ['events:events/002_drop_note.sql#1', '002_drop_note.sql'],
  ['events:events/003_delete.sql#1', '003_delete.sql'],
  ['events:events/004_partition.sql#1', '004_partition.sql'],
  ['events:events/005_update.sql#1', '005_update.sql'],
  ['events:events/006_ttl.sql#1', '006_ttl.sql'],
] as const;

/** What the destructive statements would change, read from both stores. */
async function data(): Promise<Record<string, unknown>> {
  const q = <T extends Record<string, unknown>>(sql: string) => queryDatabase<T>(pg.url, PG_DB, sql);
  return {
    tColumns: (await q("SELECT column_name AS c FROM information_schema.columns WHERE table_name = 't' ORDER BY ordinal_position")).map((x) => x.c),
    t: await q('SELECT id, v::text AS v, pg_typeof(v)::text AS v_type FROM t ORDER BY id'),
    t2: (await q('SELECT count(*)::int AS n FROM t2'))[0],
    t3: (await q('SELECT count(*)::int AS n FROM t3'))[0],
    t4: (await q("SELECT to_regclass('t4')::text AS t4"))[0],
    t5keys: (await q("SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 't5'::regclass AND contype = 'f'"))[0],
    events: await raw.rows(`SELECT name FROM system.columns WHERE database = '${CH_DB}' AND table = 'events' ORDER BY position`),
    eventRows: await raw.rows(`SELECT count() AS n FROM ${CH_DB}.events`),
  };
}

beforeAll(async () => {
  pg = await startTestPostgres();
  ch = await startTestClickHouse();
  raw = await openClickHouse(ch.url);
  env = { HELD_PG_URL: pg.url, HELD_CH_URL: ch.url };
  dataDir = await tempDir('held-back');
});
afterAll(async () => {
  await raw?.close();
  await ch?.stop();
  await pg?.stop();
});

describe('destructive statements without opt-in', () => {
  let before: Record<string, unknown>;

  it('are not applied, each with one line saying how to opt in; dependants wait, independent steps apply, no data changes', async () => {
    const r = await cli(['apply', topologyFile, '--data-dir', dataDir], { env });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out + r.err).not.toMatch(STACK_FRAME);
    for (const [id, file] of HELD) {
      const lines = r.out.split('\n').filter((l) => l.startsWith('not-applied') && l.includes(` ${id} `));
      expect(lines, id).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`: re-run with --contract, or allow it in the topology: allowDestructive: \\[\\{ set: (app|events), file: ${file.replace('.', '\\.')}, statements: "1", reason: "\\.\\.\\." \\}\\](; it also waits for a step held back: .*)?$`));
    }
    expect(r.out).toMatch(/^not-applied\s+main:app\/008_refill\.sql#1 .*003_truncate\.sql/m);
    // A destructive step behind another held one names its own opt-in first, then the other's: one round of opt-ins runs both.
    expect(r.out).toMatch(/^not-applied\s+main:app\/005_update\.sql#1 +(contract phase: )?destroys column "v" in every row of table "t" \(overwritten\): re-run with --contract, or allow it in the topology: allowDestructive: \[\{ set: app, file: 005_update\.sql, statements: "1", reason: "\.\.\." \}\]; it also waits for a step held back: .*file: 002_drop_w\.sql/m);
    expect(r.out).toMatch(/^not-applied\s+events:events\/005_update\.sql#1 +(contract phase: )?destroys column "level" in every row of table "held_back_ch\.events" \(overwritten\)/m);
    expect(r.out).toMatch(/^not-applied\s+events:events\/006_ttl\.sql#1 +(contract phase: )?destroys rows of table "held_back_ch\.events" where \(day \+ INTERVAL 1 DAY\) <= now\(\)/m);
    expect(r.out).toMatch(/^applied\s+main:other\/001_other\.sql#1/m);
    expect(r.out).toMatch(/^applied\s+events:events\/001_events\.sql#2/m);
    expect(r.out + r.err).toMatch(/^apply: 12 steps not applied: they destroy data or depend on a step that does; to run them after a backup, re-run with --contract or allow them in the topology/m);
    before = await data();
    expect(before).toEqual({
      tColumns: ['id', 'w', 'v'],
      t: [{ id: 1, v: 'aaa', v_type: 'text' }, { id: 2, v: 'b', v_type: 'text' }],
      t2: { n: 2 }, t3: { n: 1 }, t4: { t4: 't4' }, t5keys: { n: 1 },
      events: [{ name: 'day' }, { name: 'id' }, { name: 'note' }, { name: 'level' }],
      eventRows: [{ n: expect.anything() }],
    });
    expect(Number((before.eventRows as { n: unknown }[])[0]!.n)).toBe(3);
    // Run again: still nothing destroyed.
    const again = await cli(['apply', topologyFile, '--data-dir', dataDir], { env });
    expect(again.code).toBe(0);
    expect(await data()).toEqual(before);
  });

  it('--contract runs each one after its backup', async () => {
    const r = await cli(['apply', topologyFile, '--data-dir', dataDir, '--contract'], { env });
    expect(r.code, r.out + r.err).toBe(0);
    for (const [id] of HELD) expect(r.out, id).toMatch(new RegExp(`^applied\\s+${id.replace(/[.#/]/g, '\\$&')} `, 'm'));
    expect(r.out.match(/^ {2}to restore it: topoplan restore /gm)).toHaveLength(HELD.length);
    const after = await data();
    expect(after.tColumns).toEqual(['id', 'v']);
    expect(after.t).toEqual([{ id: 1, v: '4', v_type: 'integer' }, { id: 2, v: '4', v_type: 'integer' }]);
    expect(after.t2).toEqual({ n: 1 });
    expect(after.t3).toEqual({ n: 0 });
    expect(after.t4).toEqual({ t4: null });
    expect(after.t5keys).toEqual({ n: 0 });
    expect(after.events).toEqual([{ name: 'day' }, { name: 'id' }, { name: 'level' }]);
    expect(Number((after.eventRows as { n: unknown }[])[0]!.n)).toBe(0);
  });
});
