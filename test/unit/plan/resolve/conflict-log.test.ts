/**
 * `accept:` works for every conflict kind the schema lists, by object name (bare, qualified, glob or
 * with a kind); an accept or skip that matches nothing is a warning naming its line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const files = {
  'a/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);',
  'b/001_users.sql': 'CREATE TABLE IF NOT EXISTS users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE VIEW active AS SELECT * FROM ghosts;',
  'b/002_drop.sql': 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;',
};
const topology = (accept: unknown[], skip: unknown[] = []) =>
  pgTopology({
    sets: { a: { dir: 'a' }, b: { dir: 'b' } },
    services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'] } },
    accept,
    skip,
  });
const plan = async (accept: unknown[], skip: unknown[] = []): Promise<Plan> => planMigration(makeProject(files, topology(accept, skip)).topologyFile, { allowErrors: true, env: {} });
const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort();

describe('accept: for every conflict kind', () => {
  it('without accepts: a duplicate create and a missing object fail; the drop after create warns', async () => {
    const p = await plan([]);
    expect(errors(p)).toEqual(['plan.duplicate_create', 'plan.missing_object']);
    expect(p.conflicts.find((c) => c.kind === 'drop_after_create')!.severity).toBe('warning');
  });

  it('duplicate_create, missing_object and drop_after_create are accepted by name, qualified name, glob or kind', async () => {
    const p = await plan([
      { conflict: 'duplicate_create', object: 'public.users', reason: 'both shapes are compatible' },
      { conflict: 'missing_object', object: 'table:gh*', reason: 'created by the reporting job' },
      { conflict: 'drop_after_create', object: 'scratch', reason: 'a test table' },
    ]);
    expect(errors(p)).toEqual([]);
    for (const kind of ['duplicate_create', 'missing_object', 'drop_after_create']) {
      const c = p.conflicts.find((x) => x.kind === kind)!;
      expect(c.severity).toBe('warning');
      expect(c.resolution).toMatch(/^accepted \(.*topology\.yaml:\d+\): /);
    }
    expect(p.diagnostics.filter((d) => d.code === 'plan.unused_accept')).toEqual([]);
  });

  it('an accept that matches no conflict is a warning naming its line', async () => {
    const p = await plan([
      { conflict: 'duplicate_create', object: 'users', reason: 'known' },
      { conflict: 'missing_object', object: 'ghosts', reason: 'known' },
      { conflict: 'cascade_drop', object: 'users', reason: 'left over from an old file' },
    ]);
    const w = p.diagnostics.filter((d) => d.code === 'plan.unused_accept');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ severity: 'warning', line: expect.any(Number) });
    expect(w[0]!.file).toMatch(/topology\.yaml$/);
    expect(w[0]!.message).toBe('plan: accept: { conflict: cascade_drop, object: users } matches no conflict of the plan');
  });
});

describe('skip: entries that skip nothing', () => {
  it('a file glob matching no file, and a statement range beyond the file, are warnings; used entries are not', async () => {
    const accept = [
      { conflict: 'duplicate_create', object: 'users', reason: 'known' },
      { conflict: 'missing_object', object: 'ghosts', reason: 'known' },
    ];
    const p = await plan(accept, [
      { set: 'b', file: '002_drop.sql', statements: '1-2', reason: 'scratch work' },
      { set: 'b', file: '003_*.sql', reason: 'renamed long ago' },
      { set: 'b', file: '001_users.sql', statements: '7', reason: 'renumbered' },
    ]);
    const w = p.diagnostics.filter((d) => d.code === 'plan.unused_skip').map((d) => d.message);
    expect(w).toEqual([
      'plan: skip: { set: b, file: 003_*.sql } skips nothing: no file of set "b" matches',
      'plan: skip: { set: b, file: 001_users.sql, statements: "7" } skips nothing: no statement of a matching file is in that range',
    ]);
    expect(p.diagnostics.filter((d) => d.code === 'plan.unused_accept')).toEqual([]);
  });
});

/** One small project per conflict kind the topology schema lets `accept:` name, with the entry that accepts it. */
const twoStores = (services: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  stores: { s1: { engine: 'postgres', database: 's1' }, s2: { engine: 'postgres', database: 's2' } },
  sets: { a: { dir: 'a' }, b: { dir: 'b' } },
  services,
  ...extra,
});
const cases: Record<string, { files: Record<string, string>; topology: Record<string, unknown>; object: string }> = {
  duplicate_create: { files, topology: topology([]), object: 'users' },
  missing_object: { files: { 'a/001.sql': 'CREATE VIEW v AS SELECT * FROM ghosts;' }, topology: pgTopology({ sets: { a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'] } } }), object: 'ghosts' },
  cascade_drop: {
    files: { 'a/001.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);', 'b/001.sql': 'CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));', 'a/002.sql': 'DROP TABLE users CASCADE;' },
    topology: pgTopology({ sets: { a: { dir: 'a' }, b: { dir: 'b', after: ['a'] } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a', 'b'] } }, allowDestructive: [{ set: 'a', reason: 'users moves out' }] }),
    object: 'users',
  },
  cross_store_reference: {
    files: { 'a/001.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);', 'b/001.sql': 'CREATE VIEW user_ids AS SELECT id FROM users;' },
    topology: twoStores({ 'svc-a': { stores: { postgres: 's1' }, sets: ['a'], owns: ['users'] }, 'svc-b': { stores: { postgres: 's2' }, sets: ['b'] } }),
    object: 'users',
  },
  missing_extension: {
    files: { 'a/001.sql': 'CREATE TABLE tokens (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());' },
    topology: pgTopology({ sets: { a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'] } } }),
    object: 'uuid-ossp',
  },
  drop_after_create: { files: { 'a/001.sql': 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;' }, topology: pgTopology({ sets: { a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'] } } }), object: 'scratch' },
  unowned_object: {
    files: { 'legacy/001.sql': 'CREATE TABLE settings (key text PRIMARY KEY, value text);', 'a/001.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);' },
    topology: pgTopology({ sets: { legacy: { dir: 'legacy', shared: true }, a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] } } }),
    object: 'settings',
  },
  shared_drop: {
    files: {
      'legacy/001_touch.sql': 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
      'legacy/090_cleanup.sql': 'DROP FUNCTION IF EXISTS touch();',
      'a/001_orders.sql': 'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TABLE orders (id bigint PRIMARY KEY);\nCREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();',
    },
    topology: pgTopology({ sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'] } }, shared: ['function:touch'] }),
    object: 'touch',
  },
  drop_blocked: {
    files: { 'a/001.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE VIEW user_ids AS SELECT id FROM users;', 'a/002.sql': 'DROP TABLE users;' },
    topology: pgTopology({ sets: { a: { dir: 'a' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a'] } } }),
    object: 'users',
  },
  unknown_column: {
    files: { 'a/001.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);', 'b/001.sql': 'CREATE INDEX users_emial ON users (emial);' },
    topology: pgTopology({ sets: { a: { dir: 'a' }, b: { dir: 'b', after: ['a'] } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a', 'b'] } } }),
    object: 'users',
  },
  unordered_writes: {
    files: { 'a/001.sql': "CREATE TABLE server_keys (server text, key_id text);\nINSERT INTO server_keys VALUES ('old.example', 'a');", 'b/001.sql': "DELETE FROM server_keys WHERE server = 'old.example';" },
    topology: pgTopology({ sets: { a: { dir: 'a' }, b: { dir: 'b' } }, services: { svc: { stores: { postgres: 'main' }, sets: ['a', 'b'] } } }),
    object: 'server_keys',
  },
};

describe('accept: names each conflict kind of the schema', () => {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../schemas/topology.schema.json', import.meta.url)), 'utf8')) as { $defs: Record<string, unknown> };
  const kinds = findEnum(schema, 'conflict');

  it('the schema and these cases list the same kinds', () => {
    expect(Object.keys(cases).sort()).toEqual([...kinds].sort());
  });

  for (const kind of Object.keys(cases)) {
    it(`${kind}: reported without an entry, accepted with its reason and line with one`, async () => {
      const c = cases[kind]!;
      const before = await planMigration(makeProject(c.files, c.topology).topologyFile, { allowErrors: true, env: {} });
      const open = before.conflicts.find((x) => x.kind === kind);
      expect(open, `no ${kind} conflict in ${JSON.stringify(before.conflicts.map((x) => x.kind))}`).toBeDefined();
      expect(open!.resolution ?? '').not.toMatch(/^accepted/);
      const accepted = await planMigration(makeProject(c.files, { ...c.topology, accept: [{ conflict: kind, object: c.object, reason: 'reviewed by the data team' }] }).topologyFile, { allowErrors: true, env: {} });
      const done = accepted.conflicts.filter((x) => x.kind === kind);
      expect(done.length).toBeGreaterThan(0);
      for (const x of done) expect(x).toMatchObject({ severity: 'warning', resolution: expect.stringMatching(/^accepted \(.*topology\.yaml:\d+\): reviewed by the data team/) });
      expect(accepted.diagnostics.filter((d) => d.code === `plan.${kind}` || d.code === 'plan.unused_accept')).toEqual([]);
    });
  }

  it('an accepted missing extension is left to whoever installs it: the plan makes no CREATE EXTENSION step', async () => {
    const c = cases.missing_extension!;
    const synthetic = (p: Plan) => p.steps.filter((s) => s.statements.some((t) => t.includes('CREATE EXTENSION')));
    expect(synthetic(await planMigration(makeProject(c.files, c.topology).topologyFile, { allowErrors: true, env: {} }))).toHaveLength(1);
    const accepted = await planMigration(makeProject(c.files, { ...c.topology, accept: [{ conflict: 'missing_extension', object: 'uuid-ossp', reason: 'the platform image has it' }] }).topologyFile, { allowErrors: true, env: {} });
    expect(synthetic(accepted)).toEqual([]);
    expect(accepted.conflicts.find((x) => x.kind === 'missing_extension')!.resolution).toMatch(/the platform image has it; the plan does not create it$/);
    const external = await planMigration(makeProject(c.files, { ...c.topology, external: ['extension:uuid-ossp'] }).topologyFile, { allowErrors: true, env: {} });
    expect(synthetic(external)).toEqual([]);
    expect(external.conflicts.filter((x) => x.kind === 'missing_extension')).toEqual([]);
  });
});

/** The `enum` of the first property called `name` anywhere in a JSON Schema. */
function findEnum(node: unknown, name: string): string[] {
  if (!node || typeof node !== 'object') return [];
  const props = (node as { properties?: Record<string, { enum?: string[] }> }).properties;
  if (props?.[name]?.enum) return props[name]!.enum!;
  for (const v of Object.values(node)) {
    const found = findEnum(v, name);
    if (found.length) return found;
  }
  return [];
}
