/**
 * Schemas in the plan's order: an object in a schema another set creates runs after it, and a table moved
 * with `ALTER TABLE ... SET SCHEMA` is found under its new name afterwards (with its index, sequence and
 * trigger), while what names it in its old schema runs before the move (test/fixtures/schema-moves).
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology, twoServices } from '../../../helpers/project.js';

const FIXTURE = 'test/fixtures/schema-moves/topology.yaml';
const id = (file: string, statements: string) => `main:${file}#${statements}`;

describe('schemas and moves between them', () => {
  it('plans the fixture with no problem, each step after what it names, in its old or new schema', async () => {
    const plan = await planMigration(FIXTURE, { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const reasons = (from: string, to: string) => plan.edges.find((e) => e.from === from && e.to === to)?.reasons ?? [];
    const schemas = id('shared/001_schemas.sql', '1');
    const posts = id('posts/001_posts.sql', '1-4');
    const move = id('posts/002_move_to_app.sql', '1-2');
    const reindex = id('posts/003_reindex.up.sql', '1-5');
    const report = id('likes/001_report.sql', '1');
    const likes = id('likes/002_likes.sql', '1');
    expect(reasons(schemas, move)).toEqual(['function app.touch is in schema app, created here', 'table app.posts is in schema app, created here']);
    expect(reasons(posts, move)).toEqual(expect.arrayContaining([
      'moves table posts to schema app, with index idx_posts_body created here',
      'moves table posts to schema app, with sequence posts_id_seq created here',
      'moves table posts to schema app, with trigger posts.trg_posts_touch created here',
    ]));
    expect(reasons(report, move)).toEqual(['uses table posts before it is dropped']);
    expect(reasons(move, likes)).toEqual(['foreign key (post_id) → table app.posts']);
    // The index, sequence and trigger it drops or alters are those the move took along.
    expect(reasons(move, reindex)).toEqual(expect.arrayContaining(['file order in set "posts"', 'drops index app.idx_posts_body created here']));
    const wave = (step: string) => plan.steps.find((s) => s.id === step)!.wave;
    expect(wave(schemas)).toBeLessThan(wave(move));
    expect(wave(report)).toBeLessThan(wave(move));
    expect(wave(move)).toBeLessThan(wave(likes));
    const moved = plan.steps.find((s) => s.id === move)!;
    expect(moved.changes).toEqual([
      { action: 'rename', kind: 'table', name: 'posts', to: 'app.posts' },
      { action: 'rename', kind: 'function', name: 'touch', to: 'app.touch' },
    ]);
    expect(moved.revert).toEqual({ from: 'generated', statements: ['ALTER FUNCTION app.touch() SET SCHEMA public', 'ALTER TABLE app.posts SET SCHEMA public'] });
    expect(plan.objects.filter((o) => o.name.startsWith('app.') || o.name === 'posts').map((o) => `${o.kind} ${o.name}`)).toEqual([
      'function app.touch',
      'index app.idx_posts_body_lower',
      'sequence app.posts_id_seq',
      'table app.likes',
      'table app.posts',
      'trigger app.posts.trg_posts_touch',
    ]);
  });

  it('orders a table in a schema after the set that creates the schema, and needs no schema the plan does not create', async () => {
    const { topologyFile } = makeProject(
      { 'a/001_schema.sql': 'CREATE SCHEMA billing;\n', 'b/001_invoices.sql': 'CREATE TABLE billing.invoices (id int);\nCREATE TABLE audit.events (id int);\n' },
      twoServices(),
    );
    const plan = await planMigration(topologyFile, { env: {}, allowErrors: true });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.edges.find((e) => e.from === 'main:a/001_schema.sql#1' && e.to === 'main:b/001_invoices.sql#1-2')?.reasons).toEqual(['table billing.invoices is in schema billing, created here']);
  });

  it('reports as a cycle a set that names the moved table in its new schema before a statement naming it in the old one', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_posts.sql': 'CREATE SCHEMA app;\nCREATE TABLE posts (id int PRIMARY KEY);\n',
        'a/002_move.sql': 'ALTER TABLE posts SET SCHEMA app;\n',
        'b/001_likes.sql': 'CREATE TABLE likes (post_id int REFERENCES app.posts (id));\n',
        'b/002_old.sql': 'CREATE VIEW old_posts AS SELECT id FROM public.posts;\n',
      },
      twoServices(),
    );
    const plan = await planMigration(topologyFile, { env: {}, allowErrors: true });
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['plan.cycle']);
    expect(errors[0]!.hint).toContain('main:a/002_move.sql#1 → main:b/001_likes.sql#1: foreign key (post_id) → table app.posts');
  });
});

describe('a renamed table', () => {
  const files = {
    'a/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY, n int);\nCREATE TRIGGER trg_users_noop BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();\n',
    'a/002_rename.sql': 'ALTER TABLE users RENAME TO accounts;\n',
    'b/001_drop.sql': 'DROP TRIGGER trg_users_noop ON accounts;\n',
    'b/002_again.sql': 'CREATE TRIGGER trg_users_noop BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();\n',
  };
  const topology = twoServices(['users', 'accounts']);

  it('takes its triggers along: a drop of one by the new table name runs after the rename', async () => {
    const plan = await planMigration(makeProject(files, topology).topologyFile, { env: {} });
    const reasons = (from: string, to: string) => plan.edges.find((e) => e.from === from && e.to === to)?.reasons ?? [];
    expect(reasons('main:a/001_users.sql#1-2', 'main:a/002_rename.sql#1')).toContain('renames table users to accounts, with trigger users.trg_users_noop created here');
    expect(reasons('main:a/002_rename.sql#1', 'main:b/001_drop.sql#1')).toEqual(['drops trigger accounts.trg_users_noop created here']);
    expect(reasons('main:b/001_drop.sql#1', 'main:b/002_again.sql#1')).toContain('drops the old trigger accounts.trg_users_noop before the new one is created');
    expect(plan.objects.filter((o) => o.kind === 'trigger').map((o) => o.name)).toEqual(['accounts.trg_users_noop']);
  });
});

describe("the database's own schemas", () => {
  it('need no migration to create them; a schema nothing creates still does', async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_grants.sql':
          "CREATE TABLE t (id int);\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\nCOMMENT ON SCHEMA public IS 'standard public schema';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;\nGRANT USAGE ON SCHEMA app TO PUBLIC;\n",
      },
      pgTopology({ sets: { a: { dir: 'a' } }, services: { a: { stores: { postgres: 'main' }, sets: ['a'] } } }),
    );
    const plan = await planMigration(topologyFile, { env: {}, allowErrors: true });
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(['plan: "a/001_grants.sql:6" references schema app, which no migration creates']);
  });
});
