/**
 * `topoplan check` names its two caches as the other commands do: `--cache-dir`
 * is the parse cache (as on plan, default cache/ in the data directory) and
 * `--cluster-cache-dir` the initialised scratch PostgreSQL cluster.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';
import { removeProject } from '../../helpers/remove-project.js';

describe('check --cache-dir and --cluster-cache-dir', () => {
  const projects: string[] = [];
  afterAll(async () => {
    for (const dir of projects) await removeProject(dir);
  });

  it('keep the parse cache and the scratch cluster where they are told, and nothing in the data directory', async () => {
    const { dir, topologyFile } = makeProject(
      { 'app/001_t.sql': 'CREATE TABLE t (id int PRIMARY KEY);\n' },
      pgTopology({ sets: { app: { dir: 'app' } }, services: { api: { stores: { postgres: 'main' }, sets: ['app'] } } }),
    );
    projects.push(dir);
    const r = await cli(['check', topologyFile, '--no-schema', '--cache-dir', 'parses', '--cluster-cache-dir', 'cluster', '--format', 'json'], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { ok: boolean }).ok).toBe(true);
    expect(readdirSync(join(dir, 'parses')).some((f) => f.endsWith('.jsonl'))).toBe(true);
    expect(readdirSync(join(dir, 'cluster')).length).toBeGreaterThan(0);
    expect(existsSync(join(dir, '.topoplan', 'cache'))).toBe(false);
  }, 180_000);
});
