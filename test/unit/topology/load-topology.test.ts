import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/errors.js';
import { loadTopology } from '../../../src/topology/index.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'topoplan-topo-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const base = (services: string, extra = '') => `topoplan: 1
name: t
stores:
  main: { engine: postgres, database: main }
sets:
  app: { dir: app }
services:
${services}
${extra}`;

const one = (ds: Diagnostic[], code: string) => {
  const d = ds.find((x) => x.code === code);
  expect(d, `expected a ${code} diagnostic, got ${JSON.stringify(ds)}`).toBeDefined();
  expect(d!.hint).toBeTruthy();
  return d!;
};

describe('loadTopology diagnostics', () => {
  it('a YAML syntax error has its line and column', async () => {
    const dir = project({ 't.yaml': 'topoplan: 1\nname: t\nstores:\n  main: { engine: postgres, database: main\n', 'app/1_a.sql': '' });
    const { topology, diagnostics } = await loadTopology(join(dir, 't.yaml'), { env: {} });
    expect(topology).toBeUndefined();
    const d = one(diagnostics, 'topology.yaml');
    expect(d.severity).toBe('error');
    expect(d.line).toBeGreaterThanOrEqual(4);
    expect(d.column).toBeGreaterThan(0);
  });

  it('reports every schema problem at once: unknown key with a suggestion, bad enum', async () => {
    const dir = project({
      't.yaml': `topoplan: 1\nname: t\nstores:\n  main: { engine: mysql, database: main }\nsets:\n  app: { dir: app }\nservices:\n  api:\n    stores: { postgres: main }\n    sets: [app]\n    own: [users]\n`,
      'app/1_a.sql': 'SELECT 1;',
    });
    const file = join(dir, 't.yaml');
    const { diagnostics } = await loadTopology(file, { env: {} });
    const schema = diagnostics.filter((d) => d.code === 'topology.schema');
    expect(schema.length).toBe(2);
    const unknown = schema.find((d) => d.message.includes('"own"'))!;
    expect(unknown).toMatchObject({ file, line: 11, column: 5 });
    expect(unknown.hint).toContain('"owns"');
    const engine = schema.find((d) => d.message.includes('engine'))!;
    expect(engine).toMatchObject({ line: 4 });
    expect(engine.hint).toContain('"postgres"');
  });

  it('an unknown store, an unknown service and a missing directory are named with their place', async () => {
    const dir = project({
      't.yaml': base('  api:\n    stores: { postgres: mian }\n    sets: [app, other]', 'renames:\n  - { from: a, to: b, owner: nobody }'),
      'app/1_a.sql': 'SELECT 1;',
    });
    const { diagnostics } = await loadTopology(join(dir, 't.yaml'), { env: {} });
    const store = one(diagnostics, 'topology.unknown_store');
    expect(store.line).toBe(9);
    expect(store.hint).toContain('did you mean "main"');
    one(diagnostics, 'topology.unknown_set');
    expect(one(diagnostics, 'topology.unknown_service').message).toContain('"nobody"');
  });

  it('a missing migration directory points at its dir: line', async () => {
    const dir = project({ 't.yaml': base('  api:\n    stores: { postgres: main }\n    sets: [app]') });
    const { diagnostics } = await loadTopology(join(dir, 't.yaml'), { env: {} });
    const d = one(diagnostics, 'topology.missing_dir');
    expect(d).toMatchObject({ line: 6 });
    expect(d.message).toContain('"app"');
  });

  it('expands ${VAR:-default}, and an unset ${VAR} without default is an error', async () => {
    const files = (url: string) => ({ 't.yaml': base('  api:\n    stores: { postgres: main }\n    sets: [app]').replace('database: main }', `database: main, url: "${url}" }`), 'app/1_a.sql': 'SELECT 1;' });
    const ok = await loadTopology(join(project(files('${PG_URL:-postgres://x/y}')), 't.yaml'), { env: {} });
    expect(ok.topology!.stores.get('main')!.url).toBe('postgres://x/y');
    const set = await loadTopology(join(project(files('${PG_URL:-postgres://x/y}')), 't.yaml'), { env: { PG_URL: 'postgres://z' } });
    expect(set.topology!.stores.get('main')!.url).toBe('postgres://z');
    const bad = await loadTopology(join(project(files('${PG_URL}')), 't.yaml'), { env: {} });
    expect(one(bad.diagnostics, 'topology.env').message).toContain('PG_URL');
  });

  it('nested defaults expand; a malformed reference is an error at the url, not a bare "Invalid URL" later', async () => {
    const files = (url: string) => ({ 't.yaml': base('  api:\n    stores: { postgres: main }\n    sets: [app]').replace('database: main }', `database: main, url: "${url}" }`), 'app/1_a.sql': 'SELECT 1;' });
    const nested = await loadTopology(join(project(files('${A:-${B:-}}')), 't.yaml'), { env: { B: 'postgres://b/db' } });
    expect(nested.topology!.stores.get('main')!.url).toBe('postgres://b/db');
    const embedded = await loadTopology(join(project(files('${A:-${B:-}}')), 't.yaml'), { env: {} });
    expect(embedded.topology!.stores.get('main')!.url).toBeUndefined();
    const open = await loadTopology(join(project(files('${A:-${B:-}')), 't.yaml'), { env: {} });
    const d = one(open.diagnostics, 'topology.env_syntax');
    expect(d).toMatchObject({ line: 4, severity: 'error' });
    expect(d.message).toContain('store "main" url: "${A:-" is not closed by "}"');
  });

  it('a set directory outside the root is an error unless the set allows it', async () => {
    const outside = project({ 'm/1_a.sql': 'SELECT 1;' });
    const topo = (dir: string, extra = '') => base('  api:\n    stores: { postgres: main }\n    sets: [app]').replace('app: { dir: app }', `app: { dir: "${dir}"${extra} }`);
    for (const dir of [join(outside, 'm'), join('..', basename(outside), 'm'), '/etc']) {
      const root = project({ 't.yaml': topo(dir) });
      const { topology, diagnostics } = await loadTopology(join(root, 't.yaml'), { env: {} });
      expect(topology, dir).toBeUndefined();
      const d = one(diagnostics, 'topology.outside_root');
      expect(d).toMatchObject({ line: 6 });
      expect(d.hint).toContain('allowOutsideRoot: true');
    }
    const linked = project({ 't.yaml': topo('m') });
    symlinkSync(join(outside, 'm'), join(linked, 'm'));
    expect(one((await loadTopology(join(linked, 't.yaml'), { env: {} })).diagnostics, 'topology.outside_root').message).toContain('through a symbolic link');
    const allowed = project({ 't.yaml': topo(join(outside, 'm'), ', allowOutsideRoot: true') });
    const ok = await loadTopology(join(allowed, 't.yaml'), { env: {} });
    expect(ok.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(ok.topology!.sets.get('app')!.files.map((f) => f.name)).toEqual(['1_a.sql']);
  });

  it('a file or version directory in a set that is a symbolic link out of the root is an error unless the set allows it; a dangling link is a warning', async () => {
    const outside = project({ 'x/1_evil.sql': 'DROP TABLE users;', 'v/1_v.sql': 'SELECT 1;' });
    const topo = (extra = '') => base('  api:\n    stores: { postgres: main }\n    sets: [app]').replace('app: { dir: app }', `app: { dir: app${extra} }`);
    const root = project({ 't.yaml': topo(), 'app/1_a.sql': 'CREATE TABLE a (id int);', 'inside/2_in.sql': 'CREATE TABLE b (id int);' });
    symlinkSync(join(outside, 'x', '1_evil.sql'), join(root, 'app', '3_evil.sql'));
    symlinkSync(join(root, 'inside', '2_in.sql'), join(root, 'app', '2_in.sql'));
    symlinkSync(join(outside, 'nothing.sql'), join(root, 'app', '4_gone.sql'));
    const { topology, diagnostics } = await loadTopology(join(root, 't.yaml'), { env: {} });
    expect(topology).toBeUndefined();
    const d = one(diagnostics, 'topology.outside_root');
    expect(d).toMatchObject({ line: 6, message: `topology: set "app" reads "app/3_evil.sql" through a symbolic link to "${join(outside, 'x', '1_evil.sql')}", outside the topology's root "${root}"; it is not read` });
    expect(d.hint).toContain('app: { dir: app, allowOutsideRoot: true }');
    expect(one(diagnostics, 'topology.broken_link')).toMatchObject({ severity: 'warning', message: 'topology: set "app" holds "app/4_gone.sql", a symbolic link that leads nowhere; it is not read' });
    // A link that stays inside the root is read like any file; allowOutsideRoot reads the other one too.
    writeFileSync(join(root, 't.yaml'), topo(', allowOutsideRoot: true'));
    const ok = await loadTopology(join(root, 't.yaml'), { env: {} });
    expect(ok.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(ok.topology!.sets.get('app')!.files.map((f) => f.name)).toEqual(['1_a.sql', '2_in.sql', '3_evil.sql']);
    // versions: subdirs, with a version directory linked from elsewhere.
    const versioned = project({ 't.yaml': topo(', versions: subdirs'), 'app/1/1_a.sql': 'SELECT 1;' });
    symlinkSync(join(outside, 'v'), join(versioned, 'app', '2'));
    expect(one((await loadTopology(join(versioned, 't.yaml'), { env: {} })).diagnostics, 'topology.outside_root').message).toContain('reads "app/2" through a symbolic link');
  });

  it('extends: the child overrides one binding; positions stay in the file that wrote them', async () => {
    const dir = project({
      'a.yaml': base('  api:\n    stores: { postgres: main }\n    sets: [app]\n  web:\n    stores: { postgres: main }'),
      'b.yaml': 'topoplan: 1\nname: b\nextends: a.yaml\nstores:\n  second: { engine: postgres, database: second }\nservices:\n  web: { stores: { postgres: second } }\n',
      'app/1_a.sql': 'SELECT 1;',
    });
    const { topology } = await loadTopology(join(dir, 'b.yaml'), { env: {} });
    expect(topology!.services.get('web')!.stores.postgres).toBe('second');
    expect(topology!.services.get('api')!.stores.postgres).toBe('main');
    expect(topology!.services.get('api')!.pos.file).toContain('a.yaml');
    expect(topology!.extendsChain).toHaveLength(1);
    const cyc = project({ 'a.yaml': 'topoplan: 1\nname: a\nextends: b.yaml\n', 'b.yaml': 'topoplan: 1\nname: b\nextends: a.yaml\n' });
    one((await loadTopology(join(cyc, 'a.yaml'), { env: {} })).diagnostics, 'topology.extends_cycle');
  });

  it('lists files in sqlx order: versions compared as numbers', async () => {
    const dir = project({ 't.yaml': base('  api:\n    stores: { postgres: main }\n    sets: [app]'), 'app/10_c.sql': '', 'app/2_b.sql': '', 'app/1_a.sql': '', 'app/20240101000000_x.sql': '', 'app/notes.txt': '' });
    const { topology } = await loadTopology(join(dir, 't.yaml'), { env: {} });
    expect(topology!.sets.get('app')!.files.map((f) => f.name)).toEqual(['1_a.sql', '2_b.sql', '10_c.sql', '20240101000000_x.sql']);
  });

  it('allowDestructive: read with its position; a reason is required; unknown sets, empty ranges and files matching nothing are reported', async () => {
    const svc = '  api:\n    stores: { postgres: main }\n    sets: [app]';
    const good = project({ 't.yaml': base(svc, 'allowDestructive:\n  - { set: app, file: "00*_drop.sql", statements: "2-3", reason: the column moved }'), 'app/001_drop.sql': 'SELECT 1;' });
    const { topology } = await loadTopology(join(good, 't.yaml'), { env: {} });
    expect(topology!.allowDestructive).toEqual([{ set: 'app', file: '00*_drop.sql', statements: [2, 3], reason: 'the column moved', pos: expect.objectContaining({ line: 12 }) }]);

    const noReason = project({ 't.yaml': base(svc, 'allowDestructive:\n  - { set: app }'), 'app/001_drop.sql': 'SELECT 1;' });
    const schema = (await loadTopology(join(noReason, 't.yaml'), { env: {} })).diagnostics.filter((d) => d.code === 'topology.schema');
    expect(schema.map((d) => d.message).join()).toContain('reason');

    const bad = project({ 't.yaml': base(svc, 'allowDestructive:\n  - { set: ap, reason: x }\n  - { set: app, statements: "3-1", reason: x }\n  - { set: app, file: "9*.sql", reason: x }'), 'app/001_drop.sql': 'SELECT 1;' });
    const ds = (await loadTopology(join(bad, 't.yaml'), { env: {} })).diagnostics;
    expect(one(ds, 'topology.unknown_set')).toMatchObject({ severity: 'error', line: 12, hint: 'did you mean "app"?' });
    expect(one(ds, 'topology.bad_range')).toMatchObject({ severity: 'error', line: 13 });
    expect(one(ds, 'topology.allow_matches_nothing')).toMatchObject({ severity: 'warning', line: 14 });
  });
});

describe('aliases that cannot be built', () => {
  it('an alias before its anchor is one error at the alias, not a crash', async () => {
    const dir = project({ 'topology.yaml': base('  app: { stores: { postgres: main }, sets: *apps }\nlater: &apps [app]\n'), 'app/001_t.sql': 'CREATE TABLE t (id int);' });
    const { topology, diagnostics } = await loadTopology(join(dir, 'topology.yaml'));
    expect(topology).toBeUndefined();
    const d = one(diagnostics, 'topology.yaml');
    expect(d.message).toMatch(/^topology: YAML error in ".*topology\.yaml": .*alias/i);
    expect([d.line, d.column]).toEqual([8, 44]);
  });
});
