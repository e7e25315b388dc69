/**
 * The CLI as a process: a closed pipe, SIGINT and SIGTERM end a run cleanly,
 * with one line on standard error and the exit code of the cause; an apply
 * so stopped leaves no embedded server, start lock or server user behind,
 * and the next apply finishes what it left.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { readPostmasterPid } from '../../../src/engines/embedded/postmaster-pid.js';
import { startLockFile } from '../../../src/engines/embedded/start-lock.js';
import { stopPostmaster } from '../../../src/engines/embedded/stop-postmaster.js';
import { cli, STACK_FRAME } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repo, 'bin', 'topoplan.js');
const errFile = join(mkdtempSync(join(tmpdir(), 'topoplan-lifecycle-')), 'stderr');

/** Runs `topoplan ARGS | head -c BYTES` (`head -n BYTES` with `lines`) in bash; returns topoplan's exit code, what head let through and standard error. */
function pipedToHead(args: string[], bytes: number, lines = false): { code: number; out: string; err: string } {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR_FILE" | head -${lines ? 'n' : 'c'} ${bytes} >"$OUT_FILE"; echo "\${PIPESTATUS[0]}"`], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ERR_FILE: errFile, OUT_FILE: `${errFile}.out` } });
  return { code: Number(r.stdout.trim()), out: readFileSync(`${errFile}.out`, 'utf8'), err: readFileSync(errFile, 'utf8') };
}

describe('a closed standard output', () => {
  it('plan --format json | head -c 100: exit 141, one line, no stack', () => {
    const r = pipedToHead(['plan', 'topologies/nova-plan-a.yaml', '--format', 'json'], 100);
    expect(r.code).toBe(141);
    expect(r.err).toBe('topoplan: standard output was closed\n');
    expect(r.err).not.toMatch(STACK_FRAME);
  });
});

/** A project whose second file takes a moment, so a signal can arrive while an apply runs it; one database per case, in one cluster. */
const project = (database: string) => makeProject(
  {
    'app/001_notes.sql': 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\n',
    'app/002_wait.sql': 'SELECT pg_sleep(1.5);\nCREATE TABLE tags (id serial PRIMARY KEY, note_id int REFERENCES notes (id));\n',
    'app/003_more.sql': 'CREATE TABLE more (id int);\n',
  },
  { stores: { main: { engine: 'postgres', database } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['notes', 'tags', 'more'] } } },
).topologyFile;
const STEPS = ['main:app/001_notes.sql#1', 'main:app/002_wait.sql#1-2', 'main:app/003_more.sql#1', 'main:database'];
const dataDir = join(await tempDir('lifecycle'), 'data');
afterAll(async () => {
  await stopPostmaster(join(dataDir, 'postgres'), 'immediate').catch(() => undefined);
  await rm(dirname(dataDir), { recursive: true, force: true });
});

/** Runs apply as a process and sends it `signal` once its first migration step is applied; returns its exit code and output. */
async function applySignalled(topologyFile: string, signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [bin, 'apply', topologyFile, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    out += `${line}\n`;
    if (/^applied\s+main:app\/001_notes\.sql/.test(line)) child.kill(signal);
  });
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, out, err };
}

/** What a run must not leave behind in the cluster: a server, a start lock, a user of the server. */
async function leftBehind(): Promise<string[]> {
  const cluster = join(dataDir, 'postgres');
  return [
    ...((await readPostmasterPid(cluster))?.alive ? ['a running server'] : []),
    ...(existsSync(startLockFile(cluster)) ? ['a start lock'] : []),
    ...(existsSync(join(cluster, 'topoplan-users.json')) ? ['a user of the server'] : []),
  ];
}

const appliedIn = (out: string) => [...out.matchAll(/^applied\s+(\S+)/gm)].map((m) => m[1]!);

/**
 * The next apply finishes what the stopped one left, and together they apply every step once: a statement
 * run twice would fail (its table exists), one lost would leave status with a pending step. The stopped run
 * says how many steps it applied (a closed pipe found only at the very end has nothing to add to its line).
 */
async function finishAndCheck(topologyFile: string, stopLine: string): Promise<void> {
  const again = await cli(['apply', topologyFile, '--data-dir', dataDir]);
  expect(again.code, again.out + again.err).toBe(0);
  const count = /: (\d+) steps applied/.exec(stopLine)?.[1];
  if (count !== undefined) expect(Number(count) + appliedIn(again.out).length, `${stopLine}\n${again.out}`).toBe(STEPS.length);
  const status = await cli(['status', topologyFile, '--data-dir', dataDir]);
  expect(status.code, status.out + status.err).toBe(0);
  expect(status.out).toMatch(new RegExp(`^main +${STEPS.length} applied, 0 pending, 0 changed, 0 unfinished`, 'm'));
  expect(await leftBehind()).toEqual([]);
}

describe('a signal or a closed pipe during apply', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: one line, exit %i, no server, lock or user left; the next apply runs exactly what is left', async (signal, exit) => {
    const topologyFile = project(`stopped_by_${signal.toLowerCase()}`);
    const r = await applySignalled(topologyFile, signal);
    expect(r.code, r.out + r.err).toBe(exit);
    expect(r.err).toMatch(new RegExp(`^topoplan: stopped by ${signal}: \\d+ steps applied, \\d+ not applied; every store's ledger is consistent: apply again to finish$`, 'm'));
    expect(r.err.match(/stopped by/g)).toHaveLength(1);
    expect(r.out + r.err).not.toMatch(STACK_FRAME);
    expect(r.out).not.toMatch(/^failed\s/m);
    expect(await leftBehind()).toEqual([]);
    expect(appliedIn(r.out).length).toBe(Number(/: (\d+) steps applied/.exec(r.err)![1]));
    await finishAndCheck(topologyFile, r.err);
  });

  it('apply | head -1: exit 141, one line, no server left; the next apply runs exactly what is left', async () => {
    const topologyFile = project('stopped_by_epipe');
    const r = pipedToHead(['apply', topologyFile, '--data-dir', dataDir], 1, true);
    expect(r.code, r.err).toBe(141);
    expect(r.err).toMatch(/^topoplan: standard output was closed(: \d+ steps applied, \d+ not applied; every store's ledger is consistent: apply again to finish)?$/m);
    expect(r.err).not.toMatch(STACK_FRAME);
    expect(await leftBehind()).toEqual([]);
    await finishAndCheck(topologyFile, r.err);
  });
});
