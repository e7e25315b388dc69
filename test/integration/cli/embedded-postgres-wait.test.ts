/**
 * An apply that finds another run starting or stopping the embedded
 * PostgreSQL of its data directory says whom it waits for, on a line of its
 * own, and goes on as soon as that run lets go.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { startLockFile, withStartLock } from '../../../src/engines/embedded/start-lock.js';
import { stopPostmaster } from '../../../src/engines/embedded/stop-postmaster.js';
import { thisProcess } from '../../../src/engines/process-identity.js';
import { tempDir } from '../../helpers/engines.js';
import { makeProject, pgTopology } from '../../helpers/project.js';

const dataDir = await tempDir('pg-wait');
const { topologyFile } = makeProject(
  { 'app/001_notes.sql': 'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\n' },
  pgTopology({ sets: { app: { dir: 'app' } }, services: { app: { stores: { postgres: 'main' }, sets: ['app'], owns: ['notes'] } } }),
);
afterAll(() => stopPostmaster(join(dataDir, 'postgres'), 'immediate'));

describe('apply while another run holds the start lock', () => {
  it('says whom it waits for, once, then applies', async () => {
    const cluster = join(dataDir, 'postgres');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const locked = new Promise<void>((r) => (inside = r));
    const holder = withStartLock(cluster, async () => { inside(); await held; });
    await locked;
    let out = '';
    const run = runCli(['apply', topologyFile, '--data-dir', dataDir], {
      out: (t) => {
        out += t;
        if (t.includes('waiting for')) release();
      },
      err: (t) => {
        out += t;
        if (t.includes('waiting for')) release();
      },
      env: { NO_COLOR: '1' },
    });
    const [r] = await Promise.all([run, holder]);
    expect(r.code, out).toBe(0);
    const me = thisProcess();
    expect(out.match(/waiting for/g)).toHaveLength(1);
    expect(out).toContain(`topoplan: waiting for ${me.host} pid ${me.pid}, which is starting or stopping embedded PostgreSQL on ${cluster} (lock ${startLockFile(cluster)})`);
    expect(out).toMatch(/applied\s+main:app\/001_notes\.sql/);
  });
});
