/**
 * Statements that only act on objects (COMMENT, ANALYZE, GRANT, OWNER, POLICY, RULE, setval, REFRESH, REINDEX, CLUSTER,
 * DO blocks) are routed to the store of what they act on and ordered after its creation, in a
 * topology with a database per service.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject } from '../../../helpers/project.js';

const topology = {
  stores: {
    core: { engine: 'postgres', database: 'core' },
    chat: { engine: 'postgres', database: 'chat' },
    social: { engine: 'postgres', database: 'social' },
  },
  sets: { legacy: { dir: 'backend/migrations', shared: true }, users: { dir: 'users' }, chat: { dir: 'chat' }, social: { dir: 'social' } },
  services: {
    'user-service': { stores: { postgres: 'core' }, sets: ['users'], owns: ['users', 'posts'] },
    'chat-service': { stores: { postgres: 'chat' }, sets: ['chat'] },
    'social-service': { stores: { postgres: 'social' }, sets: ['social'] },
  },
};

const files = {
  'backend/migrations/001_base.sql': `CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);
CREATE TABLE posts (id serial PRIMARY KEY, user_id bigint REFERENCES users (id), body text);
COMMENT ON COLUMN posts.body IS 'markdown';`,
  // Numbered before the services' own files, as legacy fix-ups often are.
  'backend/migrations/002_fixups.sql': `ALTER TABLE users ADD COLUMN bio text;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'messages' AND column_name = 'edited_at') THEN
    ALTER TABLE messages ADD COLUMN edited_at timestamptz;
  END IF;
END $$;
ANALYZE likes;
COMMENT ON MATERIALIZED VIEW like_counts IS 'refreshed hourly';
GRANT SELECT ON like_counts TO PUBLIC;
SELECT setval('posts_id_seq', 1000, false);
SET statement_timeout = 0;
REINDEX TABLE likes;
CLUSTER messages USING messages_pkey;`,
  'users/001_profiles.sql': `CREATE TABLE profiles (user_id bigint PRIMARY KEY, display_name text);
ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;`,
  'users/002_policies.sql': `CREATE POLICY profiles_all ON profiles USING (true);
CREATE RULE profiles_no_delete AS ON DELETE TO profiles DO INSTEAD NOTHING;
ALTER TABLE profiles OWNER TO CURRENT_USER;`,
  'chat/20240101000000_messages.sql': 'CREATE TABLE messages (id bigint PRIMARY KEY, body text NOT NULL);',
  'social/001_likes.sql': `CREATE TABLE likes (post_id bigint NOT NULL, user_id bigint NOT NULL, PRIMARY KEY (post_id, user_id));
CREATE MATERIALIZED VIEW like_counts AS SELECT post_id, count(*) AS n FROM likes GROUP BY post_id;`,
  'social/002_refresh.sql': 'REFRESH MATERIALIZED VIEW like_counts;',
};

async function plan(): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology);
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const stepOf = (p: Plan, file: string, statement: number) =>
  p.steps.find((s) => s.source?.file === file && s.source.firstStatement <= statement - 1 && s.source.lastStatement >= statement - 1)!;
const before = (p: Plan, a: { id: string }, b: { id: string }) => {
  // b depends on a, directly or through other steps.
  const seen = new Set<string>();
  const stack = [b.id];
  while (stack.length) {
    const id = stack.pop()!;
    for (const d of p.steps.find((s) => s.id === id)!.dependsOn) if (!seen.has(d)) (seen.add(d), stack.push(d));
  }
  return seen.has(a.id);
};

describe('statements that act on objects, routed and ordered by them', () => {
  it('plans without errors', async () => {
    const p = await plan();
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each([
    ['the DO block altering messages', 2, 'chat', 'chat/20240101000000_messages.sql', 1],
    ['ANALYZE likes', 3, 'social', 'social/001_likes.sql', 1],
    ['COMMENT ON MATERIALIZED VIEW like_counts', 4, 'social', 'social/001_likes.sql', 2],
    ['GRANT on like_counts (named as a table)', 5, 'social', 'social/001_likes.sql', 2],
    ['REINDEX TABLE likes', 8, 'social', 'social/001_likes.sql', 1],
    ['CLUSTER messages', 9, 'chat', 'chat/20240101000000_messages.sql', 1],
  ])('%s runs in the store of its object, after its creation', async (_what, statement, store, creatorFile, creatorStatement) => {
    const p = await plan();
    const step = stepOf(p, 'backend/migrations/002_fixups.sql', statement);
    expect(step.store).toBe(store);
    expect(before(p, stepOf(p, creatorFile, creatorStatement), step)).toBe(true);
  });

  it("setval() of a serial column's sequence runs with its table", async () => {
    const p = await plan();
    const step = stepOf(p, 'backend/migrations/002_fixups.sql', 6);
    expect(step.store).toBe('core');
    expect(before(p, stepOf(p, 'backend/migrations/001_base.sql', 2), step)).toBe(true);
  });

  it('POLICY, RULE and OWNER TO run after the table and in its store; REFRESH after the view', async () => {
    const p = await plan();
    for (const n of [1, 2, 3]) expect(before(p, stepOf(p, 'users/001_profiles.sql', 1), stepOf(p, 'users/002_policies.sql', n))).toBe(true);
    expect(before(p, stepOf(p, 'social/001_likes.sql', 2), stepOf(p, 'social/002_refresh.sql', 1))).toBe(true);
  });

  it('a statement with no effects routed only by its neighbours is a warning when its engine has several stores', async () => {
    const p = await plan();
    const w = p.diagnostics.filter((d) => d.code === 'plan.routed_by_neighbours');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ severity: 'warning', file: 'backend/migrations/002_fixups.sql', line: 12 });
    expect(w[0]!.message).toBe('plan: statement 7 of "backend/migrations/002_fixups.sql" (VariableSetStmt) touches no object the plan knows, so it runs in store "core" only because the statement at line 11 of its file does');
    expect(w[0]!.hint).toContain('statements: "7"');
  });

  it('with one store of the engine, routing by neighbours is no guess and no warning', async () => {
    const one = { ...topology, stores: { core: { engine: 'postgres', database: 'core' } }, services: Object.fromEntries(Object.entries(topology.services).map(([k, v]) => [k, { ...v, stores: { postgres: 'core' } }])) };
    const { topologyFile } = makeProject(files, one);
    const p = await planMigration(topologyFile, { allowErrors: true, env: {} });
    expect(p.diagnostics.filter((d) => d.code === 'plan.routed_by_neighbours')).toEqual([]);
  });
});

describe("a shared set's default store per engine", () => {
  const legacyOnly = {
    'legacy/001_base.sql': `CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE settings (key text PRIMARY KEY, value text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`,
    'app/001_accounts.sql': 'CREATE TABLE accounts (id uuid PRIMARY KEY DEFAULT gen_random_uuid());',
  };
  const withStores = (stores: Record<string, string> | undefined, shared = true) => ({
    stores: { main: { engine: 'postgres', database: 'main' }, other: { engine: 'postgres', database: 'other' } },
    sets: { legacy: { dir: 'legacy', ...(shared ? { shared: true } : {}), ...(stores ? { stores } : {}) }, app: { dir: 'app' } },
    services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, ...(shared ? {} : { old: { stores: { postgres: 'other' }, sets: ['legacy'] } }) },
  });

  it('without one, what no service owns has no store: one grouped error per kind and set, each with one YAML block', async () => {
    const p = await planMigration(makeProject(legacyOnly, withStores(undefined)).topologyFile, { allowErrors: true, env: {} });
    const errs = p.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => d.code).sort()).toEqual(['plan.unowned_object', 'plan.unrouted']);
    const unowned = errs.find((d) => d.code === 'plan.unowned_object')!;
    expect(unowned.message).toBe('plan: 2 objects in shared set "legacy" are owned by no service, so they have no store: function touch (legacy/001_base.sql:3), table settings (legacy/001_base.sql:2)');
    expect(unowned.hint).toBe('services:\n  <owning-service>:\n    owns: [touch, settings]\n# or, to keep every object no service owns in one store:\nsets:\n  legacy:\n    stores: { postgres: <store> }');
    const unrouted = errs.find((d) => d.code === 'plan.unrouted')!;
    expect(unrouted.message).toBe('plan: cannot tell which store 3 statements of set "legacy" belong to: they touch no owned object: legacy/001_base.sql:1 (CreateExtensionStmt), legacy/001_base.sql:2 (CreateStmt), legacy/001_base.sql:3 (CreateFunctionStmt)');
    expect(unrouted.hint).toMatch(/^name the store of what no service owns \(every statement above then runs there\):\nsets:\n  legacy:\n    stores: \{ postgres: <store> \}\n/);
    // The grouped YAML resolves them all.
    const fixed = await planMigration(makeProject(legacyOnly, withStores({ postgres: 'main' })).topologyFile, { allowErrors: true, env: {} });
    expect(fixed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('an accepted unowned object is a warning of its own and leaves the group', async () => {
    const t = { ...withStores(undefined), accept: [{ conflict: 'unowned_object', object: 'settings', reason: 'created by hand in production' }] };
    const p = await planMigration(makeProject(legacyOnly, t).topologyFile, { allowErrors: true, env: {} });
    const cs = p.conflicts.filter((c) => c.kind === 'unowned_object');
    expect(cs.map((c) => `${c.severity} ${c.object}`).sort()).toEqual(['error function touch', 'warning table settings']);
  });

  it('never says "no migration creates" an object whose creating statement exists but has no store', async () => {
    const files = { ...legacyOnly, 'app/002_use.sql': 'INSERT INTO settings (key, value) VALUES (\'a\', \'b\');' };
    const p = await planMigration(makeProject(files, withStores(undefined)).topologyFile, { allowErrors: true, env: {} });
    expect(p.diagnostics.some((d) => d.message.includes('which no migration creates'))).toBe(false);
    const c = p.conflicts.find((x) => x.kind === 'missing_object')!;
    expect(c).toMatchObject({ severity: 'info' });
    expect(c.message).toBe('plan: "app/002_use.sql:1" references table settings, which "legacy/001_base.sql:2" creates, but that statement has no store');
  });

  it('with one, unowned objects, extensions and helper functions go there, with a note', async () => {
    const p = await planMigration(makeProject(legacyOnly, withStores({ postgres: 'main' })).topologyFile, { allowErrors: true, env: {} });
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const legacy = p.steps.filter((s) => s.source?.set === 'legacy');
    expect(legacy.map((s) => s.store)).toEqual(['main']);
    expect(legacy[0]!.notes).toContain('runs in "main", the store set "legacy" names for postgres: it touches nothing a service owns');
  });

  it('names a declared store of its engine, on a shared set only', async () => {
    const bad = await planMigration(makeProject(legacyOnly, withStores({ postgres: 'nowhere' })).topologyFile, { allowErrors: true, env: {} }).catch((e) => e);
    expect(bad.diagnostics.map((d: { code: string }) => d.code)).toContain('topology.unknown_store');
    const notShared = await planMigration(makeProject(legacyOnly, withStores({ postgres: 'main' }, false)).topologyFile, { allowErrors: true, env: {} }).catch((e) => e);
    expect(notShared.diagnostics.map((d: { code: string; message: string }) => `${d.code}: ${d.message}`)).toContain('topology.set_stores: topology: set "legacy" names stores but is not shared');
  });
});
