/** `topoplan plan` keeps its parse cache in the data directory, or in --cache-dir, or nowhere with --no-cache. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

/** What a plan keeps in a cache directory: the pack of its files' readings and the reading of its topology file. */
const kept = (dir: string) => readdirSync(dir).map((n) => n.replace(/-[0-9a-f]{16}\./, '-ID.')).sort();
const KEPT = ['parse-ID.jsonl', 'topology-ID.json'];

function project() {
  return makeProject({ 'app/001_t.sql': 'CREATE TABLE t (id int);\n' }, pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } }));
}

describe('plan and its parse cache', () => {
  it('fills .topoplan/cache/ next to the topology, and gives the same plan from it', async () => {
    const { dir, topologyFile } = project();
    const first = await cli(['plan', topologyFile, '--json']);
    expect(kept(join(dir, '.topoplan', 'cache'))).toEqual(KEPT);
    const second = await cli(['plan', topologyFile, '--json']);
    expect(second.code).toBe(0);
    expect(second.out).toBe(first.out);
  });

  it('uses --cache-dir (from the working directory) or --data-dir, and nothing with --no-cache', async () => {
    const { dir, topologyFile } = project();
    await cli(['plan', topologyFile, '--no-cache']);
    expect(existsSync(join(dir, '.topoplan'))).toBe(false);
    await cli(['plan', topologyFile, '--cache-dir', 'elsewhere'], { cwd: dir });
    expect(kept(join(dir, 'elsewhere'))).toEqual(KEPT);
    await cli(['plan', topologyFile, '--data-dir', 'data'], { cwd: dir });
    expect(kept(join(dir, 'data', 'cache'))).toEqual(KEPT);
    expect(existsSync(join(dir, '.topoplan'))).toBe(false);
  });
});

describe('plan --timings', () => {
  it('writes each stage to stderr and leaves the output as it is', async () => {
    const { topologyFile } = project();
    const plain = await cli(['plan', topologyFile, '--json', '--no-cache']);
    const timed = await cli(['plan', topologyFile, '--json', '--no-cache', '--timings']);
    expect(timed.code).toBe(0);
    expect(timed.out).toBe(plain.out);
    expect(plain.err).not.toContain('timings:');
    const lines = timed.err.split('\n').filter(Boolean);
    const at = lines.indexOf('timings:');
    expect(at).toBeGreaterThanOrEqual(0);
    const stages = lines.slice(at + 1).map((l) => l.trim().split(/\s+/)[0]);
    expect(stages).toEqual(['topology', 'read', 'route', 'duplicates', 'versions', 'references', 'objects', 'graph', 'columns', 'steps', 'reverts', 'finish', 'output', 'total']);
    expect(lines.find((l) => l.trim().startsWith('read'))).toMatch(/^ {2}read +\d+\.\d\d s +\d+% +heap +\d+ MB {2}1 file, 1 statement$/);
    expect(lines.at(-2)).toMatch(/^ {2}output .* {2}json$/);
  });
});
