/**
 * Global setup of the test run: every temporary directory the tests and the
 * processes they start make (os.tmpdir(), mkdtemp) goes under one directory of
 * this run, which is removed when the run ends, so a run leaves nothing in /tmp.
 *
 * @example
 *   // vitest.config.ts: test: { globalSetup: ['test/helpers/run-tmpdir.ts'] }
 *   // a test: mkdtempSync(join(tmpdir(), 'x-')) -> /tmp/topoplan-run-AbC123/x-dEf456
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'topoplan-run-'));
  // Embedded PostgreSQL runs as another user when the tests run as root: it must reach the data dirs below.
  chmodSync(dir, 0o755);
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
