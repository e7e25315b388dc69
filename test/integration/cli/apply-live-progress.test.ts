/**
 * Live progress as a terminal sees it: an apply whose standard error is a
 * terminal draws a footer that its timer redraws while a step runs (the step's
 * time moving with no other event), prints the finished steps above it, and
 * leaves the terminal as it found it (footer erased, cursor shown), also when
 * interrupted; standard
 * output, not a terminal, gets plain lines only.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StopReason } from '../../../src/cli/cli-context.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { stopPostmaster } from '../../../src/engines/embedded/stop-postmaster.js';
import { tempDir } from '../../helpers/engines.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';
const dataDir = await tempDir('live-progress');
const { topologyFile } = makeProject(
  {
    'app/001_notes.sql': 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\n',
    // A step that takes a while, so the timer redraws the footer while it runs.
    'app/002_wait.sql': 'DO $$ BEGIN PERFORM pg_sleep(1.5); END $$;\n',
  },
  pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['notes'] } } }),
);
afterAll(() => stopPostmaster(join(dataDir, 'postgres'), 'immediate'));

describe('apply on a terminal', () => {
  it('redraws its footer on a timer and restores the terminal at the end', async () => {
    let out = '';
    let err = '';
    const r = await runCli(['apply', topologyFile, '--data-dir', dataDir], { out: (t) => (out += t), err: (t) => (err += t), stderrIsTTY: true, stderrColumns: () => 100, env: { NO_COLOR: '1' } });
    expect(r.code, err + out).toBe(0);
    expect(out).not.toContain('\x1b');
    expect(out).toMatch(/total\s+3\s+0\s+0\s+0\s+0/);
    // The waiting step's footer line was drawn with more than one time: the timer redrew it.
    const times = new Set([...err.matchAll(/⠿ main:app\/002_wait\.sql#1 (\d+\.\d)s/g)].map((m) => m[1]));
    expect(times.size, err).toBeGreaterThan(1);
    expect(err).toMatch(/\d\/3 steps done, 1 running · \d+\.\ds/);
    expect(err).toMatch(/applied +main:app\/002_wait\.sql#1/);
    expect(err.split(HIDE)).toHaveLength(2);
    expect(err.indexOf(HIDE)).toBeLessThan(err.indexOf('⠿'));
    // At the end the footer is erased and the cursor shown again; whatever follows is plain lines.
    const end = err.lastIndexOf(SHOW);
    expect(end).toBeGreaterThan(err.lastIndexOf('steps done'));
    expect(err.lastIndexOf('\x1b[0J')).toBeGreaterThan(err.lastIndexOf('steps done'));
    expect(err.slice(end + SHOW.length)).not.toContain('\x1b');
  }, 120_000);

  it('Ctrl-C while a step runs: the footer is erased and the cursor shown, exit 130', async () => {
    const { topologyFile: other } = makeProject(
      { 'app/001_wait.sql': 'DO $$ BEGIN PERFORM pg_sleep(1.5); END $$;\n', 'app/002_notes.sql': 'CREATE TABLE notes (id int);\n' },
      { stores: { main: { engine: 'postgres', database: 'interrupted' } }, sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['notes'] } } },
    );
    const controller = new AbortController();
    let err = '';
    const r = await runCli(['apply', other, '--data-dir', dataDir], {
      out: () => undefined,
      err: (t) => {
        err += t;
        // Interrupt once the waiting step is drawn as running.
        if (!controller.signal.aborted && /⠿ main:app\/001_wait\.sql#1/.test(err)) controller.abort(new StopReason('SIGINT'));
      },
      stderrIsTTY: true,
      stderrColumns: () => 100,
      env: { NO_COLOR: '1' },
      signal: controller.signal,
    });
    expect(r.code, err).toBe(130);
    expect(r.stopped?.line).toMatch(/^topoplan: stopped by SIGINT: /);
    expect(err).toMatch(/steps done, 1 running/);
    const end = err.lastIndexOf(SHOW);
    expect(end, err).toBeGreaterThan(err.lastIndexOf('steps done'));
    expect(err.lastIndexOf('\x1b[0J')).toBeGreaterThan(err.lastIndexOf('steps done'));
    expect(err.slice(end + SHOW.length)).not.toContain('\x1b');
  }, 120_000);
});
