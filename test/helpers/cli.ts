/**
 * Runs the topoplan CLI in-process (runCli with captured streams), for tests
 * that need many runs: no process start per run, same code path as the bin.
 */
import { runCli, type CliOutcome } from '../../src/cli/run-cli.js';

export interface CliRun extends CliOutcome {
  readonly out: string;
  readonly err: string;
}

export async function cli(args: readonly string[], options: { signal?: AbortSignal; env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const outcome = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: { ...process.env, NO_COLOR: '1', ...options.env }, ...(options.signal ? { signal: options.signal } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) });
  return { ...outcome, out, err };
}

/** A JavaScript stack frame ("    at fn (file.ts:12:5)"), which no output may contain. */
export const STACK_FRAME = /^\s+at .*(\.[cm]?[jt]s:\d+:\d+|<anonymous>|node:internal)/m;
