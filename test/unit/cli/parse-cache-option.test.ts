/**
 * Every command that plans uses the parse cache in the data directory (and
 * --no-cache), and plans the same from it as without it; a read-only command
 * uses it only in a data directory that is there already.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCacheDir } from '../../../src/cli/parse-cache-option.js';
import { cli } from '../../helpers/cli.js';
import type { CliContext } from '../../../src/cli/cli-context.js';
import type { Topology } from '../../../src/topology/model.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const nova = join(repo, 'topologies', 'nova-plan-a.yaml');
const temp = () => mkdtempSync(join(tmpdir(), 'topoplan-cache-option-'));

describe('the parse cache of the commands that plan', () => {
  it('apply --dry-run plans the same from a warm cache as from none, and --no-cache leaves none', async () => {
    const dataDir = temp();
    const args = ['apply', nova, '--dry-run', '--json', '--data-dir', dataDir];
    const cold = await cli([...args, '--no-cache']);
    expect(cold.code, cold.err).toBe(0);
    expect(existsSync(join(dataDir, 'cache'))).toBe(false);
    const filling = await cli(args);
    expect(readdirSync(join(dataDir, 'cache'))).toHaveLength(1);
    const warm = await cli(args);
    expect(filling.out).toBe(cold.out);
    expect(warm.out).toBe(cold.out);
    expect(JSON.parse(warm.out).steps.length).toBeGreaterThan(10);
  }, 60_000);

  it('status plans the same from a warm cache, and creates no data directory to keep one', async () => {
    const dataDir = temp();
    const args = ['status', nova, '--json', '--data-dir', dataDir];
    const cold = await cli([...args, '--no-cache']);
    expect(cold.code, cold.err).toBe(0);
    await cli(args);
    expect(readdirSync(join(dataDir, 'cache'))).toHaveLength(1);
    const warm = await cli(args);
    expect(warm.out).toBe(cold.out);
    expect(JSON.parse(warm.out).stores.some((s: { pending: string[] }) => s.pending.length > 0)).toBe(true);
    const absent = join(temp(), 'not-there');
    expect((await cli(['status', nova, '--json', '--data-dir', absent])).out).toBe(cold.out.replaceAll(dataDir, absent));
    expect(existsSync(absent)).toBe(false);
  }, 60_000);

  it('is cache/ in the data directory, --cache-dir from the working directory, or none', () => {
    const ctx = { cwd: '/work' } as CliContext;
    const topology = { file: '/repo/topologies/a.yaml' } as Topology;
    expect(parseCacheDir(ctx, topology, {})).toBe('/repo/topologies/.topoplan/cache');
    expect(parseCacheDir(ctx, topology, { dataDir: 'data' })).toBe('/work/data/cache');
    expect(parseCacheDir(ctx, topology, { cacheDir: 'c', readOnly: true })).toBe('/work/c');
    expect(parseCacheDir(ctx, topology, { readOnly: true })).toBeUndefined();
    expect(parseCacheDir(ctx, topology, { cache: false, cacheDir: 'c' })).toBeUndefined();
  });
});
