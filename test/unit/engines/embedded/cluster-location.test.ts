import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canEnter, clusterLocation, hasCluster } from '../../../../src/engines/embedded/cluster-location.js';
import { serverUser } from '../../../../src/engines/embedded/server-user.js';

const asRoot = process.getuid?.() === 0;

describe('clusterLocation', () => {
  it('keeps the cluster in the requested directory when the server runs as this user', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'topoplan-where-'));
    expect(await clusterLocation(join(parent, 'postgres'), {})).toEqual({ dir: join(parent, 'postgres') });
  });

  it('reads a pointer it wrote, and refuses a garbled one naming the file', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'topoplan-where-'));
    const requested = join(parent, 'postgres');
    mkdirSync(requested);
    writeFileSync(join(requested, 'topoplan-cluster.json'), '{"cluster": "/srv/pg-elsewhere"}\n');
    expect(await clusterLocation(requested, {})).toEqual({ dir: '/srv/pg-elsewhere' });
    writeFileSync(join(requested, 'topoplan-cluster.json'), '{"cluster": "relative/dir"}');
    await expect(clusterLocation(requested, {})).rejects.toThrow(`engine: ${join(requested, 'topoplan-cluster.json')}:1: not a cluster pointer`);
  });

  it.skipIf(!asRoot)('as root under a mode-700 parent: moves the cluster to a home the server user can enter, and says why', async () => {
    const user = await serverUser();
    const parent = mkdtempSync(join(tmpdir(), 'topoplan-where-'));
    chmodSync(parent, 0o700);
    const home = join(mkdtempSync(join(tmpdir(), 'topoplan-home-')), 'clusters');
    chmodSync(join(home, '..'), 0o755);
    const requested = join(parent, 'postgres');
    mkdirSync(requested);
    expect(await canEnter(parent, user)).toBe(false);
    const where = await clusterLocation(requested, user, home);
    expect(where.dir).toMatch(new RegExp(`^${home}/postgres-[0-9a-f]{16}$`));
    expect(where.note).toBe(`the OS user that runs embedded PostgreSQL cannot enter ${parent}, so its cluster is kept in ${where.dir} (named in ${join(requested, 'topoplan-cluster.json')}); no permissions were changed`);
    expect(await canEnter(home, user)).toBe(true);
    expect(JSON.parse(readFileSync(join(requested, 'topoplan-cluster.json'), 'utf8'))).toMatchObject({ cluster: where.dir });
    // The next run follows the pointer without a word.
    expect(await clusterLocation(requested, user, home)).toEqual({ dir: where.dir });
  });

  it.skipIf(!asRoot)('as root with a parent the server user can enter: the cluster stays put', async () => {
    const user = await serverUser();
    const parent = mkdtempSync(join(tmpdir(), 'topoplan-where-'));
    chmodSync(parent, 0o755);
    expect(await clusterLocation(join(parent, 'postgres'), user, join(parent, 'never'))).toEqual({ dir: join(parent, 'postgres') });
  });

  it('hasCluster finds a cluster in the directory or where its pointer leads, and creates nothing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'topoplan-where-'));
    const requested = join(parent, 'postgres');
    expect(await hasCluster(requested)).toBe(false);
    mkdirSync(requested);
    const elsewhere = join(parent, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(requested, 'topoplan-cluster.json'), JSON.stringify({ cluster: elsewhere }));
    expect(await hasCluster(requested), 'the pointer leads to no cluster yet').toBe(false);
    writeFileSync(join(elsewhere, 'PG_VERSION'), '18\n');
    expect(await hasCluster(requested), 'the cluster the pointer names').toBe(true);
    const plain = join(parent, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'PG_VERSION'), '18\n');
    expect(await hasCluster(plain)).toBe(true);
  });
});
