/**
 * Shared objects: a set's DROP of a shared function that other sets still use in that store is a
 * plan-time conflict, and that drop never makes another set's own copy wait for it.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const touch = (body = 'NEW.updated_at = now(); RETURN NEW;') => `CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} END $$;`;
const files = {
  'legacy/001_touch.sql': touch(),
  'legacy/090_cleanup.sql': 'DROP FUNCTION IF EXISTS touch();',
  'orders/001_orders.sql': `${touch()}\nCREATE TABLE orders (id bigint PRIMARY KEY, updated_at timestamptz);\nCREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();`,
};
const topology = (extra: Record<string, unknown> = {}) =>
  pgTopology({
    sets: { legacy: { dir: 'legacy', shared: true, stores: { postgres: 'main' } }, orders: { dir: 'orders' } },
    services: { 'order-service': { stores: { postgres: 'main' }, sets: ['orders'] } },
    shared: ['function:touch'],
    ...extra,
  });

describe('drops of shared objects', () => {
  it('is a conflict naming the drop and the statements that still use the object', async () => {
    const p = await planMigration(makeProject(files, topology()).topologyFile, { allowErrors: true, env: {} });
    const c = p.conflicts.find((x) => x.kind === 'shared_drop')!;
    expect(c).toMatchObject({ severity: 'error', object: 'function touch' });
    expect(c.message).toBe('plan: "legacy/090_cleanup.sql:1" drops shared function touch in store "main", which "orders/001_orders.sql:3" (set "orders") still uses there');
    expect(c.hint).toContain('file: 090_cleanup.sql');
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['plan.shared_drop']);
  });

  it("never orders another set's own copy after the drop", async () => {
    const p = await planMigration(makeProject(files, topology({ accept: [{ conflict: 'shared_drop', object: 'touch', reason: 'orders moves to its own database next release' }] })).topologyFile, { allowErrors: true, env: {} });
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const drop = p.steps.find((s) => s.source?.file === 'legacy/090_cleanup.sql')!;
    const copy = p.steps.find((s) => s.source?.file === 'orders/001_orders.sql')!;
    expect(copy.dependsOn).not.toContain(drop.id);
    expect(p.edges.some((e) => e.from === drop.id && e.to === copy.id)).toBe(false);
  });

  it('a drop nobody else depends on is no conflict', async () => {
    const p = await planMigration(makeProject({ 'legacy/001_touch.sql': touch(), 'legacy/090_cleanup.sql': 'DROP FUNCTION IF EXISTS touch();', 'orders/001_orders.sql': 'CREATE TABLE orders (id bigint);' }, topology()).topologyFile, { allowErrors: true, env: {} });
    expect(p.conflicts.filter((x) => x.kind === 'shared_drop')).toEqual([]);
  });
});
