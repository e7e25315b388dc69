/**
 * Runs one topoplan command line against the given streams and returns its
 * exit code; it touches no process globals, so main.ts wires it to the
 * process (signals, closed pipes, exit) and tests run it in-process.
 *
 * @example
 * const { code } = await runCli(['plan', 'topologies/nova-plan-a.yaml', '--format', 'json'], { out: (t) => chunks.push(t), err: (t) => errs.push(t) });
 */
import { Command, CommanderError } from 'commander';
import { cliContext, StopReason, STOP_EXIT, type CliIo, type StopCause } from './cli-context.js';
import { diagnosticsOf, EXIT_OK, EXIT_USAGE, failure } from './io.js';
import { failureEnvelope } from './output-format.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { registerCommands } from './commands.js';

export interface CliOutcome {
  readonly code: number;
  /** Set when the run was told to stop: the cause and one line saying what happened. */
  readonly stopped?: { readonly cause: StopCause | 'abort'; readonly line: string };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<CliOutcome> {
  const ctx = cliContext(io);
  const program = new Command('topoplan')
    .description('plan and apply database migrations for a whole system of services')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) })
    .showHelpAfterError('(run topoplan --help for usage)');
  let code: number;
  try {
    await registerCommands(program, ctx, argv);
    await program.parseAsync([...argv], { from: 'user' });
    code = ctx.exitCode;
  } catch (e) {
    code = e instanceof CommanderError ? (e.exitCode === 0 ? EXIT_OK : EXIT_USAGE) : Math.max(ctx.exitCode, failure(ctx, e));
    if (ctx.jsonCommand && !(e instanceof CommanderError)) ctx.out(failureEnvelope(ctx.jsonCommand, diagnosticsOf(e)));
  }
  if (!ctx.signal.aborted) return { code };
  const reason = ctx.signal.reason as unknown;
  const cause = reason instanceof StopReason ? reason.stopCause : 'abort';
  const what = reason instanceof StopReason ? (cause === 'EPIPE' ? 'standard output was closed' : `stopped by ${cause}`) : 'stopped';
  return {
    code: cause === 'abort' ? Math.max(code, 1) : STOP_EXIT[cause],
    stopped: { cause, line: `topoplan: ${what}${ctx.stopDetail ? `: ${ctx.stopDetail}` : ''}` },
  };
}
