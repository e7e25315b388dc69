/**
 * The parse cache must never change a plan: plans of the Nova example and of
 * the benchmark's generated system (with a file that does not parse, non-ASCII
 * text, a byte order mark and a templated file) are compared byte for byte
 * without a cache, filling it and reading it; then one file changes, and then
 * many. The pack grows by appended entries until those no file uses are more
 * than a fifth of it, then keeps only entries some file uses; it survives
 * damage and a second writer.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSystem } from '../../../bench/generate.js';
import { planMigration, type PlanOptions } from '../../../src/plan/plan-migration.js';
import { ParseCache } from '../../../src/sql/parse-cache.js';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { parseSource } from '../../../src/sql/parse-source.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const temp = (name: string) => mkdtempSync(join(tmpdir(), `topoplan-cache-${name}-`));
const plan = async (file: string, options: PlanOptions = {}) => JSON.stringify(await planMigration(file, { allowErrors: true, parseWorkers: 0, ...options }));
const pack = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => join(dir, f));
const entries = (dir: string) => readFileSync(pack(dir)[0]!, 'utf8').trim().split('\n').length - 1;

/** The generated system, with files that test every way an entry is stored. */
function system(): { dir: string; topologyFile: string; files: string[] } {
  const dir = temp('system');
  const sys = generateSystem(dir, 12, 4);
  const set = join(dir, 'services', 'svc-0003', 'migrations');
  writeFileSync(join(set, '900_broken.sql'), 'CREATE TABLE broken (id int,);\n');
  writeFileSync(join(set, '901_accents.sql'), "CREATE TABLE notes (id int);\nCOMMENT ON TABLE notes IS 'café ✓';\n");
  writeFileSync(join(set, '902_bom.sql'), '\uFEFFCREATE TABLE marked (id int);\n');
  writeFileSync(join(set, '903_empty.sql'), '-- nothing yet\n');
  return { ...sys, dir, files: [...sys.files, '900_broken.sql', '901_accents.sql', '902_bom.sql', '903_empty.sql'].map((f) => (f.includes('/') ? f : join(set, f))) };
}

describe('the parse cache', () => {
  it('gives the Nova plans byte for byte, filling it and reading it', async () => {
    const cacheDir = temp('nova');
    for (const file of ['a', 'b'].map((p) => join(repo, 'topologies', `nova-plan-${p}.yaml`))) {
      const cold = await plan(file);
      expect(await plan(file, { cacheDir })).toBe(cold);
      expect(await plan(file, { cacheDir })).toBe(cold);
    }
    // One pack per topology: plans of the two never prune each other's entries.
    expect(pack(cacheDir)).toHaveLength(2);
  }, 60_000);

  it('writes an entry longer than the buffer new lines are gathered in whole, between shorter ones', async () => {
    const { topologyFile, files } = system();
    const tables = Array.from({ length: 2000 }, (_, i) => `CREATE TABLE wide_${i} (id bigserial PRIMARY KEY, note text NOT NULL DEFAULT 'é');\n`);
    writeFileSync(files[0]!, tables.join(''));
    const cacheDir = temp('long');
    const cold = await plan(topologyFile);
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
    const lines = readFileSync(pack(cacheDir)[0]!, 'utf8').split('\n');
    expect(Math.max(...lines.map((l) => Buffer.byteLength(l)))).toBeGreaterThan(1 << 20);
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
  }, 60_000);

  it('gives the generated system byte for byte, with a file that does not parse, and then one file changed', async () => {
    const { topologyFile, files } = system();
    const cacheDir = temp('generated');
    const cold = await plan(topologyFile);
    expect(cold).toContain('cannot parse \\"services/svc-0003/migrations/900_broken.sql\\"');
    expect(cold).toContain('café ✓');
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
    const before = readFileSync(pack(cacheDir)[0]!);
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
    // Nothing changed, nothing written.
    expect(readFileSync(pack(cacheDir)[0]!).equals(before)).toBe(true);
    expect(before.toString()).toContain('"sliced":true');

    appendFileSync(files[5]!, 'CREATE TABLE added_later (id int);\n');
    const changed = await plan(topologyFile);
    expect(changed).not.toBe(cold);
    expect(await plan(topologyFile, { cacheDir })).toBe(changed);
    // The changed file's entry is appended: the pack before it is left as it was.
    const appended = readFileSync(pack(cacheDir)[0]!);
    expect(appended.subarray(0, before.length).equals(before)).toBe(true);
    expect(entries(cacheDir)).toBe(files.length + 1);
    expect(await plan(topologyFile, { cacheDir })).toBe(changed);
    expect(readFileSync(pack(cacheDir)[0]!).equals(appended)).toBe(true);

    // Once entries no file uses are more than a fifth of the pack, it is written anew without them.
    for (const f of files.slice(0, Math.ceil(files.length / 4))) appendFileSync(f, 'CREATE TABLE added_again (id int);\n');
    const rewritten = await plan(topologyFile);
    expect(await plan(topologyFile, { cacheDir })).toBe(rewritten);
    expect(entries(cacheDir)).toBe(files.length);
    expect(await plan(topologyFile, { cacheDir })).toBe(rewritten);

    // A file removed leaves its entry until pruning: the pack is not written, only marked as in use.
    rmSync(files[1]!);
    const fewer = await plan(topologyFile);
    const kept = readFileSync(pack(cacheDir)[0]!);
    utimesSync(pack(cacheDir)[0]!, new Date(0), new Date(0));
    expect(await plan(topologyFile, { cacheDir })).toBe(fewer);
    expect(readFileSync(pack(cacheDir)[0]!).equals(kept)).toBe(true);
    expect(statSync(pack(cacheDir)[0]!).mtimeMs).toBeGreaterThan(0);
  }, 60_000);

  it('parses again what it cannot read: a damaged pack, an unfinished line, another analyser version', async () => {
    const { topologyFile } = system();
    const cacheDir = temp('damaged');
    const cold = await plan(topologyFile);
    await plan(topologyFile, { cacheDir });
    const [file] = pack(cacheDir);
    const lines = readFileSync(file!, 'utf8').split('\n');
    // A line cut short, a line that is not JSON, and a final line with no newline.
    lines[1] = lines[1]!.slice(0, 80);
    lines[2] = `${lines[2]!.slice(0, 65)}{not json`;
    writeFileSync(file!, `${lines.join('\n')}${lines[3]!.slice(0, 100)}`);
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
    writeFileSync(file!, readFileSync(file!, 'utf8').replace(/^(\S+) \S+/, '$1 0.0.0+old'));
    const reread = ParseCache.open(cacheDir, topologyFile);
    expect(reread.lookup({ file: 'x.sql', absPath: '/x.sql' }, Buffer.from(''), '').hit).toBeUndefined();
    expect(await plan(topologyFile, { cacheDir })).toBe(cold);
  }, 60_000);

  it('keys an entry by how the file is read, not only by its bytes', async () => {
    await loadParsers();
    const dir = temp('keys');
    const absPath = join(dir, '001_t.sql');
    writeFileSync(absPath, 'CREATE TABLE t (id int);\n');
    const bytes = readFileSync(absPath);
    const job = { file: 'a/001_t.sql', absPath };
    const first = ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml'));
    const miss = first.lookup(job, bytes, 'sha');
    first.store(miss.key, bytes, parseSource(job));
    expect(first.save()).toBeUndefined();
    const second = ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml'));
    expect(second.lookup(job, bytes, 'sha').hit?.parsed).toEqual(parseSource(job).parsed);
    expect(second.lookup({ ...job, file: 'b/001_t.sql' }, bytes, 'sha').hit).toBeUndefined();
    expect(second.lookup({ ...job, declaredEngine: 'clickhouse' }, bytes, 'sha').hit).toBeUndefined();
    expect(second.lookup(job, bytes, 'other bytes').hit).toBeUndefined();
    expect([second.hits, second.misses]).toEqual([1, 3]);
  });

  it('leaves a whole pack when two planners write at once', async () => {
    await loadParsers();
    const dir = temp('two');
    const cacheDir = join(dir, 'cache');
    const jobs = ['001_a.sql', '002_b.sql'].map((name, i) => {
      writeFileSync(join(dir, name), `CREATE TABLE t${i} (id int);\n`);
      return { file: name, absPath: join(dir, name) };
    });
    // Both open the empty cache, each parses one file, and they save in turn.
    const planners = jobs.map(() => ParseCache.open(cacheDir, join(dir, 'topology.yaml')));
    planners.forEach((cache, i) => {
      const bytes = readFileSync(jobs[i]!.absPath);
      cache.store(cache.lookup(jobs[i]!, bytes, 'sha').key, bytes, parseSource(jobs[i]!));
    });
    for (const cache of planners) expect(cache.save()).toBeUndefined();
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const after = ParseCache.open(cacheDir, join(dir, 'topology.yaml'));
    expect(after.lookup(jobs[1]!, readFileSync(jobs[1]!.absPath), 'sha').hit?.parsed.statements[0]?.sql).toBe('CREATE TABLE t1 (id int)');
  });

  it('removes packs unused for a month and temporary files a killed planner left, and keeps packs in use', async () => {
    const { topologyFile } = system();
    const cacheDir = temp('stale');
    await plan(topologyFile, { cacheDir });
    const [mine] = pack(cacheDir);
    const old = new Date(Date.now() - 40 * 24 * 3600_000);
    const stale = ['parse-0000000000000000.jsonl', 'parse-0000000000000000.jsonl.1.2.tmp'].map((f) => join(cacheDir, f));
    for (const f of [...stale, mine!]) {
      writeFileSync(f, f === mine ? readFileSync(mine) : 'x');
      utimesSync(f, old, old);
    }
    // A plan that changes nothing still marks its pack as used.
    await plan(topologyFile, { cacheDir });
    expect(Date.now() - statSync(mine!).mtimeMs).toBeLessThan(3600_000);
    // A plan that writes its pack removes what is stale.
    const other = system();
    await plan(other.topologyFile, { cacheDir });
    expect(stale.filter((f) => existsSync(f))).toEqual([]);
    expect(pack(cacheDir)).toHaveLength(2);
    expect(pack(cacheDir)).toContain(mine);
  }, 60_000);

  it('is a warning, never a failure, when it cannot be written', async () => {
    const { topologyFile, dir } = system();
    const blocked = join(dir, 'not-a-directory');
    writeFileSync(blocked, '');
    const cold = JSON.parse(await plan(topologyFile)) as { steps: unknown[] };
    const planned = await planMigration(topologyFile, { allowErrors: true, parseWorkers: 0, cacheDir: join(blocked, 'cache') });
    const warning = planned.diagnostics.find((d) => d.code === 'plan.cache_unwritable');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toContain(join(blocked, 'cache'));
    expect(warning?.hint).toContain('--no-cache');
    expect(JSON.stringify(planned.steps)).toBe(JSON.stringify(cold.steps));
    expect(existsSync(join(blocked, 'cache'))).toBe(false);
  }, 60_000);

  it('lets go of the files once they are read, keeping the readings to recall, when saving will append', async () => {
    await loadParsers();
    const dir = temp('release');
    const absPath = join(dir, '001_t.sql');
    writeFileSync(absPath, 'CREATE TABLE t (id int);\n');
    const bytes = readFileSync(absPath);
    const job = { file: '001_t.sql', absPath };
    const reading = 'd'.repeat(64);
    const first = ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml'));
    first.store(first.lookup(job, bytes, 'sha').key, bytes, parseSource(job));
    first.remember(reading, { columns: ['id'] });
    expect(first.save()).toBeUndefined();
    const [file] = pack(join(dir, 'cache'));
    const written = readFileSync(file!);

    const second = ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml'));
    expect(second.lookup(job, bytes, 'sha').hit).toBeDefined();
    second.release();
    expect(second.recall(reading)).toEqual({ value: { columns: ['id'] } });
    // Nothing new, nothing unused: the pack stays as it was.
    expect(second.save()).toBeUndefined();
    expect(readFileSync(file!).equals(written)).toBe(true);

    const third = ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml'));
    expect(third.lookup(job, bytes, 'sha').hit).toBeDefined();
    third.release();
    // Released, it holds no file: a lookup misses, and what is stored is appended.
    const again = third.lookup(job, bytes, 'sha');
    expect(again.hit).toBeUndefined();
    third.store(again.key, bytes, parseSource(job));
    third.remember('e'.repeat(64), 1);
    expect(third.save()).toBeUndefined();
    const appended = readFileSync(file!);
    expect(appended.subarray(0, written.length).equals(written)).toBe(true);
    expect(appended.toString().trim().split('\n')).toHaveLength(5);
    expect(ParseCache.open(join(dir, 'cache'), join(dir, 'topology.yaml')).lookup(job, bytes, 'sha').hit?.parsed).toEqual(parseSource(job).parsed);
  });

  it('keeps the readings the planner makes of single statements, undefined included, and drops a damaged one', () => {
    const dir = temp('memo');
    const file = join(dir, 'topoplan.yaml');
    const [shape, none, damaged] = ['a', 'b', 'c'].map((c) => c.repeat(64));
    const cache = ParseCache.open(dir, file);
    expect(cache.recall(shape!)).toBeUndefined();
    cache.remember(shape!, { columns: [{ name: 'id' }], constraints: [] });
    cache.remember(none!, undefined);
    cache.remember(damaged!, 'x');
    expect(cache.save()).toBeUndefined();
    const path = pack(dir)[0]!;
    writeFileSync(path, readFileSync(path, 'utf8').replace(`${damaged} {"v":"x"}`, `${damaged} {"v":`));
    const again = ParseCache.open(dir, file);
    expect(again.recall(shape!)).toEqual({ value: { columns: [{ name: 'id' }], constraints: [] } });
    expect(again.recall(none!)).toEqual({ value: undefined });
    expect(again.recall(damaged!)).toBeUndefined();
  });
});
