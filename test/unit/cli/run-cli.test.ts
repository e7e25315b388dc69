import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliContext, StopReason } from '../../../src/cli/cli-context.js';
import { failure } from '../../../src/cli/io.js';
import { cli, STACK_FRAME } from '../../helpers/cli.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'topoplan-cli-'));

function file(name: string, text: string): string {
  const dir = scratch();
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('bad input gives one clear error, never a stack trace', () => {
  it.each([
    ['an empty file', '', /is empty/],
    ['a file of comments', '# nothing here yet\n\n# still nothing\n', /is empty/],
    ['a list', '- stores\n- sets\n', /must be a map of settings, not a list/],
    ['a scalar', 'just words\n', /must be a map of settings, not a string/],
  ])('%s as a topology: exit 1 with file:line and a hint', async (_, text, message) => {
    const topo = file('t.yaml', text);
    for (const command of ['validate', 'plan', 'apply', 'status', 'verify']) {
      const r = await cli([command, topo]);
      expect(r.code, `${command}: ${r.err}`).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).toContain(`${topo}:1:1: error:`);
      expect(r.err).toContain('hint: a topology starts with');
      expect(r.err).not.toMatch(STACK_FRAME);
      expect(r.err).not.toContain('internal error');
    }
  });

  it('a plan with a cycle renders as text and JSON without holes in its waves', async () => {
    const { topologyFile } = makeProject(
      {
        'a/000_base.sql': 'CREATE TABLE base (id int PRIMARY KEY);',
        'a/001_x.sql': 'CREATE TABLE x (id int PRIMARY KEY, b int REFERENCES base (id), y_id int REFERENCES y (id));',
        'b/001_y.sql': 'CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x (id));',
      },
      pgTopology({ sets: { a: { dir: 'a' }, b: { dir: 'b' } }, services: { 'svc-a': { stores: { postgres: 'main' }, sets: ['a'], owns: ['x', 'base'] }, 'svc-b': { stores: { postgres: 'main' }, sets: ['b'], owns: ['y'] } } }),
    );
    const text = await cli(['plan', topologyFile]);
    expect(text.code).toBe(1);
    expect(text.err).toContain('steps depend on each other in a cycle');
    expect(text.out).toMatch(/Wave 2 .*\n.*a\/001_x\.sql/);
    expect(text.err).not.toMatch(STACK_FRAME);
    const json = await cli(['plan', topologyFile, '--format', 'json']);
    const plan = JSON.parse(json.out) as { waves: (string[] | null)[] };
    expect(plan.waves.every((w) => Array.isArray(w) && w.length > 0)).toBe(true);
  });

  it('--out to a missing directory, a directory, or nothing is a usage error before planning', async () => {
    const dir = scratch();
    for (const out of [join(dir, 'missing', 'plan.json'), dir, '']) {
      const r = await cli(['plan', 'topologies/nova-plan-a.yaml', '--format', 'json', '--out', out]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/option '-o, --out <file>' argument .* is invalid\. (directory .* does not exist|.* is a directory|give a file path)/);
      expect(r.out).toBe('');
    }
  });

  it.skipIf(!existsSync('/dev/full'))('--out that fails while it is written (a full disk) is one line naming the file and why, exit 1', async () => {
    const r = await cli(['plan', 'topologies/nova-plan-a.yaml', '--format', 'json', '--out', '/dev/full']);
    expect(r.code, r.err).toBe(1);
    expect(r.err).toBe('/dev/full: error: topoplan: cannot write --out "/dev/full": no space left on the device\n  hint: choose a path in a directory that exists and that you can write to\n');
  });

  it('numeric options are checked: no "abc" seconds, no zero concurrency, no negative workers, no "abc" milliseconds', async () => {
    const cases: [string[], RegExp][] = [
      [['apply', 'topologies/nova-plan-a.yaml', '--lock-timeout', 'abc'], /--lock-timeout <seconds>' argument 'abc' is invalid\. give a number of seconds/],
      [['apply', 'topologies/nova-plan-a.yaml', '--lock-timeout', '-1'], /--lock-timeout/],
      [['apply', 'topologies/nova-plan-a.yaml', '--lock-timeout', '1e9'], /--lock-timeout/],
      [['apply', 'topologies/nova-plan-a.yaml', '--concurrency', '0'], /--concurrency <n>' argument '0' is invalid\. give a whole number from 1 to 64/],
      [['apply', 'topologies/nova-plan-a.yaml', '--concurrency', '2.5'], /--concurrency/],
      [['plan', 'topologies/nova-plan-a.yaml', '--parse-workers', '-1'], /--parse-workers/],
      [['transition', '--from', 'topologies/nova-plan-a.yaml', '--to', 'topologies/nova-plan-b.yaml', '--live', '--lock-timeout', 'abc'], /--lock-timeout <ms>' argument 'abc' is invalid\. give a number of milliseconds from 1 to 3600000/],
      [['transition', '--from', 'topologies/nova-plan-a.yaml', '--to', 'topologies/nova-plan-b.yaml', '--live', '--lock-timeout', '0'], /--lock-timeout <ms>' argument '0' is invalid/],
      [['transition', '--from', 'topologies/nova-plan-a.yaml', '--to', 'topologies/nova-plan-b.yaml', '--live', '--catch-up-timeout', '10m'], /--catch-up-timeout <ms>' argument '10m' is invalid/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('--out writes the file, with passwords in store urls masked', async () => {
    const dir = scratch();
    const { topologyFile } = makeProject({ 'app/001_t.sql': 'CREATE TABLE t (id int);' }, { stores: { main: { engine: 'postgres', database: 'main', url: '${MAIN_URL:-postgres://app:hunter2@db.internal:5432/main}' } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'] } } });
    const out = join(dir, 'plan.json');
    const r = await cli(['plan', topologyFile, '--format', 'json', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('postgres://app:***@db.internal:5432/main');
    expect(written).not.toContain('hunter2');
    const text = await cli(['plan', topologyFile]);
    expect(text.out).toContain('postgres://app:***@db.internal:5432/main');
    expect(text.out).not.toContain('hunter2');
  });

  it('an unexpected error is one line that says it is a bug, with the stack only on request', () => {
    let err = '';
    const ctx = cliContext({ out: () => undefined, err: (t) => (err += t), env: {} });
    expect(failure(ctx, new TypeError("Cannot read properties of null (reading 'x')"))).toBe(1);
    expect(err).toMatch(/^topoplan: internal error: TypeError: Cannot read properties of null \(reading 'x'\)\n  hint: this is a bug in topoplan/);
    expect(err).not.toMatch(STACK_FRAME);
    let debug = '';
    failure(cliContext({ out: () => undefined, err: (t) => (debug += t), env: { TOPOPLAN_DEBUG: '1' } }), new TypeError('boom'));
    expect(debug).toMatch(STACK_FRAME);
    let sys = '';
    const e = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', syscall: 'open', path: '/x' });
    failure(cliContext({ out: () => undefined, err: (t) => (sys += t), env: {} }), e);
    expect(sys).toBe('topoplan: open "/x" failed: permission denied\n  hint: check the path and its permissions\n');
  });

  it('a run whose signal is aborted exits with the code of its cause and one line', async () => {
    const controller = new AbortController();
    controller.abort(new StopReason('SIGTERM'));
    const r = await cli(['validate', 'topologies/nova-plan-a.yaml'], { signal: controller.signal });
    expect(r.code).toBe(143);
    expect(r.stopped?.line).toBe('topoplan: stopped by SIGTERM');
  });
});

describe('unknown commands and options', () => {
  it('exit 2 with the usage hint', async () => {
    for (const args of [['frobnicate'], ['url'], ['plan', 'a.yaml', 'b.yaml'], ['plan', 'a.yaml', '--no-such-option'], ['diff', 'only-one.yaml']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('run topoplan --help for usage');
    }
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: topoplan');
  });
});

