/**
 * The topoplan command line: the process around runCli(), and the only
 * place that exits. SIGINT, SIGTERM and a closed standard output (EPIPE,
 * `topoplan plan | head`) abort the run's signal: the command finishes or
 * rolls back its current step, releases locks, stops the engines it started
 * and restores the terminal; then one line says what happened and the exit
 * code tells which (130, 143, 141). A second Ctrl-C exits at once.
 */
import { setFlagsFromString } from 'node:v8';
import { StopReason, STOP_EXIT, type StopCause } from './cli-context.js';
import { runCli } from './run-cli.js';

// The SQL parser is WebAssembly (libpg-query). Its code runs as V8's baseline compiler (Liftoff) makes it: the
// optimising tier recompiles the parser's largest functions on other threads at a cost no plan of this process
// earns back (a cold plan of Nova: 0.57x the CPU time; of 20,000 files, 0.97-1.08x, within the noise). Set before the parser
// loads, for this process and its parse workers; the library leaves the choice to whoever runs it.
setFlagsFromString('--liftoff-only');

const controller = new AbortController();
let stdoutOpen = true;
let stderrOpen = true;
const liveHooks = new Set<() => void>();

const writeErr = (text: string) => {
  if (stderrOpen) process.stderr.write(text);
};

function stop(cause: StopCause): void {
  if (!controller.signal.aborted) {
    controller.abort(new StopReason(cause));
    return;
  }
  if (cause === 'EPIPE') return;
  // A second signal: the user will not wait. Whatever runs now is what a kill would leave, which a re-run handles.
  for (const fn of liveHooks) fn();
  writeErr(`topoplan: stopped at once by a second ${cause}; run the command again to finish or check what it left\n`);
  process.exit(STOP_EXIT[cause]);
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  stdoutOpen = false;
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') stop('EPIPE');
});
process.stderr.on('error', () => {
  stderrOpen = false;
});
process.on('uncaughtException', (e) => {
  for (const fn of liveHooks) fn();
  writeErr(`topoplan: internal error: ${e.name}: ${e.message.split('\n')[0]}${process.env.TOPOPLAN_DEBUG ? `\n${e.stack}` : ''}\n  hint: this is a bug in topoplan, not in your input; run again with TOPOPLAN_DEBUG=1 to see where it happened, and report it\n`);
  process.exit(1);
});

let outcome = await runCli(process.argv.slice(2), {
  out: (text) => {
    if (stdoutOpen) process.stdout.write(text);
  },
  err: writeErr,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stderrColumns: () => process.stderr.columns,
  signal: controller.signal,
  forcedExitHooks: liveHooks,
});
// A closed pipe may only show once what was written is flushed: `plan | head -c 100` ends here.
const flushed = await new Promise<boolean>((resolve) => (stdoutOpen ? process.stdout.write('', (e) => resolve(!e)) : resolve(false)));
if (!outcome.stopped && (controller.signal.aborted || !flushed)) {
  outcome = { code: STOP_EXIT.EPIPE, stopped: { cause: 'EPIPE', line: 'topoplan: standard output was closed' } };
}
if (outcome.stopped) {
  writeErr(outcome.stopped.line + '\n');
  // Everything the run started is stopped by now; a handle left open must not keep the process waiting.
  setTimeout(() => process.exit(outcome.code), 2_000).unref();
}
process.exitCode = outcome.code;
