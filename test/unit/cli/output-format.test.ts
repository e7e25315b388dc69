import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const files = {
  'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
  'app/002_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n',
};
const services = { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['users', 'orders'] } };
const { dir, topologyFile } = makeProject(files, pgTopology({ sets: { app: { dir: 'app' } }, services }));
// A second service creates users too: an unresolved conflict.
const broken = makeProject({ ...files, 'legacy/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' }, pgTopology({ sets: { app: { dir: 'app' }, legacy: { dir: 'legacy' } }, services: { ...services, old: { stores: { postgres: 'main' }, sets: ['legacy'] } } }));

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('--format json: one versioned envelope per command, on standard output', () => {
  it.each([
    ['validate', [topologyFile], 'topoplan-validate/1', 0],
    ['plan', [topologyFile], 'topoplan-plan/1', 0],
    ['status', [topologyFile], 'topoplan-status/1', 0],
    ['verify', [topologyFile], 'topoplan-verify/1', 0],
    ['apply', [topologyFile, '--dry-run'], 'topoplan-apply/1', 0],
    ['diff', [topologyFile, topologyFile], 'topoplan-diff/1', 0],
    ['stop', [topologyFile], 'topoplan-stop/1', 0],
    ['init', [dir, '--dry-run'], 'topoplan-init/1', 0],
  ])('%s', async (command, args, format, code) => {
    for (const flag of [['--format', 'json'], ['--json']]) {
      const r = await cli([command, ...args, ...flag]);
      expect(r.code, r.err).toBe(code);
      const doc = json(r.out);
      expect(doc.format).toBe(format);
      expect(Object.keys(doc)[0]).toBe('format');
    }
  });

  it('a command that fails still prints its envelope, with ok: false and the diagnostics', async () => {
    const missing = join(dir, 'nope.yaml');
    for (const command of ['validate', 'plan', 'status', 'verify', 'apply', 'unlock']) {
      const r = await cli([command, missing, '--json', ...(command === 'unlock' ? ['--store', 'main'] : [])]);
      expect(r.code, command).toBe(1);
      const doc = json(r.out) as { format: string; ok: boolean; diagnostics: { file: string; severity: string; message: string }[] };
      expect(doc.format).toBe(`topoplan-${command}/1`);
      expect(doc.ok).toBe(false);
      expect(doc.diagnostics[0]).toMatchObject({ file: missing, severity: 'error' });
      expect(r.err).toContain(`${missing}: error: topology: cannot read`);
    }
  });

  it('status: a store with no database yet is in the envelope with the reason', async () => {
    const doc = json((await cli(['status', topologyFile, '--json'])).out) as { ok: boolean; pending: boolean; stores: { store: string; reachable: boolean; reason: string; pending: string[] }[] };
    expect(doc.ok).toBe(true);
    expect(doc.pending).toBe(true);
    expect(doc.stores[0]).toMatchObject({ store: 'main', reachable: false, reason: expect.stringContaining('no embedded database') as string });
    expect(doc.stores[0]!.pending.length).toBe(3);
  });
});

describe('exit codes: 0 success, 1 failure, 2 usage; --detailed-exitcode 2 for changes', () => {
  it('plan', async () => {
    expect((await cli(['plan', topologyFile])).code).toBe(0);
    expect((await cli(['plan', topologyFile, '--detailed-exitcode'])).code).toBe(2);
    expect((await cli(['plan', broken.topologyFile, '--detailed-exitcode'])).code).toBe(1);
    expect((await cli(['plan', join(dir, 'nope.yaml'), '--detailed-exitcode'])).code).toBe(1);
    expect((await cli(['plan', topologyFile, '--format', 'yaml'])).code).toBe(2);
  });

  it('status: pending steps are 0, or 2 with --detailed-exitcode', async () => {
    expect((await cli(['status', topologyFile])).code).toBe(0);
    expect((await cli(['status', topologyFile, '--detailed-exitcode'])).code).toBe(2);
  });

  it('diff: compared is 0 (identical or not), 2 with --detailed-exitcode when they differ, 1 when a file is missing', async () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, (await import('node:fs')).readFileSync(topologyFile, 'utf8').replace('database: main', 'database: shop'));
    expect((await cli(['diff', topologyFile, other])).code).toBe(0);
    expect((await cli(['diff', topologyFile, other, '--detailed-exitcode'])).code).toBe(2);
    expect((await cli(['diff', topologyFile, topologyFile, '--detailed-exitcode'])).code).toBe(0);
    expect((await cli(['diff', topologyFile, join(dir, 'nope.yaml'), '--detailed-exitcode'])).code).toBe(1);
    expect((await cli(['diff', topologyFile])).code).toBe(2);
  });
});

describe('data on standard output, diagnostics on standard error', () => {
  it('a failed plan: the plan on stdout, every error as file:line:col: error: on stderr, the failure last', async () => {
    const r = await cli(['plan', broken.topologyFile]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^topoplan plan: test/);
    expect(r.out).toMatch(/Plan: \d+ steps/);
    expect(r.out).not.toContain('error:');
    expect(r.out).not.toContain('Planning failed');
    expect(r.err).toMatch(/^app\/001_users\.sql:1: error: plan: table users is created by both/m);
    expect(r.err.trimEnd().split('\n').pop()).toMatch(/^plan: failed with \d+ errors?; nothing can be applied/);
  });

  it('a plan with resolved conflicts lists steps first, then one line per resolved conflict (all of it with --verbose)', async () => {
    const r = await cli(['plan', 'topologies/nova-plan-a.yaml']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.indexOf('Wave 0')).toBeLessThan(r.out.indexOf('Conflicts'));
    const lines = r.out.split('\n');
    const resolved = lines.filter((l) => l.startsWith('  ✓ '));
    expect(resolved.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.trimStart().startsWith('resolution:'))).toBe(false);
    const verbose = await cli(['plan', 'topologies/nova-plan-a.yaml', '--verbose']);
    expect(verbose.out.split('\n').filter((l) => l.trimStart().startsWith('resolution:')).length).toBeGreaterThanOrEqual(resolved.length);
  });
});
