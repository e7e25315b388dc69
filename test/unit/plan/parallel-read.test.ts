/**
 * Parsing on worker threads must not change the plan: a system large enough
 * to start workers is planned with and without them and the JSON compared.
 * Some files hold non-ASCII text (statement texts are then sent whole) and
 * one does not parse (its diagnostic must come back the same), and some are
 * filled from variables (their statements are not slices of the file). The
 * same holds for a parse cache the workers fill and a plan then reads, and
 * the pack they fill (entries they encode) is the one a single thread writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { loadParsers } from '../../../src/sql/parse-file.js';
import { parseSources } from '../../../src/sql/parse-pool.js';
import { makeProject } from '../../helpers/project.js';

function system(services: number, filesPerService: number): { dir: string; topologyFile: string } {
  const files: Record<string, string> = {};
  const sets: Record<string, unknown> = {};
  const svcs: Record<string, unknown> = {};
  for (let s = 0; s < services; s++) {
    for (let f = 1; f <= filesPerService; f++) {
      const t = `s${s}_t${f}`;
      const parent = f > 1 ? `, parent_id bigint REFERENCES s${s}_t${f - 1}(id)` : '';
      const note = s % 5 === 0 ? `\nCOMMENT ON TABLE ${t} IS 'café ✓ ${t}';` : s % 7 === 0 ? `\nCOMMENT ON TABLE ${t} IS 'kept in {{.DB}}';` : '';
      files[`svc${s}/${String(f).padStart(3, '0')}_t.sql`] = `-- ${t}\nCREATE TABLE ${t} (id bigserial PRIMARY KEY${parent}, title text NOT NULL);\nCREATE INDEX idx_${t} ON ${t} (title);${note}\n`;
    }
    sets[`svc${s}`] = s % 7 === 0 ? { dir: `svc${s}`, variables: { DB: { store: 'database' } } } : { dir: `svc${s}` };
    svcs[`svc${s}`] = { stores: { postgres: 'main' }, sets: [`svc${s}`] };
  }
  files['svc3/999_broken.sql'] = 'CREATE TABLE broken (id int,);\n';
  return makeProject(files, { stores: { main: { engine: 'postgres', database: 'main' } }, sets, services: svcs });
}

describe('parse workers', () => {
  it('give the same plan as parsing on one thread', async () => {
    const { topologyFile } = system(200, 10);
    const one = await planMigration(topologyFile, { allowErrors: true, parseWorkers: 0 });
    const many = await planMigration(topologyFile, { allowErrors: true, parseWorkers: 2 });
    expect(one.steps.length).toBeGreaterThan(2000);
    expect(one.diagnostics.some((d) => d.code === 'sql.parse' && d.file === 'svc3/999_broken.sql')).toBe(true);
    expect(one.steps.some((s) => s.statements.some((x) => x.includes('café ✓')))).toBe(true);
    expect(one.steps.some((s) => s.statements.some((x) => x.includes("'kept in main'")))).toBe(true);
    expect(JSON.stringify(many)).toBe(JSON.stringify(one));
    // Filled by workers, then read back: the parse cache changes nothing either.
    const cacheDir = join(dirname(topologyFile), 'cache');
    const packOf = (dir: string) => readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.jsonl'))!));
    expect(JSON.stringify(await planMigration(topologyFile, { allowErrors: true, parseWorkers: 2, cacheDir }))).toBe(JSON.stringify(one));
    const filledHere = join(dirname(topologyFile), 'cache-here');
    await planMigration(topologyFile, { allowErrors: true, parseWorkers: 0, cacheDir: filledHere });
    expect(packOf(cacheDir).equals(packOf(filledHere))).toBe(true);
    expect(JSON.stringify(await planMigration(topologyFile, { allowErrors: true, parseWorkers: 2, cacheDir }))).toBe(JSON.stringify(one));
  }, 90_000);
});

function jobsOf(dir: string): { file: string; absPath: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ file: f, absPath: join(dir, f) }));
}

describe('parseSources', () => {
  it('parses on workers exactly as on the calling thread', async () => {
    await loadParsers();
    const { dir } = system(200, 10);
    const jobs = jobsOf(dir);
    const here = await parseSources(jobs, { workers: 0 });
    const there = await parseSources(jobs, { workers: 2, callerParses: false });
    expect(here.byWorkers).toBe(0);
    expect(there.byWorkers).toBe(jobs.length);
    expect(there.sources).toEqual(here.sources);
  }, 60_000);

  it('gives back every batch a failing worker holds: the error surfaces on the calling thread as without workers', async () => {
    await loadParsers();
    const { dir } = system(100, 25);
    const jobs = jobsOf(dir);
    // A file gone between listing and reading, in the middle: the worker holding its batch (and the next) fails.
    const gone = { file: 'svc50/404_gone.sql', absPath: join(dir, 'svc50', '404_gone.sql') };
    const withGone = [...jobs.slice(0, 1250), gone, ...jobs.slice(1250)];
    const alone = await parseSources(withGone, { workers: 0 }).then(() => 'parsed', (e: Error) => e.message);
    const there = await parseSources(withGone, { workers: 1, callerParses: false }).then(() => 'parsed', (e: Error) => e.message);
    expect(alone).toContain('404_gone.sql');
    expect(there).toBe(alone);
  }, 60_000);
});
