/**
 * Embedded ClickHouse (chdb) takes one process at a time: an apply whose
 * chdb directory another process has open waits for it, says so once, and
 * applies when the other lets go; past --lock-timeout it says so in one line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { STACK_FRAME } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

const dataDir = await tempDir('chdb-wait');
const chdbDir = join(dataDir, 'clickhouse');
const { topologyFile } = makeProject(
  { 'events/001_views.sql': "CREATE DATABASE IF NOT EXISTS web;\nCREATE TABLE web.views (ts DateTime, path String) ENGINE = MergeTree ORDER BY ts;\n" },
  {
    stores: { events: { engine: 'clickhouse', database: 'web' } },
    sets: { events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } },
    services: { web: { stores: { clickhouse: 'events' }, sets: ['events'], owns: ['web.*'] } },
  },
);

/** Another process holding the chdb directory open until it reads 'release'. */
function holder() {
  const script = `import { acquireChdb } from ${JSON.stringify(resolve('src/engines/clickhouse/chdb-registry.ts'))};
    import { createInterface } from 'node:readline';
    const h = await acquireChdb(${JSON.stringify(chdbDir)}); await h.run((c) => c.ping());
    console.log('open');
    for await (const line of createInterface({ input: process.stdin })) if (line === 'release') break;
    await h.release(); console.log('released'); process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, next: async () => (await lines.next()).value as string | undefined, release: () => child.stdin!.write('release\n'), exited: once(child, 'exit') };
}

const children: ReturnType<typeof holder>['child'][] = [];
afterAll(() => { for (const c of children) c.kill('SIGKILL'); });

describe('two applies on one embedded ClickHouse', () => {
  it('past --lock-timeout: one line saying embedded ClickHouse takes one process at a time, exit 1', async () => {
    const other = holder();
    children.push(other.child);
    expect(await other.next()).toBe('open');
    let out = '';
    let err = '';
    const r = await runCli(['apply', topologyFile, '--data-dir', dataDir, '--lock-timeout', '1'], { out: (t) => (out += t), err: (t) => (err += t), env: { NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(out + err).toContain(`topoplan: embedded ClickHouse at ${chdbDir} is open in pid ${other.child.pid}: waiting for it to end (embedded ClickHouse takes one process at a time)`);
    expect(out + err).toMatch(new RegExp(`still open in pid ${other.child.pid} after 1 s \\(embedded ClickHouse takes one process at a time\\); run again when that process ends, or wait longer with --lock-timeout`));
    expect(out + err).not.toMatch(STACK_FRAME);
    other.release();
    expect(await other.next()).toBe('released');
    await other.exited;
  });

  it('the second waits while the first has it open, then applies', async () => {
    const other = holder();
    children.push(other.child);
    expect(await other.next()).toBe('open');
    let out = '';
    let err = '';
    const r = await runCli(['apply', topologyFile, '--data-dir', dataDir], {
      out: (t) => {
        out += t;
        if (t.includes('waiting for it to end')) other.release();
      },
      err: (t) => {
        err += t;
        if (t.includes('waiting for it to end')) other.release();
      },
      env: { NO_COLOR: '1' },
    });
    expect(r.code, out + err).toBe(0);
    expect((out + err).match(/waiting for it to end/g)).toHaveLength(1);
    expect(out + err).toMatch(/applied\s+events:events\/001_views\.sql/);
    expect(await other.next()).toBe('released');
  });
});
