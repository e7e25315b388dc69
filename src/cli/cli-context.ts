/**
 * What a command gets from the process, passed in rather than taken from
 * globals, so the CLI behaves the same in a terminal, in a pipe and when a
 * test runs it in-process: where output goes (every line through
 * maskSecrets), whether colour and the live footer are allowed, the signal
 * that says the run must stop (Ctrl-C, SIGTERM, a closed pipe), the exit
 * code, and a way to say what an interrupted command leaves behind.
 *
 * @example
 * const ctx = cliContext({ out: (t) => chunks.push(t), err: (t) => errors.push(t) });
 * ctx.out('plan: 3 steps\n');
 */
import { resolve } from 'node:path';
import { maskSecrets } from '../mask-secrets.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly stdoutIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  /** The width of the terminal standard error is, read when needed (live progress cuts its lines to it). */
  readonly stderrColumns?: () => number | undefined;
  /** Environment (NO_COLOR, TOPOPLAN_DEBUG, `${VAR}` in topologies); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The working directory: where a topology is looked for and relative paths start; default process.cwd(). */
  readonly cwd?: string;
  /** Aborted when the run must stop; its reason is a {@link StopReason} when the process was told to. */
  readonly signal?: AbortSignal;
  /** Where commands register synchronous clean-ups (restoring the terminal) for a process that must exit at once. */
  readonly forcedExitHooks?: Set<() => void>;
}

/** Why a run was told to stop, and the exit code that says so. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'EPIPE';

export const STOP_EXIT: Readonly<Record<StopCause, number>> = { SIGINT: 130, EPIPE: 141, SIGTERM: 143 };

export class StopReason extends Error {
  constructor(readonly stopCause: StopCause) {
    super(stopCause === 'EPIPE' ? 'standard output was closed' : `${stopCause} received`);
    this.name = 'StopReason';
  }
}

export interface CliContext {
  /** Writes to standard output, passwords masked. */
  out(text: string): void;
  /** Writes to standard error, passwords masked. */
  err(text: string): void;
  /** Writes to standard output unmasked: only for a credential the user asked for by name (`topoplan url`). */
  outUnmasked(text: string): void;
  /** Colour on standard output / standard error (a terminal, and NO_COLOR unset). */
  readonly colorOut: boolean;
  readonly colorErr: boolean;
  /** Standard output is a terminal. */
  readonly interactive: boolean;
  /** Standard error is a terminal that can move its cursor (not TERM=dumb): live progress may be drawn there. */
  readonly interactiveErr: boolean;
  /** The width of standard error's terminal, when it is one. */
  errColumns(): number | undefined;
  /** Records that the running command prints JSON, so a failure prints its envelope too. */
  reportJson(command: string): void;
  /** The command that prints JSON, if any. */
  readonly jsonCommand: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Absolute working directory. */
  readonly cwd: string;
  readonly signal: AbortSignal;
  /** Raises the exit code (the highest wins). */
  setExit(code: number): void;
  readonly exitCode: number;
  /** Says what an interrupted command stopped and left (one clause, shown after the reason). */
  stopped(detail: string): void;
  readonly stopDetail: string | undefined;
  /** Registers a synchronous clean-up run if the process must exit at once (a second Ctrl-C): restoring the terminal. Returns its removal. */
  onForcedExit(fn: () => void): () => void;
}

export function cliContext(io: CliIo): CliContext {
  const env = io.env ?? process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  let exitCode = 0;
  let stopDetail: string | undefined;
  let jsonCommand: string | undefined;
  const hooks = io.forcedExitHooks ?? new Set<() => void>();
  return {
    out: (text) => io.out(maskSecrets(text)),
    err: (text) => io.err(maskSecrets(text)),
    outUnmasked: (text) => io.out(text),
    colorOut: Boolean(io.stdoutIsTTY) && !noColor,
    colorErr: Boolean(io.stderrIsTTY) && !noColor,
    interactive: Boolean(io.stdoutIsTTY),
    interactiveErr: Boolean(io.stderrIsTTY) && env.TERM !== 'dumb',
    errColumns: () => io.stderrColumns?.(),
    reportJson(command) {
      jsonCommand = command;
    },
    get jsonCommand() {
      return jsonCommand;
    },
    env,
    cwd: resolve(io.cwd ?? process.cwd()),
    signal: io.signal ?? new AbortController().signal,
    setExit(code) {
      exitCode = Math.max(exitCode, code);
    },
    get exitCode() {
      return exitCode;
    },
    stopped(detail) {
      stopDetail = detail;
    },
    get stopDetail() {
      return stopDetail;
    },
    onForcedExit(fn) {
      hooks.add(fn);
      return () => {
        hooks.delete(fn);
      };
    },
  };
}
