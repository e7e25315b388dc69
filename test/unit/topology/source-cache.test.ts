import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/topology/index.js';
import { readCachedSource } from '../../../src/topology/source-cache.js';

const TOPOLOGY = `topoplan: 1
name: kept
stores:
  main: { engine: postgres, database: main }
sets:
  app: { dir: app }
services:
  app: { stores: { postgres: main }, sets: [app], owns: [accounts] }
`;

function project(text = TOPOLOGY): { dir: string; file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'topoplan-source-cache-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', '001_accounts.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n');
  writeFileSync(join(dir, 't.yaml'), text);
  return { dir, file: join(dir, 't.yaml'), cache: join(dir, 'cache') };
}

const entries = (cache: string) => {
  try {
    return readdirSync(cache).filter((n) => n.startsWith('topology-'));
  } catch {
    return [];
  }
};

describe('a topology file read from the cache', () => {
  it('gives the same topology and diagnostics as a fresh reading, and is what is used', async () => {
    const { file, cache } = project();
    const fresh = await loadTopology(file, { env: {} });
    const first = await loadTopology(file, { env: {}, cacheDir: cache });
    expect(entries(cache)).toHaveLength(1);
    const second = await loadTopology(file, { env: {}, cacheDir: cache });
    expect(first).toEqual(fresh);
    expect(second).toEqual(fresh);
    // The kept values are what the next reading uses: changed in the entry, they show in the topology.
    const entryFile = join(cache, entries(cache)[0]!);
    const entry = JSON.parse(readFileSync(entryFile, 'utf8')) as { value: { name: string } };
    entry.value.name = 'from-the-cache';
    writeFileSync(entryFile, JSON.stringify(entry));
    expect((await loadTopology(file, { env: {}, cacheDir: cache })).topology?.name).toBe('from-the-cache');
  });

  it('reports the places of schema errors found in a fresh reading, and keeps nothing of a file with errors', async () => {
    const { file, cache } = project(TOPOLOGY.replace('database: main', 'databse: main'));
    const fresh = await loadTopology(file, { env: {} });
    expect(fresh.diagnostics.some((d) => d.severity === 'error' && d.line === 4)).toBe(true);
    expect(await loadTopology(file, { env: {}, cacheDir: cache })).toEqual(fresh);
    expect(entries(cache)).toHaveLength(0);
  });

  it('reads the file afresh when its text or the name it is shown by changes, or the entry is damaged', async () => {
    const { file, cache } = project();
    await loadTopology(file, { env: {}, cacheDir: cache });
    const text = readFileSync(file, 'utf8');
    expect(readCachedSource(cache, file, file, text)).toBeDefined();
    expect(readCachedSource(cache, file, file, `${text}# edited\n`)).toBeUndefined();
    expect(readCachedSource(cache, file, 't.yaml', text)).toBeUndefined();
    writeFileSync(file, TOPOLOGY.replace('name: kept', 'name: edited'));
    expect((await loadTopology(file, { env: {}, cacheDir: cache })).topology?.name).toBe('edited');
    expect(entries(cache)).toHaveLength(1);
    writeFileSync(join(cache, entries(cache)[0]!), '{"key": "damaged');
    const again = await loadTopology(file, { env: {}, cacheDir: cache });
    expect(again.topology?.name).toBe('edited');
    expect(readCachedSource(cache, file, file, readFileSync(file, 'utf8'))).toBeDefined();
  });

  it('keeps no value that JSON would not give back as it was', async () => {
    const { file, cache } = project(`${TOPOLOGY}x-limit: .inf\n`);
    const fresh = await loadTopology(file, { env: {} });
    await loadTopology(file, { env: {}, cacheDir: cache });
    expect(entries(cache)).toHaveLength(0);
    expect(await loadTopology(file, { env: {}, cacheDir: cache })).toEqual(fresh);
  });

  it('keeps each file of an extends chain by itself', async () => {
    const { dir, cache } = project();
    writeFileSync(join(dir, 'child.yaml'), 'topoplan: 1\nextends: t.yaml\nname: child\n');
    const fresh = await loadTopology(join(dir, 'child.yaml'), { env: {} });
    expect(fresh.topology?.name).toBe('child');
    await loadTopology(join(dir, 'child.yaml'), { env: {}, cacheDir: cache });
    expect(entries(cache)).toHaveLength(2);
    expect(await loadTopology(join(dir, 'child.yaml'), { env: {}, cacheDir: cache })).toEqual(fresh);
  });
});
