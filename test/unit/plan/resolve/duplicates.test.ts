/**
 * Supersessions skip whole versions consistently (a set's own earlier version and its drop stay,
 * and the winner is created after that drop), a set can win (`by:` a set), and one set creating
 * an object twice is a conflict like a duplicate between sets.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const plan = async (files: Record<string, string>, topology: Record<string, unknown>): Promise<Plan> =>
  planMigration(makeProject(files, pgTopology(topology)).topologyFile, { allowErrors: true, env: {} });
const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error');
const dependsOnTransitively = (p: Plan, later: string, earlier: string) => {
  const seen = new Set<string>();
  const stack = [later];
  while (stack.length) {
    const id = stack.pop();
    for (const d of p.steps.find((s) => s.id === id)!.dependsOn) if (!seen.has(d)) (seen.add(d), stack.push(d));
  }
  return seen.has(earlier);
};

describe('supersession of an object a legacy set drops and re-creates', () => {
  const files = {
    'legacy/003_likes.sql': 'CREATE TABLE likes (post_id bigint, user_id bigint);\nCREATE INDEX likes_post ON likes (post_id);',
    'legacy/050_rebuild_likes.sql': 'DROP TABLE likes CASCADE;',
    'legacy/051_likes_v2.sql': 'CREATE TABLE likes (post_id bigint NOT NULL, user_id bigint NOT NULL, PRIMARY KEY (post_id, user_id));\nCOMMENT ON TABLE likes IS \'v2\';\nANALYZE likes;',
    'social/001_likes.sql': 'CREATE TABLE likes (post_id bigint NOT NULL, user_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (post_id, user_id));',
  };
  const topology = {
    sets: { legacy: { dir: 'legacy', shared: true }, social: { dir: 'social' } },
    services: { 'social-service': { stores: { postgres: 'main' }, sets: ['social'] } },
    supersessions: [{ objects: ['likes'], by: 'social-service', sets: ['legacy'] }],
  };

  it("keeps the set's own dropped version with its drop, skips the later version with what acts on it, and orders the winner after the drop", async () => {
    const p = await plan(files, topology);
    expect(errors(p)).toEqual([]);
    const skipped = p.skipped.map((s) => `${s.file}#${(s.statement ?? -1) + 1}`);
    expect(skipped).toEqual(['legacy/051_likes_v2.sql#1', 'legacy/051_likes_v2.sql#2', 'legacy/051_likes_v2.sql#3']);
    const drop = p.steps.find((s) => s.source?.file === 'legacy/050_rebuild_likes.sql')!;
    const oldCreate = p.steps.find((s) => s.source?.file === 'legacy/003_likes.sql')!;
    const winner = p.steps.find((s) => s.source?.file === 'social/001_likes.sql')!;
    expect(dependsOnTransitively(p, drop.id, oldCreate.id)).toBe(true);
    expect(dependsOnTransitively(p, winner.id, drop.id)).toBe(true);
    const kept = p.conflicts.find((c) => c.message.includes('legacy/003_likes.sql:1'))!;
    expect(kept.resolution).toContain('the old definition stays until "legacy/050_rebuild_likes.sql:1" drops it, and the new one is created after that drop');
  });
});

describe("a kept superseded table's column sequence", () => {
  it("ends with its table's drop, as the table does: no error, and the winner's table is created after the drop", async () => {
    const p = await plan({
      'legacy/001_entries.sql': 'CREATE TABLE entries (id serial PRIMARY KEY, body text);',
      'legacy/050_retire.sql': 'DROP TABLE entries;',
      'app/001_entries.sql': 'CREATE TABLE entries (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);',
    }, {
      sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, app: { dir: 'app' } },
      services: { app: { stores: { postgres: 'main' }, sets: ['app'] } },
      supersessions: [{ objects: ['entries'], by: 'app', sets: ['legacy'] }],
    });
    expect(errors(p)).toEqual([]);
    const seq = p.conflicts.find((c) => c.object === 'sequence entries_id_seq')!;
    expect(seq.resolution).toContain('the old definition stays until "legacy/050_retire.sql:1" drops it');
    expect(dependsOnTransitively(p, 'main:app/001_entries.sql#1', 'main:legacy/050_retire.sql#1')).toBe(true);
  });
});

describe('by: a set', () => {
  const files = {
    'legacy/001_base.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE posts (id bigserial PRIMARY KEY, user_id bigint REFERENCES users (id));',
    'profile/001_outdated_copy.sql': 'CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text);\nCREATE TABLE profiles (user_id bigint PRIMARY KEY REFERENCES users (id));',
  };
  const topology = (supersessions: unknown[]) => ({
    sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, profile: { dir: 'profile' } },
    services: { 'profile-service': { stores: { postgres: 'main' }, sets: ['profile'] } },
    supersessions,
  });

  it("the unresolved conflict's hint names the legacy set as the winner of its base table", async () => {
    const p = await plan(files, topology([]));
    const c = p.conflicts.find((x) => x.kind === 'duplicate_create')!;
    expect(c.severity).toBe('error');
    expect(c.hint).toBe('supersessions:\n  - objects: [users]\n    by: legacy\n    sets: [profile]\n    reason: "..."');
  });

  it("a set wins: the service's outdated copy is skipped", async () => {
    const p = await plan(files, topology([{ objects: ['users'], by: 'legacy', sets: ['profile'] }]));
    expect(errors(p)).toEqual([]);
    expect(p.skipped.map((s) => `${s.file}#${(s.statement ?? -1) + 1}`)).toEqual(['profile/001_outdated_copy.sql#1']);
    expect(p.conflicts.find((x) => x.kind === 'duplicate_create')!.resolution).toMatch(/^superseded by "legacy"/);
  });

  it('a name that is neither a service nor a set is a topology error', async () => {
    const p = await plan(files, topology([{ objects: ['users'], by: 'legacyy', sets: ['profile'] }])).catch((e) => e.plan ?? e);
    expect(p.diagnostics.map((d: { message: string }) => d.message)).toContain('topology: a supersession names "legacyy", which is neither a service nor a set');
  });
});

describe('one set creating an object twice', () => {
  const topology = { sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } };

  it('IF NOT EXISTS with another shape is an error: the first shape stays live, and the model keeps it', async () => {
    const p = await plan({ 'app/001.sql': 'CREATE TABLE events (id bigint PRIMARY KEY, kind text);', 'app/007.sql': 'CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, kind text NOT NULL, payload jsonb);' }, topology);
    const c = p.conflicts.find((x) => x.kind === 'duplicate_create')!;
    expect(c.severity).toBe('error');
    expect(c.message).toContain('table events is created twice in set "app", at "app/001.sql:1" and "app/007.sql:1", with no drop in between; the definitions differ');
    expect(c.message).toContain('the second is a silent no-op and the definition at "app/001.sql:1" stays live');
    expect(c.hint).toContain('statements: "1"');
    expect(p.objects.find((o) => o.name === 'events')!.definedAt).toBe('app/001.sql:1');
  });

  it('the same definition again with IF NOT EXISTS is a no-op, noted; a plain second CREATE fails at apply', async () => {
    const same = await plan({ 'app/001.sql': 'CREATE TABLE events (id bigint PRIMARY KEY);', 'app/002.sql': 'create table if not exists EVENTS (id int8 primary key);' }, topology);
    expect(errors(same)).toEqual([]);
    expect(same.conflicts.find((x) => x.kind === 'duplicate_create')).toMatchObject({ severity: 'info', resolution: 'the same definition again with IF NOT EXISTS: the second is a no-op' });
    const plain = await plan({ 'app/001.sql': 'CREATE TABLE events (id bigint PRIMARY KEY);', 'app/002.sql': 'CREATE TABLE events (id bigint PRIMARY KEY);' }, topology);
    expect(plain.conflicts.find((x) => x.kind === 'duplicate_create')!.message).toContain('the second fails at apply (the object exists already)');
  });

  it('a drop in between, or CREATE OR REPLACE, is a new version, not a duplicate', async () => {
    const p = await plan(
      {
        'app/001.sql': "CREATE TABLE events (id bigint);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
        'app/002.sql': "DROP TABLE events;\nCREATE TABLE events (id bigint PRIMARY KEY);\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';",
      },
      topology,
    );
    expect(p.conflicts.filter((x) => x.kind === 'duplicate_create')).toEqual([]);
  });
});

describe('function overloads', () => {
  it('are two functions, not one created twice; the same signature twice still is', async () => {
    const p = await plan(
      {
        'app/001_norm.sql': 'CREATE FUNCTION norm(v text) RETURNS text LANGUAGE sql AS $$ SELECT lower(v) $$;\nCREATE FUNCTION norm(v integer) RETURNS text LANGUAGE sql AS $$ SELECT v::text $$;\n',
        'app/002_again.sql': 'CREATE FUNCTION norm(w text) RETURNS text LANGUAGE sql AS $$ SELECT upper(w) $$;\n',
      },
      pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } }),
    );
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringMatching(/^plan: function norm is created twice in set "app", at "app\/001_norm.sql:1" and "app\/002_again.sql:1", with no drop in between/),
    ]);
  });
});

describe('a shared object several sets create the same way', () => {
  const twoSets = { sets: { a: { dir: 'a' }, b: { dir: 'b' } }, services: { a: { stores: { postgres: 'main' }, sets: ['a'] }, b: { stores: { postgres: 'main' }, sets: ['b'] } } };

  it('a plain copy, which would fail once the object exists, is skipped; IF NOT EXISTS and OR REPLACE copies run', async () => {
    const p = await plan({
      'a/001.sql': 'CREATE SCHEMA app;\nCREATE EXTENSION pgcrypto;\nCREATE EXTENSION IF NOT EXISTS citext;\n',
      'b/001.sql': 'CREATE SCHEMA app;\nCREATE EXTENSION pgcrypto;\nCREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE app.t (id int);\n',
    }, twoSets);
    expect(errors(p)).toEqual([]);
    expect(p.skipped.map((s) => [s.file, s.line, s.reason])).toEqual([
      ['b/001.sql', 1, 'shared schema app is made by "a/001.sql:1" with the same definition: run again without IF NOT EXISTS, this copy would fail'],
      ['b/001.sql', 2, 'shared extension pgcrypto is made by "a/001.sql:2" with the same definition: run again without IF NOT EXISTS, this copy would fail'],
    ]);
    expect(p.conflicts.filter((c) => c.kind === 'duplicate_create').map((c) => c.resolution)).toEqual([
      'shared object with identical definitions: both run, the second is a no-op',
      'shared object with identical definitions: "a/001.sql:2" makes it, and the copy at "b/001.sql:2" (no IF NOT EXISTS, so it would fail) is skipped',
      'shared object with identical definitions: "a/001.sql:1" makes it, and the copy at "b/001.sql:1" (no IF NOT EXISTS, so it would fail) is skipped',
    ]);
  });
});
