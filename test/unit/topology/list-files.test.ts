import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCLUDE, listFiles, sqlxOrder } from '../../../src/topology/list-files.js';
import { loadTopology } from '../../../src/topology/index.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'topoplan-list-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), '-- x\n');
  }
  return dir;
}

const options = { include: DEFAULT_INCLUDE, exclude: [], engines: {}, suffixes: {} };

describe('listFiles', () => {
  it('versions: subdirs takes each subdirectory as a version in numeric order, files by name inside', () => {
    const root = tree(['d/9/b.sql', 'd/9/a.sql', 'd/10/01x.sql', 'd/100/z.sql', 'd/README.md', 'd/stray.sql']);
    const listed = listFiles(join(root, 'd'), root, { ...options, versions: 'subdirs' });
    expect(listed.files.map((f) => f.name)).toEqual(['9/a.sql', '9/b.sql', '10/01x.sql', '100/z.sql']);
    expect(listed.files[0]!.file).toBe('d/9/a.sql');
    expect(listed.outsideVersions).toEqual(['stray.sql']);
  });

  it('engine suffixes: a declared engine is taken with that engine, another engine is listed as never run', () => {
    const root = tree(['d/1/a.sql', 'd/1/a.sql.postgres', 'd/1/a.sql.sqlite', 'd/2/fill.py']);
    const listed = listFiles(join(root, 'd'), root, { ...options, versions: 'subdirs', suffixes: { '.sql.postgres': 'postgres', '.sql.sqlite': 'sqlite' } });
    expect(listed.files.map((f) => [f.name, f.declaredEngine])).toEqual([['1/a.sql', undefined], ['1/a.sql.postgres', 'postgres']]);
    expect(listed.notRun.map((f) => f.name)).toEqual(['1/a.sql.sqlite', '2/fill.py']);
    expect(listed.notRun[0]!.reason).toContain('written for sqlite (suffix ".sql.sqlite")');
    expect(listed.notRun[1]!.reason).toContain('a Python file');
  });

  it('an engine suffix the set does not declare is listed, never silently left out', () => {
    const root = tree(['d/a.sql.postgres', 'd/b.sql']);
    const listed = listFiles(join(root, 'd'), root, options);
    expect(listed.files.map((f) => f.name)).toEqual(['b.sql']);
    expect(listed.notRun).toMatchObject([{ name: 'a.sql.postgres', reason: expect.stringContaining('engine suffix ".sql.postgres" is not declared') }]);
  });
});

describe('loadTopology on what sets hold', () => {
  it('a topology whose sets hold no migration file at all is an error', async () => {
    const { topologyFile } = makeProject({ 'app/notes.txt': 'nothing here' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }));
    const { topology, diagnostics } = await loadTopology(topologyFile, { env: {} });
    expect(topology).toBeUndefined();
    const d = diagnostics.find((x) => x.code === 'topology.no_migrations')!;
    expect(d).toMatchObject({ severity: 'error', message: 'topology: its 1 set holds no migration file at all: nothing would be planned' });
    expect(d.line).toBeGreaterThan(0);
    expect(d.hint).toContain('include:');
  });

  it('files it cannot run are a warning naming them, with the suffixes: entry when a suffix is undeclared', async () => {
    const { topologyFile } = makeProject({ 'app/1_a.sql': 'SELECT 1;', 'app/2_b.sql.postgres': 'SELECT 2;', 'app/3_c.py': 'print(1)' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }));
    const { diagnostics } = await loadTopology(topologyFile, { env: {} });
    const d = diagnostics.find((x) => x.code === 'topology.not_run')!;
    expect(d.message).toBe('topology: set "app" holds 2 files topoplan does not run: 2_b.sql.postgres, 3_c.py');
    expect(d.hint).toContain('suffixes: { ".sql.postgres": postgres }');
  });
});

describe('sqlxOrder', () => {
  it('Flyway: an undo file is the revert of the versioned file of its version; repeatable files come after the versioned ones', () => {
    const root = tree(['f/V1__stock.sql', 'f/V2__warehouses.sql', 'f/U2__warehouses.sql', 'f/V10__by_warehouse.sql', 'f/R__low_stock.sql', 'f/R__a_view.sql', 'f/U7__gone.sql']);
    const listed = listFiles(join(root, 'f'), root, options);
    expect(listed.files.map((f) => [f.name, f.revert?.name])).toEqual([['V1__stock.sql', undefined], ['V2__warehouses.sql', 'U2__warehouses.sql'], ['V10__by_warehouse.sql', undefined], ['R__a_view.sql', undefined], ['R__low_stock.sql', undefined]]);
    // An undo file of no version in the set is never run forward, whatever the include globs say.
    expect(listed.orphanReverts.map((f) => f.name)).toEqual(['U7__gone.sql']);
    const versionedOnly = listFiles(join(root, 'f'), root, { ...options, include: ['V*__*.sql'] });
    expect(versionedOnly.files.map((f) => [f.name, f.revert?.name])).toEqual([['V1__stock.sql', undefined], ['V2__warehouses.sql', 'U2__warehouses.sql'], ['V10__by_warehouse.sql', undefined]]);
    expect(versionedOnly.orphanReverts).toEqual([]);
  });

  it('a Flyway undo file with no versioned file is a warning that says which version it undoes', async () => {
    const { topologyFile } = makeProject({ 'app/V1__a.sql': 'CREATE TABLE a (id int);\n', 'app/U3__c.sql': 'DROP TABLE c;\n' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }));
    const { diagnostics } = await loadTopology(topologyFile);
    expect(diagnostics).toMatchObject([{ code: 'topology.revert_without_up', severity: 'warning', message: expect.stringContaining('"app/U3__c.sql" is a Flyway undo file (a revert) with no versioned file V3__*.sql beside it') as string }]);
  });

  it('orders Flyway versioned files by the number after the V, and leaves other names that start with V alone', () => {
    expect(sqlxOrder(['V10__c.sql', 'V2__b.sql', 'V1_1__a.sql', 'Vacuum.sql', '3_d.sql'])).toEqual(['V1_1__a.sql', 'V2__b.sql', '3_d.sql', 'V10__c.sql', 'Vacuum.sql']);
  });
});
