import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

/** A project whose topology is topologies/topoplan.yaml, its store's url from ${APP_PG_URL}. */
function project(url = '${APP_PG_URL}') {
  const { dir } = makeProject(
    { 'db/app/001_users.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\n', 'db/app/002_orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));\n' },
    {},
  );
  mkdirSync(join(dir, 'topologies'));
  const topology: Record<string, unknown> = { topoplan: 1, name: 'shop', root: '..', ...pgTopology({ sets: { app: { dir: 'db/app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['users', 'orders'] } } }) };
  (topology.stores as Record<string, Record<string, string>>).main!.url = url;
  writeFileSync(join(dir, 'topologies', 'topoplan.yaml'), stringify(topology));
  mkdirSync(join(dir, 'topologies', 'deep', 'er'), { recursive: true });
  return { dir, topologies: join(dir, 'topologies') };
}

describe('conventions: the topology file, .env and the data directory', () => {
  it('a command without FILE uses topoplan.yaml of the working directory or a parent', async () => {
    const { topologies } = project();
    const r = await cli(['validate'], { cwd: join(topologies, 'deep', 'er'), env: { APP_PG_URL: 'postgres://localhost/x' } });
    expect(r.err).toBe('');
    expect(r.out).toBe('../../topoplan.yaml: valid: 1 stores, 1 services, 1 migration sets, 2 files\n');
    expect(r.code).toBe(0);
    const plan = await cli(['plan', '--format', 'json'], { cwd: topologies, env: { APP_PG_URL: 'postgres://localhost/x' } });
    expect(plan.code, plan.err).toBe(0);
    expect((JSON.parse(plan.out) as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
  });

  it('no FILE and no topoplan.yaml above is a usage error that points at init', async () => {
    const { dir } = project();
    const r = await cli(['plan'], { cwd: join(dir, 'db') });
    // The temp directory's parents hold no topoplan.yaml on a clean machine; db/ holds none either.
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no topology file given, and no topoplan\.yaml or topoplan\.yml in ".*db" or a directory above it/);
    expect(r.err).toContain('hint: give the file');
  });

  it('${VAR} comes from .env next to the topology or in the working directory, never over the environment', async () => {
    const { dir, topologies } = project();
    const missing = await cli(['validate', 'topologies/topoplan.yaml'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('uses ${APP_PG_URL}, which is not set');

    writeFileSync(join(topologies, '.env'), 'APP_PG_URL=postgres://from-topology-dir/x\n');
    const url = async (env: Record<string, string> = {}) => (await cli(['url', 'topologies/topoplan.yaml', '--store', 'main'], { cwd: dir, env })).out;
    expect(await url()).toBe('postgres://from-topology-dir/main\n');
    writeFileSync(join(dir, '.env'), 'APP_PG_URL=postgres://from-cwd/x\n');
    expect(await url()).toBe('postgres://from-cwd/main\n');
    expect(await url({ APP_PG_URL: 'postgres://from-env/x' })).toBe('postgres://from-env/main\n');
  });

  it('status reads .topoplan/ next to the topology, not the working directory, and creates no database', async () => {
    const { dir, topologies } = project('${APP_PG_URL:-}');
    const r = await cli(['status', 'topologies/topoplan.yaml'], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`no embedded database in ${join(topologies, '.topoplan', 'postgres')} yet`);
    expect(existsSync(join(topologies, '.topoplan'))).toBe(false);
    expect(existsSync(join(dir, '.topoplan'))).toBe(false);
    const elsewhere = await cli(['verify', 'topologies/topoplan.yaml', '--data-dir', 'state'], { cwd: dir });
    expect(elsewhere.code, elsewhere.err).toBe(0);
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });
});
