import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { initTopology, planMigration } from '../../../src/index.js';
import { resolutionEntries, resolutionSections, uncommentSection } from '../../helpers/init-edits.js';
import { makeProject } from '../../helpers/project.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(repo, 'schemas', 'topology.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function outFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'topoplan-init-')), 'topoplan.yaml');
}

/** init, then every resolution section put in, one edit each; returns the edits and the plan's errors. */
async function initThenEdit(tree: string) {
  const out = outFile();
  const r = await initTopology(join(repo, tree), { out });
  expect(r.diagnostics).toEqual([]);
  const draft = readFileSync(out, 'utf8');
  expect(validate(parse(draft)), JSON.stringify(validate.errors)).toBe(true);
  const before = await planMigration(out, { allowErrors: true, env: {} });
  const edits = resolutionSections(draft);
  writeFileSync(out, edits.reduce(uncommentSection, draft));
  const after = await planMigration(out, { allowErrors: true, env: {} });
  expect(validate(parse(readFileSync(out, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  return { r, draft, edits, entries: resolutionEntries(draft), before: before.diagnostics.filter((d) => d.severity === 'error'), errors: after.diagnostics.filter((d) => d.severity === 'error'), resolved: before.conflicts.filter((c) => c.resolution !== undefined) };
}

describe('initTopology: from init to a plan with no errors in at most 3 edits', () => {
  it('the Nova example: 8 directories, 15 conflicts, 8 of them identical definitions put in; 2 edits of 3 entries', async () => {
    const { r, draft, edits, entries, before, errors, resolved } = await initThenEdit('examples/nova');
    expect(r.sets).toBe(8);
    expect(r.stores).toBe(3);
    expect(before.length).toBe(r.conflicts);
    expect([r.settled, r.conflicts]).toEqual([8, 7]);
    expect(draft).toContain('legacy: { dir: backend/migrations, shared: true, stores: { postgres: postgres } }');
    expect(draft).toContain('feature-store-clickhouse: { dir: feature-store/clickhouse, engines: { "*.sql": clickhouse } }');
    expect(draft).toContain('\nsupersessions:\n');
    expect(draft).toContain('\n  - { objects: [update_updated_at_column, entity_types, feature_definitions], by: feature-store, sets: [legacy], reason: "each object is created with the same definition by both sets: keeping one changes nothing" }\n');
    expect(draft).toContain('\n  - { objects: [likes, post_counters], by: social-service, sets: [legacy], reason: "each object');
    // What differs stays to decide: comments and shares differ (their identical index goes with them), and so does every chat table.
    expect(draft).toContain('#   - { objects: [comments, shares], by: social-service, sets: [legacy], reason: "..." }');
    expect(draft).toContain('#   - { objects: [conversations, conversation_members, messages], by: realtime-chat-service, sets: [legacy], reason: "..." }');
    expect(before.every((d) => !d.message.endsWith('; the definitions are identical') || d.object === 'index idx_comments_post_id')).toBe(true);
    // The plan of the draft still says what was resolved, and how (a serial's sequence and an index go with their table).
    expect(resolved.filter((c) => c.resolution?.startsWith('superseded by')).map((c) => c.object).sort()).toEqual(['function update_updated_at_column', 'table entity_types', 'table feature_definitions', 'table likes', 'table post_counters']);
    expect(edits).toEqual(['supersessions', 'accept']);
    expect(entries).toBe(3);
    expect(errors).toEqual([]);
  });

  it('a tree of 16 directories for seven tools, with overlapping definitions: 1 edit (supersessions) of 4 entries', async () => {
    const { r, draft, edits, entries, before, errors } = await initThenEdit('test/fixtures/init-tree');
    expect(r.directories.length).toBe(16);
    expect(r.services).toBe(13);
    expect(before.map((d) => d.code)).toEqual(Array(r.conflicts).fill('plan.duplicate_create'));
    expect([r.settled, r.conflicts]).toEqual([3, 7]);
    expect(draft).toContain('\n  - { objects: [set_updated_at], by: media, sets: [legacy], reason: "each object');
    expect(draft).toContain('\n  - { objects: [tags], by: admin, sets: [legacy], reason: "each object');
    expect(entries).toBe(4);
    expect(draft).toContain('  inventory: { dir: inventory/src/main/resources/db/migration, include: ["V*__*.sql", "R__*.sql"] }');
    expect(draft).toContain('#   - { objects: [currencies], by: billing, sets: [catalog], reason: "..." }');
    expect(draft).toContain('#   - { objects: [users], by: accounts, sets: [legacy], reason: "..." }');
    expect(edits).toEqual(['supersessions']);
    expect(errors).toEqual([]);
  });

  it('the messy fixture: 1 edit', async () => {
    const { edits, errors } = await initThenEdit('test/fixtures/messy');
    expect(edits.length).toBeLessThanOrEqual(3);
    expect(errors).toEqual([]);
  });

  it('a tree with no conflicts plans with no errors as written, and says so', async () => {
    const { r, draft, edits, errors } = await initThenEdit('test/fixtures/versioned');
    expect(r.conflicts).toBe(0);
    expect(draft).toContain('Its plan has no errors.');
    // The deltas change what the full schema creates: they run after it.
    expect(draft).toContain('delta: { dir: delta, versions: subdirs, suffixes: { ".sql.postgres": postgres, ".sql.sqlite": sqlite }, after: [schema-full] }');
    expect(draft).toContain('    sets: [schema-full, delta]\n');
    expect(edits).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('never overwrites a file without force; dryRun writes nothing', async () => {
    const { dir } = makeProject({ 'app/migrations/001_t.sql': 'CREATE TABLE t (id int);\n' }, {});
    const file = join(dir, 'topoplan.yaml');
    writeFileSync(file, 'mine\n');
    const refused = await initTopology(dir);
    expect(refused.written).toBe(false);
    expect(refused.diagnostics).toMatchObject([{ code: 'init.exists', severity: 'error', hint: expect.stringContaining('--force') as string }]);
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const dry = await initTopology(dir, { dryRun: true });
    expect(dry.written).toBe(false);
    expect(dry.text).toContain('app: { dir: app/migrations }');
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    const forced = await initTopology(dir, { force: true });
    expect(forced.written).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(forced.text);
    expect(forced.text).toContain('    owns: [t]');
  });

  it('a file written elsewhere gets a root pointing back at the tree', async () => {
    const { dir } = makeProject({ 'migrations/001_t.sql': 'CREATE TABLE t (id int);\n' }, {});
    const out = join(dir, 'topologies', 'draft.yaml');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'topologies'));
    const r = await initTopology(dir, { out });
    expect(r.text).toContain('root: ..\n');
    const plan = await planMigration(out, { env: {} });
    expect(plan.steps.map((s) => s.source?.file)).toContain('migrations/001_t.sql');
  });

  it('a draft that does not load is written all the same, what is wrong with it noted at the end', async () => {
    const { dir } = makeProject({ 'app/Cargo.toml': '[package]\n[dependencies]\nsqlx = "0.8"\n', 'app/migrations/001a_x.sql': 'CREATE TABLE a (id int);\n' }, {});
    const r = await initTopology(dir);
    expect(r).toMatchObject({ written: true, conflicts: 1, diagnostics: [] });
    expect(r.text).toContain('  app: { dir: app/migrations, convention: sqlx }   # sqlx files: its crate runs sqlx\'s migrator\n');
    expect(r.text).toContain('# - topology: sqlx cannot read the version "001a" of "app/migrations/001a_x.sql"');
    expect(r.text).toContain('#   hint: sqlx reads the name up to the first "_"');
  });

  it('a service whose directory a crate using sqlx runs records _sqlx_migrations as sqlx does; others keep topoplan\'s ledger', async () => {
    const { dir } = makeProject({
      'accounts/Cargo.toml': '[package]\nname = "accounts"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres", "migrate"] }\n',
      'accounts/migrations/20240101000000_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\n',
      'chat/Cargo.toml': '[package]\nname = "chat"\n[dependencies]\nsqlx = "0.9"\n',
      'chat/sqlx.toml': '[migrate]\ntable-name = "_sqlx_migrations_chat"\n',
      'chat/migrations/1_rooms.sql': 'CREATE TABLE rooms (id int PRIMARY KEY);\n',
      'search/Cargo.toml': '[package]\nname = "search"\n[dependencies]\ndiesel = "2"\n',
      'search/migrations/1_docs.sql': 'CREATE TABLE docs (id int PRIMARY KEY);\n',
    }, {});
    const r = await initTopology(dir);
    expect(r.text).toContain('  accounts:\n    stores: { postgres: postgres }\n    sets: [accounts]\n    owns: [users]\n    ledger: sqlx\n');
    expect(r.text).toContain('  chat:\n    stores: { postgres: postgres }\n    sets: [chat]\n    owns: [rooms]\n    ledger: sqlx\n    sqlx: { table: _sqlx_migrations_chat }\n');
    expect(r.text).toContain('# sqlx files: its crate runs sqlx\'s migrator, whose sqlx.toml names the ledger table "_sqlx_migrations_chat"');
    expect(r.text.endsWith('  search:\n    stores: { postgres: postgres }\n    sets: [search]\n    owns: [docs]\n')).toBe(true);
    // Each sqlx service keeps its rows where its migrator reads them: the plan finds no colliding versions.
    const plan = await planMigration(r.file, { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.conflicts).toBe(0);
  });

  it('migrations a symbolic link brings in from outside the repository are a set that may read from there', async () => {
    const shared = makeProject({ 'sql/001_shared.sql': 'CREATE TABLE shared_things (id int);\n' }, {}).dir;
    const { dir } = makeProject({ 'app/migrations/001_a.sql': 'CREATE TABLE a (id int);\n' }, {});
    symlinkSync(join(shared, 'sql'), join(dir, 'app', 'shared-sql'));
    const r = await initTopology(dir);
    expect(r.text).toMatch(/ \{ dir: app\/shared-sql, allowOutsideRoot: true \}   # a symbolic link leads to ".*", outside the repository\n/);
    const plan = await planMigration(r.file, { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.steps.map((s) => s.source?.file)).toContain('app/shared-sql/001_shared.sql');
  });

  it('a directory with no migrations is an error that says what was looked for', async () => {
    const { dir } = makeProject({ 'docs/README.md': '# x\n' }, {});
    const r = await initTopology(dir);
    expect(r.diagnostics).toMatchObject([{ code: 'init.no_migrations', message: expect.stringContaining('numbered .sql') as string }]);
    expect(existsSync(join(dir, 'topoplan.yaml'))).toBe(false);
  });
});
