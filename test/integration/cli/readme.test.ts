/**
 * The README's commands and library example, run as a user would: the main
 * job (apply Nova plan A on embedded engines) twice, the second a no-op, and
 * the library snippet against embedded engines.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repo, 'bin', 'topoplan.js');
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'topoplan-readme-'));
  chmodSync(d, 0o755);
  return d;
};

describe('README', () => {
  it('the main job applies Nova plan A on embedded engines; run again, it changes nothing', () => {
    const dataDir = tmp();
    const run = () => spawnSync(process.execPath, [bin, 'apply', 'topologies/nova-plan-a.yaml', '--data-dir', dataDir], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain('embedded PostgreSQL');
    expect(first.stdout).not.toContain('embedded PostgreSQL');
    expect(first.stderr).toContain('set NOVA_NEO4J_URL');
    expect(first.stdout).toMatch(/total\s+45\s+0\s+0\s+0\s+4/);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('already-applied');
    expect(second.stdout.endsWith('\nNo changes: 45 steps already applied, 4 not applied (see above)\n')).toBe(true);
    const dry = spawnSync(process.execPath, [bin, 'apply', 'topologies/nova-plan-b.yaml', '--dry-run'], { cwd: repo, encoding: 'utf8' });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('-- ===== store nova_chat (postgres, database nova_chat) =====');
    expect(dry.stdout).toContain('CREATE INDEX CONCURRENTLY');
  });

  it('plan exits 1 with the YAML hint when a conflict is unresolved, 2 on bad usage', () => {
    const dir = tmp();
    const topo = readFileSync(join(repo, 'topologies', 'nova-plan-a.yaml'), 'utf8').replace('root: ../examples/nova', `root: ${join(repo, 'examples', 'nova')}`).replace(/accept:\n(  .*\n)+/, '');
    writeFileSync(join(dir, 'broken.yaml'), topo);
    const r = spawnSync(process.execPath, [bin, 'plan', join(dir, 'broken.yaml')], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('cascade_drop');
    expect(r.stdout).toContain('conflict: cascade_drop');
    expect(spawnSync(process.execPath, [bin, 'plan'], { cwd: repo, encoding: 'utf8' }).status).toBe(2);
    const badWorkers = spawnSync(process.execPath, [bin, 'plan', 'topologies/nova-plan-a.yaml', '--parse-workers', 'many'], { cwd: repo, encoding: 'utf8' });
    expect(badWorkers.status).toBe(2);
    expect(badWorkers.stderr).toContain('whole number');
  });

  it('the library example runs as written', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const code = /## Library\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = tmp();
    const script = join(dir, 'example.mts');
    writeFileSync(script, code.replace("from 'topoplan'", `from '${join(repo, 'src', 'index.ts')}'`).replace("'topologies/nova-plan-b.yaml'", `'${join(repo, 'topologies', 'nova-plan-b.yaml')}'`).replace("dir: '.topoplan'", `dir: '${join(dir, 'data')}'`).replace('onEvent: console.log', 'onEvent: () => {}'));
    const out = execFileSync(join(repo, 'node_modules', '.bin', 'tsx'), [script], { cwd: dir, encoding: 'utf8' });
    expect(out).toContain('topoplan plan: nova-plan-b');
    expect(out).toContain('Plan: ');
  });

  it('the check example runs as written and proves Nova plan A against its committed schema', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const code = /A check from the library:\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = tmp();
    const script = join(dir, 'check.mts');
    writeFileSync(script, code.replace("from 'topoplan'", `from '${join(repo, 'src', 'index.ts')}'`).replace("'topologies/nova-plan-a.yaml'", `'${join(repo, 'topologies', 'nova-plan-a.yaml')}'`).replace("'topologies/schema/nova-plan-a'", `'${join(repo, 'topologies', 'schema', 'nova-plan-a')}'`));
    const out = spawnSync(join(repo, 'node_modules', '.bin', 'tsx'), [script], { cwd: dir, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('check: ok\n');
  });
});
