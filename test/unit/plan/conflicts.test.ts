import { describe, expect, it } from 'vitest';
import { planMigration, PlanError } from '../../../src/plan/plan-migration.js';
import type { Plan } from '../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

async function plan(files: Record<string, string>, topology: Record<string, unknown>): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology);
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error');
const stepIndex = (p: Plan, pred: (s: Plan['steps'][number]) => boolean) => p.steps.findIndex(pred);

const twoServices = (extra: Record<string, unknown> = {}) =>
  pgTopology({
    sets: { legacy: { dir: 'legacy', shared: true }, a: { dir: 'a' }, b: { dir: 'b' } },
    services: {
      'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] },
      'svc-b': { stores: { postgres: 'main' }, sets: ['b'] },
    },
    ...extra,
  });

describe('duplicate creates', () => {
  const files = {
    'a/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);',
    'b/001_users.sql': 'CREATE TABLE IF NOT EXISTS users (id integer PRIMARY KEY, name text NOT NULL);',
    'legacy/.keep.sql': '',
  };

  it('fails with both sources, how the definitions differ, and the YAML that resolves it', async () => {
    const p = await plan(files, twoServices());
    const c = p.conflicts.find((x) => x.kind === 'duplicate_create')!;
    expect(c.severity).toBe('error');
    expect(c.resolution).toBeUndefined();
    expect(c.message).toContain('a/001_users.sql:1');
    expect(c.message).toContain('b/001_users.sql:1');
    expect(c.message).toMatch(/column "id": bigint vs integer/);
    expect(c.message).toContain('IF NOT EXISTS would silently keep');
    expect(c.hint).toContain('supersessions:');
    expect(c.hint).toContain('by: svc-a');
    expect(errors(p).map((d) => d.code)).toContain('plan.duplicate_create');
    await expect(planMigration(makeProject(files, twoServices()).topologyFile, { env: {} })).rejects.toBeInstanceOf(PlanError);
  });

  it('a supersession skips the losing definition and says why', async () => {
    const p = await plan(files, twoServices({ supersessions: [{ objects: ['users'], by: 'svc-a', sets: ['b'], reason: 'svc-a owns users' }] }));
    expect(errors(p)).toEqual([]);
    expect(p.skipped).toHaveLength(1);
    expect(p.skipped[0]!.file).toBe('b/001_users.sql');
    expect(p.skipped[0]!.reason).toContain('superseded by "svc-a"');
    expect(p.conflicts.find((x) => x.kind === 'duplicate_create')!.resolution).toContain('skipped');
  });
});

describe('legacy cleanup numbered last', () => {
  const files = {
    'legacy/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);',
    'legacy/018_messages.sql': 'CREATE TABLE messages (id bigint PRIMARY KEY, body text, user_id bigint REFERENCES users(id));',
    'legacy/999_cleanup.sql': 'DROP TABLE IF EXISTS messages CASCADE;',
    'a/001_x.sql': 'CREATE TABLE profiles (id bigint PRIMARY KEY);',
    'b/001_messages.sql': 'CREATE TABLE messages (id bigint PRIMARY KEY, content text NOT NULL, sender_id bigint);',
  };
  const topo = () =>
    twoServices({
      services: {
        'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users', 'profiles'] },
        'svc-b': { stores: { postgres: 'main' }, sets: ['b'], owns: ['messages'] },
      },
      supersessions: [{ objects: ['messages'], by: 'svc-b', sets: ['legacy'] }],
    });

  it('drops the old table before the replacement is created, whatever the numbers say', async () => {
    const p = await plan(files, topo());
    expect(errors(p)).toEqual([]);
    const drop = stepIndex(p, (s) => s.source?.file === 'legacy/999_cleanup.sql');
    const create = stepIndex(p, (s) => s.source?.file === 'b/001_messages.sql');
    expect(drop).toBeGreaterThanOrEqual(0);
    expect(create).toBeGreaterThan(drop);
    const dropStep = p.steps[drop]!;
    expect(dropStep.destructive).toBe(true);
    expect(dropStep.phase).toBe('expand');
    const edge = p.edges.find((e) => e.from === dropStep.id && e.to === p.steps[create]!.id)!;
    expect(edge.reasons.join(' ')).toContain('drops the old table messages before the new one is created');
  });
});

describe('cascade drops', () => {
  const files = {
    'legacy/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);',
    'legacy/002_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users(id));',
    'legacy/003_drop.sql': 'DROP TABLE users CASCADE;',
    'a/001.sql': 'SELECT 1;',
    'b/001.sql': 'SELECT 1;',
  };
  const topo = (extra: Record<string, unknown> = {}) =>
    twoServices({ services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users', 'orders'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'] } }, ...extra });

  it('reports the foreign key the CASCADE removes, with both places', async () => {
    const p = await plan(files, topo());
    const c = p.conflicts.find((x) => x.kind === 'cascade_drop')!;
    expect(c.severity).toBe('error');
    expect(c.message).toContain('orders(user_id) → users');
    expect(c.sources.map((s) => s.file)).toEqual(['legacy/003_drop.sql', 'legacy/002_orders.sql']);
    expect(c.hint).toContain('conflict: cascade_drop');
  });

  it('an accept entry resolves it with its reason', async () => {
    const p = await plan(files, topo({ accept: [{ conflict: 'cascade_drop', object: 'users', reason: 'orders are archived' }] }));
    const c = p.conflicts.find((x) => x.kind === 'cascade_drop')!;
    expect(c.resolution).toContain('orders are archived');
    expect(errors(p)).toEqual([]);
  });
});

describe('references', () => {
  it('a table referenced but created by no one is an error with an external: hint', async () => {
    const p = await plan({ 'a/001.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' }, twoServices());
    const c = p.conflicts.find((x) => x.kind === 'missing_object')!;
    expect(c.message).toContain('table users');
    expect(c.hint).toContain('external:');
    const ok = await plan({ 'a/001.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' }, twoServices({ external: ['users'] }));
    expect(ok.conflicts.filter((x) => x.kind === 'missing_object')).toEqual([]);
  });

  it('an extension function without the extension in that store gets a synthetic step', async () => {
    const p = await plan({ 'a/001.sql': 'CREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' }, twoServices());
    const c = p.conflicts.find((x) => x.kind === 'missing_extension')!;
    expect(c.message).toContain('uuid-ossp');
    const ext = p.steps.find((s) => s.kind === 'create_extension')!;
    expect(ext.statements).toEqual(['CREATE EXTENSION IF NOT EXISTS "uuid-ossp"']);
    const t = p.steps.find((s) => s.source?.file === 'a/001.sql')!;
    expect(t.dependsOn).toContain(ext.id);
  });

  it('a file that drops what it just created is a warning', async () => {
    const p = await plan({ 'a/001.sql': 'CREATE TABLE tmp (id int);\nDROP TABLE tmp;', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' }, twoServices());
    const c = p.conflicts.find((x) => x.kind === 'drop_after_create')!;
    expect(c.severity).toBe('warning');
    expect(c.message).toContain('a/001.sql');
  });

  it('an object in the shared set that no service owns is an error with an owns: hint', async () => {
    const p = await plan({ 'legacy/001.sql': 'CREATE TABLE orphans (id int);', 'a/001.sql': 'SELECT 1;', 'b/001.sql': 'SELECT 1;' }, twoServices());
    const c = p.conflicts.find((x) => x.kind === 'unowned_object')!;
    expect(c.message).toContain('orphans');
    expect(c.hint).toContain('owns: [orphans]');
  });
});

describe('cross-store foreign keys', () => {
  const files = {
    'a/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);',
    'b/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), note text);',
    'legacy/x.sql': '',
  };
  const topo = (extra: Record<string, unknown> = {}) => ({
    stores: { one: { engine: 'postgres', database: 'one' }, two: { engine: 'postgres', database: 'two' } },
    sets: { legacy: { dir: 'legacy', shared: true }, a: { dir: 'a' }, b: { dir: 'b' } },
    services: { 'svc-a': { stores: { postgres: 'one' }, sets: ['a'] }, 'svc-b': { stores: { postgres: 'two' }, sets: ['b'] } },
    ...extra,
  });

  it('is an error naming both ends and the YAML that resolves it', async () => {
    const p = await plan(files, topo());
    const c = p.conflicts.find((x) => x.kind === 'cross_store_foreign_key')!;
    expect(c.severity).toBe('error');
    expect(c.message).toContain('"orders" is in "two", "users" in "one"');
    expect(c.hint).toContain('resolution: drop');
  });

  it('resolution drop removes the constraint from the statement', async () => {
    const p = await plan(files, topo({ foreignKeys: [{ from: 'orders', to: 'users', resolution: 'drop', reason: 'checked by svc-b' }] }));
    expect(errors(p)).toEqual([]);
    const s = p.steps.find((x) => x.source?.file === 'b/001_orders.sql')!;
    expect(s.statements[0]).not.toMatch(/references/i);
    expect(s.statements[0]).toMatch(/user_id/);
    expect(s.notes.join(' ')).toContain('checked by svc-b');
  });
});

describe('renames', () => {
  const files = {
    'legacy/001_post_shares.sql': 'CREATE TABLE post_shares (id bigint PRIMARY KEY, post_id bigint NOT NULL, shared_at timestamptz NOT NULL DEFAULT now(), legacy_flag boolean);\nINSERT INTO post_shares (id, post_id) VALUES (1, 10), (2, 20);',
    'legacy/998_cleanup.sql': 'DROP TABLE IF EXISTS post_shares;',
    'a/001_shares.sql': 'CREATE TABLE shares (id bigint PRIMARY KEY, post_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());',
    'b/001.sql': 'SELECT 1;',
  };
  const topo = twoServices({
    services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'] } },
    renames: [{ from: 'post_shares', to: 'shares', owner: 'svc-a', columns: { shared_at: 'created_at' } }],
  });

  it('copies the rows, then drops the old table in the contract phase', async () => {
    const p = await plan(files, topo);
    expect(errors(p)).toEqual([]);
    const copy = p.steps.find((s) => s.kind === 'copy_rows')!;
    expect(copy.phase).toBe('migrate');
    expect(copy.statements.join('\n')).toContain('INSERT INTO shares (id, post_id, created_at) SELECT id, post_id, shared_at FROM post_shares');
    const seed = p.steps.find((s) => s.source?.file === 'legacy/001_post_shares.sql')!;
    expect(copy.dependsOn).toContain(seed.id);
    const drop = p.steps.find((s) => s.source?.file === 'legacy/998_cleanup.sql')!;
    expect(drop.phase).toBe('contract');
    expect(drop.dependsOn).toContain(copy.id);
    const c = p.conflicts.find((x) => x.kind === 'renamed_object')!;
    expect(c.message).toContain('legacy_flag');
  });
});

describe('cycles', () => {
  it('are reported deterministically with the steps and the edge reasons', async () => {
    const files = {
      'a/001.sql': 'CREATE TABLE x (id int PRIMARY KEY, y_id int REFERENCES y(id));',
      'b/001.sql': 'CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x(id));',
      'legacy/k.sql': '',
    };
    const p1 = await plan(files, twoServices());
    const p2 = await plan(files, twoServices());
    const d = p1.diagnostics.find((x) => x.code === 'plan.cycle')!;
    expect(d.message).toContain('main:a/001.sql#1');
    expect(d.message).toContain('main:b/001.sql#1');
    expect(d.hint).toContain('foreign key');
    expect(JSON.stringify(p1.diagnostics)).toBe(JSON.stringify(p2.diagnostics));
  });
});

describe('ownership', () => {
  it('an object two services own by exact name is an error; an exact name beats a glob', async () => {
    const files = { 'a/001.sql': 'CREATE TABLE users (id int);', 'b/001.sql': 'CREATE TABLE audit_log (id int);', 'legacy/x.sql': '' };
    const both = await plan(files, twoServices({ services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'], owns: ['users'] } } }));
    const d = both.diagnostics.find((x) => x.code === 'plan.ambiguous_owner')!;
    expect(d.message).toContain('"svc-a" and "svc-b"');
    expect(d.hint).toContain('exact name');
    const globbed = await plan(files, twoServices({ services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['users'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'], owns: ['*'] } } }));
    expect(globbed.diagnostics.filter((x) => x.code === 'plan.ambiguous_owner')).toEqual([]);
    expect(globbed.objects.find((o) => o.name === 'users')!.owner).toBe('svc-a');
    expect(globbed.objects.find((o) => o.name === 'audit_log')!.owner).toBe('svc-b');
  });
});

describe('cross-store foreign keys: replica', () => {
  it('replicates the referenced table into the referencing store and keeps the constraint', async () => {
    const files = {
      'a/001_users.sql': 'CREATE TABLE orgs (id bigint PRIMARY KEY);\nCREATE TABLE users (id bigint PRIMARY KEY, org_id bigint REFERENCES orgs(id));',
      'b/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id));',
      'legacy/x.sql': '',
    };
    const p = await plan(files, {
      stores: { one: { engine: 'postgres', database: 'one' }, two: { engine: 'postgres', database: 'two' } },
      sets: { legacy: { dir: 'legacy', shared: true }, a: { dir: 'a' }, b: { dir: 'b' } },
      services: { 'svc-a': { stores: { postgres: 'one' }, sets: ['a'] }, 'svc-b': { stores: { postgres: 'two' }, sets: ['b'] } },
      foreignKeys: [{ from: 'orders', to: 'users', resolution: 'replica', reason: 'orders joins users locally' }],
    });
    expect(errors(p)).toEqual([]);
    const replica = p.steps.find((s) => s.store === 'two' && s.source?.file === 'a/001_users.sql')!;
    expect(replica.statements[0]).toMatch(/CREATE TABLE users/);
    expect(replica.statements[0]).not.toMatch(/REFERENCES orgs/i);
    expect(replica.notes.join(' ')).toContain('replica of users from store "one"');
    const orders = p.steps.find((s) => s.source?.file === 'b/001_orders.sql')!;
    expect(orders.statements[0]).toMatch(/REFERENCES users/);
    expect(orders.dependsOn).toContain(replica.id);
    expect(p.conflicts.find((c) => c.kind === 'cross_store_foreign_key')!.resolution).toContain('replica');
  });
});

describe('skips', () => {
  it('skips a statement range or a whole file, with the reason and where it is declared', async () => {
    const files = {
      'a/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1);\nINSERT INTO users VALUES (2);',
      'a/002_demo.sql': 'INSERT INTO users VALUES (3);',
      'b/001.sql': 'SELECT 1;',
      'legacy/x.sql': '',
    };
    const p = await plan(files, twoServices({ skip: [{ set: 'a', file: '001_users.sql', statements: '2-3', reason: 'no seed rows in production' }, { set: 'a', file: '*_demo.sql', reason: 'demo only' }] }));
    expect(errors(p)).toEqual([]);
    expect(p.skipped.map((s) => [s.file, s.statement === undefined ? 'whole file' : s.statement + 1])).toEqual([['a/001_users.sql', 2], ['a/001_users.sql', 3], ['a/002_demo.sql', 'whole file']]);
    expect(p.skipped[0]!.reason).toMatch(/^skipped by the topology \(.*topology\.yaml:\d+\): no seed rows in production$/);
    const users = p.steps.find((s) => s.source?.file === 'a/001_users.sql')!;
    expect(users.statements).toEqual(['CREATE TABLE users (id int PRIMARY KEY)']);
    expect(p.steps.some((s) => s.source?.file === 'a/002_demo.sql')).toBe(false);
  });

  it('a file skipped whole is not read: its parse errors are not reported', async () => {
    const files = { 'a/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);', 'a/002_broken.sql': 'CREATE TABLE (oops;', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' };
    const broken = await plan(files, twoServices());
    expect(errors(broken).map((d) => [d.code, d.file])).toEqual([['sql.parse', 'a/002_broken.sql']]);
    const p = await plan(files, twoServices({ skip: [{ set: 'a', file: '002_broken.sql', reason: 'kept for the record' }] }));
    expect(errors(p)).toEqual([]);
    expect(p.skipped).toEqual([{ set: 'a', file: 'a/002_broken.sql', reason: expect.stringContaining('kept for the record') }]);
  });

  it('skip file globs take braces, and a glob that matches nothing is a warning', async () => {
    const files = { 'a/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY);', 'a/002_demo.sql': 'INSERT INTO users VALUES (1);', 'a/003_more.sql': 'INSERT INTO users VALUES (2);', 'b/001.sql': 'SELECT 1;', 'legacy/x.sql': '' };
    const p = await plan(files, twoServices({ skip: [{ set: 'a', file: '{002_demo,003_more}.sql', reason: 'demo only' }, { set: 'a', file: '{004,005}_*.sql', reason: 'gone' }] }));
    expect(errors(p)).toEqual([]);
    expect(p.skipped.map((s) => s.file)).toEqual(['a/002_demo.sql', 'a/003_more.sql']);
    const nothing = p.diagnostics.filter((d) => d.code === 'topology.skip_matches_nothing');
    expect(nothing.map((d) => d.message)).toEqual(['topology: skip "{004,005}_*.sql" matches no file of set "a"']);
  });
});
