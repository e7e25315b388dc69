import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../src/plan/model.js';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

/** Two sets of one service: "delta" sorts before "schema", so only the topology can put schema first. */
async function plan(files: Record<string, string>, sets: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): Promise<Plan> {
  const { topologyFile } = makeProject(files, pgTopology({ sets, services: { relay: { stores: { postgres: 'main' }, sets: Object.keys(sets) } }, ...extra }));
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error');
const stepOf = (p: Plan, file: string) => p.steps.find((s) => s.source?.file === file)!;
/** True when step `b` (transitively) depends on step `a`. */
function after(p: Plan, a: string, b: string): boolean {
  const byId = new Map(p.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const walk = (id: string): boolean => {
    if (id === a) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return byId.get(id)!.dependsOn.some(walk);
  };
  return walk(b);
}

const tree = {
  'schema/70_full.sql': 'CREATE TABLE presence_legacy (user_id text);\nCREATE TABLE server_keys (server text, key_id text);\nINSERT INTO server_keys VALUES (\'old.example\', \'a\');\n',
  'delta/72/01_drop.sql': 'DROP TABLE IF EXISTS presence_legacy;\n',
  'delta/75/01_forget.sql': "DELETE FROM server_keys WHERE server = 'old.example';\n",
};
const allow = { allowDestructive: [{ set: 'delta', reason: 'versions drop on purpose' }] };

describe('ordered sets', () => {
  it('after: puts a set after another: its drop of a table the other creates runs after the create, its writes after the other\'s', async () => {
    const p = await plan(tree, { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs', after: ['schema'] } }, allow);
    expect(errors(p)).toEqual([]);
    expect(after(p, stepOf(p, 'schema/70_full.sql').id, stepOf(p, 'delta/72/01_drop.sql').id)).toBe(true);
    expect(after(p, stepOf(p, 'schema/70_full.sql').id, stepOf(p, 'delta/75/01_forget.sql').id)).toBe(true);
    expect(p.objects.map((o) => o.name)).not.toContain('presence_legacy');
  });

  it('without after:, a drop whose only creator is in another set is read as use → drop, and the plan says so', async () => {
    const p = await plan({ 'schema/70_full.sql': tree['schema/70_full.sql'], 'delta/72/01_drop.sql': tree['delta/72/01_drop.sql'] }, { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs' } }, allow);
    expect(errors(p)).toEqual([]);
    const drop = stepOf(p, 'delta/72/01_drop.sql');
    expect(after(p, stepOf(p, 'schema/70_full.sql').id, drop.id)).toBe(true);
    expect(drop.notes.join('\n')).toContain('read as use → drop: drops table presence_legacy after set "schema" creates it (schema/70_full.sql:1); if it is a cleanup that must come first, say so with after: [delta] on set "schema"');
  });

  it('where the chain puts the dropping set first, the drop is a cleanup that runs before the create', async () => {
    const p = await plan(
      { 'schema/70_full.sql': 'CREATE TABLE presence (user_id text);\n', 'cleanup/01_old.sql': 'DROP TABLE IF EXISTS presence;\n' },
      { schema: { dir: 'schema', after: ['cleanup'] }, cleanup: { dir: 'cleanup' } },
      { allowDestructive: [{ set: 'cleanup', reason: 'old servers' }] },
    );
    expect(errors(p)).toEqual([]);
    const drop = stepOf(p, 'cleanup/01_old.sql');
    expect(after(p, drop.id, stepOf(p, 'schema/70_full.sql').id)).toBe(true);
    expect(drop.notes.join('\n')).toContain('read as a cleanup: drops table presence before set "schema" creates it (schema/70_full.sql:1), since "schema" runs after "cleanup"');
    expect(p.objects.map((o) => o.name)).toContain('presence');
  });

  it('writes to one table from sets nothing orders are a conflict; after: resolves it', async () => {
    const sets = { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs' } };
    const p = await plan(tree, sets, allow);
    const c = p.conflicts.find((x) => x.kind === 'unordered_writes')!;
    expect(c.message).toContain('sets "delta" and "schema" both write rows of table "public.server_keys" ("delta/75/01_forget.sql:1" and "schema/70_full.sql:3")');
    expect(c.hint).toContain('after: [delta]');
    expect(errors(p).map((d) => d.code)).toEqual(['plan.unordered_writes']);
    const accepted = await plan(tree, sets, { ...allow, accept: [{ conflict: 'unordered_writes', object: 'server_keys', reason: 'the delete finds nothing either way' }] });
    expect(errors(accepted)).toEqual([]);
  });

  it('in a chain a later CREATE OR REPLACE is the next version; unordered, it is a duplicate', async () => {
    const files = {
      'schema/70_full.sql': "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
      'delta/76/01_f.sql': "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';\n",
    };
    const chained = await plan(files, { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs', after: ['schema'] } });
    expect(errors(chained)).toEqual([]);
    expect(chained.objects.find((o) => o.name === 'f')!.definedAt).toBe('delta/76/01_f.sql:1');
    expect(after(chained, stepOf(chained, 'schema/70_full.sql').id, stepOf(chained, 'delta/76/01_f.sql').id)).toBe(true);
    const loose = await plan(files, { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs' } });
    expect(loose.conflicts.map((c) => c.kind)).toContain('duplicate_create');
  });

  it('in a chain a table dropped and created again by a later version is its next version', async () => {
    const p = await plan(
      { 'schema/70_full.sql': 'CREATE TABLE device_lists (user_id text);\n', 'delta/78/01_rebuild.sql': 'DROP TABLE device_lists;\nCREATE TABLE device_lists (user_id text PRIMARY KEY);\n' },
      { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs', after: ['schema'] } },
      allow,
    );
    expect(errors(p)).toEqual([]);
    expect(p.objects.find((o) => o.name === 'device_lists')!.definedAt).toBe('delta/78/01_rebuild.sql:2');
  });

  it('an after: cycle or an unknown set is an error at its line', async () => {
    const { topologyFile } = makeProject({ 'a/1_a.sql': 'SELECT 1;', 'b/1_b.sql': 'SELECT 1;' }, pgTopology({
      sets: { a: { dir: 'a', after: ['b'] }, b: { dir: 'b', after: ['a', 'c'] } },
      services: { s: { stores: { postgres: 'main' }, sets: ['a', 'b'] } },
    }));
    const e = await planMigration(topologyFile, { env: {} }).catch((x: { diagnostics: { code: string; line?: number; hint?: string }[] }) => x);
    const codes = (e as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('topology.after_cycle');
    expect(codes).toContain('topology.unknown_set');
  });
});

describe('after: with a destructive first statement', () => {
  it('the set\'s first statement that destroys nothing still waits for the set it comes after', async () => {
    const p = await plan(
      { 'schema/70_full.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n', 'delta/71/01_drop.sql': 'DROP TABLE a;\n', 'delta/72/01_add.sql': 'CREATE TABLE c (id int);\n' },
      { schema: { dir: 'schema' }, delta: { dir: 'delta', versions: 'subdirs', after: ['schema'] } },
    );
    expect(errors(p)).toEqual([]);
    const add = stepOf(p, 'delta/72/01_add.sql');
    expect(stepOf(p, 'delta/71/01_drop.sql').destructive).toBe(true);
    expect(add.dependsOn).toContain(stepOf(p, 'schema/70_full.sql').id);
  });
});
