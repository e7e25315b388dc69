/**
 * The schema-moves fixture (a table, its index, sequence and trigger and a function moved into a schema another
 * set creates, a view written before the move, a table written after it) applies on a real PostgreSQL in the
 * plan's order, gives the moved schema, and rolls back to nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { expectAppliesWhole, objectsOf } from '../../helpers/check-whole.js';
import { makeProject, pgTopology, twoServices } from '../../helpers/project.js';

describe('moving objects between schemas', () => {
  it('applies in the plan order, leaves every object in its new schema, and every revert runs', async () => {
    const result = await expectAppliesWhole('test/fixtures/schema-moves/topology.yaml');
    expect(objectsOf(result, 'main').sort()).toEqual(['function app.touch()', 'index app.idx_posts_body_lower', 'table app.likes', 'table app.posts', 'trigger app.posts.trg_posts_touch', 'view public.post_report']);
    // The serial column's sequence went along: its default reads it in schema app.
    const posts = result.schemas.find((s) => s.store === 'main')!.objects.find((o) => o.name === 'app.posts')!;
    expect(JSON.stringify(posts)).toContain("nextval('app.posts_id_seq'");
  });
});

describe('a renamed table', () => {
  it("keeps its triggers: dropping one by the table's new name applies after the rename", async () => {
    const { topologyFile } = makeProject(
      {
        'a/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY, n int);\nCREATE TRIGGER trg_users_noop BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();\n',
        'a/002_rename.sql': 'ALTER TABLE users RENAME TO accounts;\n',
        'b/001_drop.sql': 'DROP TRIGGER trg_users_noop ON accounts;\n',
      },
      twoServices(['users', 'accounts']),
    );
    const result = await checkPlan(await planMigration(topologyFile, { env: {} }), { reverts: false });
    expect(result.failures).toEqual([]);
    expect(result.schemas.find((s) => s.store === 'main')!.objects.map((o) => `${o.kind} ${o.name}`)).toEqual(['table public.accounts']);
    expect(result.ok).toBe(true);
  });
});

describe("the database's own schemas", () => {
  it('are granted, revoked and commented on without a migration creating them', async () => {
    const { topologyFile } = makeProject(
      { 'a/001_grants.sql': "CREATE TABLE t (id int);\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\nCOMMENT ON SCHEMA public IS 'standard public schema';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;\n" },
      pgTopology({ sets: { a: { dir: 'a' } }, services: { a: { stores: { postgres: 'main' }, sets: ['a'] } } }),
    );
    await expectAppliesWhole(topologyFile);
  });
});
