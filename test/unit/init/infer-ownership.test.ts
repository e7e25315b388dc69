import { describe, expect, it } from 'vitest';
import { inferOwnership } from '../../../src/init/infer-ownership.js';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { loadTopology } from '../../../src/topology/index.js';
import { makeProject } from '../../helpers/project.js';

async function inferred(files: Record<string, string>, topology: Record<string, unknown>) {
  const { topologyFile } = makeProject(files, topology);
  const { topology: t, diagnostics } = await loadTopology(topologyFile, { env: {} });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await loadParsers();
  return inferOwnership(t!);
}

const stores = { pg: { engine: 'postgres', database: 'a' }, ch: { engine: 'clickhouse', database: 'a' } };
const both = { postgres: 'pg', clickhouse: 'ch' };

describe('inferOwnership', () => {
  it('owns: what one service alone creates; a serial column’s sequence goes with its table; shared sets own nothing', async () => {
    const r = await inferred(
      {
        'a/001.sql': 'CREATE TABLE users (id serial PRIMARY KEY);\nCREATE TYPE mood AS ENUM (\'ok\');\nCREATE TABLE tags (id int);\nCREATE SEQUENCE ticket_no;\n',
        'b/001.sql': 'CREATE TABLE tags (id int, label text);\nCREATE INDEX tags_label ON tags (label);\n',
        'legacy/001.sql': 'CREATE TABLE old_stuff (id int);\n',
      },
      { stores, sets: { a: { dir: 'a' }, b: { dir: 'b' }, legacy: { dir: 'legacy', shared: true, stores: { postgres: 'pg' } } }, services: { sa: { stores: both, sets: ['a'] }, sb: { stores: both, sets: ['b'] } } },
    );
    expect(Object.fromEntries(r.owns)).toEqual({ sa: ['mood', 'ticket_no', 'users'] });
  });

  it('the engines each set’s files turn out to be written for, and the sets that are ClickHouse only', async () => {
    const r = await inferred(
      { 'ch/001.sql': 'CREATE TABLE events (at DateTime) ENGINE = MergeTree ORDER BY at;\n', 'pg/001.sql': 'CREATE TABLE reports (id int);\n' },
      { stores, sets: { ch: { dir: 'ch' }, pg: { dir: 'pg' } }, services: { s: { stores: both, sets: ['ch', 'pg'] } } },
    );
    expect([...r.engines.get('ch')!]).toEqual(['clickhouse']);
    expect([...r.engines.get('pg')!]).toEqual(['postgres']);
    expect([...r.clickhouseSets]).toEqual(['ch']);
  });

  it('after: a set that changes what another set of its service creates runs after it; uses both ways order nothing', async () => {
    const r = await inferred(
      {
        'full/001.sql': 'CREATE TABLE rooms (id int);\n',
        'delta/002.sql': 'ALTER TABLE rooms ADD COLUMN topic text;\nCREATE TABLE x (id int);\n',
        'p/001.sql': 'CREATE TABLE p (id int);\nCREATE INDEX q_id ON q (id);\n',
        'q/001.sql': 'CREATE TABLE q (id int);\nCREATE INDEX p_id ON p (id);\n',
      },
      { stores, sets: { full: { dir: 'full' }, delta: { dir: 'delta' }, p: { dir: 'p' }, q: { dir: 'q' } }, services: { s: { stores: { postgres: 'pg' }, sets: ['delta', 'full'] }, t: { stores: { postgres: 'pg' }, sets: ['p', 'q'] } } },
    );
    expect(Object.fromEntries(r.after)).toEqual({ delta: ['full'] });
  });
});
