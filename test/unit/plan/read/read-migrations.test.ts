/**
 * readMigrations with a parse memo: a tree read again under another topology
 * (as init does with each draft) parses only the files it reads another way.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations, type ParseMemo } from '../../../../src/plan/read/read-migrations.js';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { loadTopology } from '../../../../src/topology/index.js';
import { makeProject } from '../../../helpers/project.js';

describe('readMigrations', () => {
  it('parses a file read the same way once, with a memo, and gives what it gives without one', async () => {
    await loadParsers();
    const { dir, topologyFile } = makeProject(
      { 'app/001_t.sql': 'CREATE TABLE t (id int);\n', 'app/002_u.sql': 'CREATE TABLE u (id int REFERENCES t (id));\n', 'tpl/001_v.sql': "CREATE TABLE v (note text DEFAULT '{{.DB}}');\n" },
      {
        stores: { main: { engine: 'postgres', database: 'main' } },
        sets: { app: { dir: 'app' }, tpl: { dir: 'tpl', variables: { DB: { store: 'database' } } } },
        services: { app: { stores: { postgres: 'main' }, sets: ['app', 'tpl'] } },
      },
    );
    writeFileSync(join(dir, 'other.yaml'), 'topoplan: 1\nname: other\nextends: topology.yaml\nstores:\n  main: { engine: postgres, database: other }\n');
    const load = async (database: string) => {
      const { topology, diagnostics } = await loadTopology(database === 'main' ? topologyFile : join(dir, 'other.yaml'), { env: {} });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      return topology!;
    };
    const reads: string[] = [];
    const readFile = (path: string) => (reads.push(path), readFileSync(path));
    const memo: ParseMemo = new Map();
    const first = readMigrations(await load('main'), readFile, memo);
    expect(reads).toHaveLength(3);
    // The same tree, another database: the templated file reads another way (its variable's value), the others the same.
    const other = await load('other');
    const again = readMigrations(other, readFile, memo);
    expect(reads).toHaveLength(4);
    expect(reads[3]).toMatch(/001_v\.sql$/);
    expect(again.units.map((u) => u.sql)).toEqual(readMigrations(other).units.map((u) => u.sql));
    expect(again.units.find((u) => u.file.name === '001_v.sql')!.sql).toContain("'other'");
    expect(first.units.find((u) => u.file.name === '001_v.sql')!.sql).toContain("'main'");
    expect(JSON.stringify(readMigrations(await load('main'), undefined, memo).units.map((u) => u.stmt))).toBe(JSON.stringify(first.units.map((u) => u.stmt)));
  });
});
