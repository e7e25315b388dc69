import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

const files = {
  'shop/migrations/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
  'legacy/sql/001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n',
};

describe('topoplan init', () => {
  it('says how many conflicts it resolved because the definitions are identical, and the plan then has no errors', async () => {
    const { dir } = makeProject({ 'shop/migrations/001_orders.sql': files['shop/migrations/001_orders.sql'], 'legacy/sql/001_orders.sql': files['shop/migrations/001_orders.sql'] }, {});
    const r = await cli(['init'], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('init: wrote topoplan.yaml from 2 migration directories: 1 store, 2 sets, 1 service; 1 conflict of identical definitions resolved in it; its plan has no errors\n');
    const plan = await cli(['plan', '--format', 'json'], { cwd: dir });
    expect(plan.code, plan.err).toBe(0);
    expect((JSON.parse(plan.out) as { conflicts: { resolution?: string }[] }).conflicts.map((c) => c.resolution)).toEqual([expect.stringContaining('superseded by "shop"') as string]);
  });

  it('writes topoplan.yaml, says what it found, and the next command plans it', async () => {
    const { dir } = makeProject(files, {});
    const r = await cli(['init'], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toBe('init: wrote topoplan.yaml from 2 migration directories: 1 store, 2 sets, 1 service; its plan has 1 error, each with its resolution commented out at the end of the file: review them, then run topoplan plan topoplan.yaml\n');
    const text = readFileSync(join(dir, 'topoplan.yaml'), 'utf8');
    expect(text).toContain('#   - { objects: [orders], by: shop, sets: [legacy], reason: "..." }');
    expect((await cli(['validate'], { cwd: dir })).code).toBe(0);
  });

  it('refuses to overwrite without --force (exit 1, the file unchanged); --force overwrites', async () => {
    const { dir } = makeProject(files, {});
    writeFileSync(join(dir, 'topoplan.yaml'), 'mine\n');
    const refused = await cli(['init', dir]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${join(dir, 'topoplan.yaml')}: error: init: "${join(dir, 'topoplan.yaml')}" exists already`);
    expect(refused.err).toContain('hint: run again with --force');
    expect(readFileSync(join(dir, 'topoplan.yaml'), 'utf8')).toBe('mine\n');
    expect((await cli(['init', dir, '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'topoplan.yaml'), 'utf8')).toContain('topoplan: 1');
  });

  it('--dry-run prints the draft and writes nothing; --out writes elsewhere; --json prints the envelope', async () => {
    const { dir } = makeProject(files, {});
    const dry = await cli(['init', dir, '--dry-run']);
    expect(dry.out).toContain('topoplan: 1\nname: ');
    expect(dry.err).toBe('init: draft from 2 migration directories: 1 store, 2 sets, 1 service; its plan has 1 error, each with its resolution commented out at the end of the file\n');
    expect(existsSync(join(dir, 'topoplan.yaml'))).toBe(false);
    const json = await cli(['init', '--out', 'draft.yaml', '--json'], { cwd: dir });
    const doc = JSON.parse(json.out) as Record<string, unknown>;
    expect(doc).toMatchObject({ format: 'topoplan-init/1', ok: true, file: 'draft.yaml', written: true, directories: ['legacy/sql', 'shop/migrations'], stores: 1, sets: 2, services: 1, conflicts: 1, settled: 0, diagnostics: [] });
    expect(existsSync(join(dir, 'draft.yaml'))).toBe(true);
  });

  it('a directory with no migrations: exit 1 and the envelope says why', async () => {
    const { dir } = makeProject({ 'README.md': 'x\n' }, {});
    const r = await cli(['init', dir, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, diagnostics: [{ code: 'init.no_migrations' }] });
  });
});
