/**
 * How every command prints its result: `--format text` (for people) or
 * `--format json` (`--json` is an alias): one JSON document on standard
 * output, a versioned envelope `{"format": "topoplan-<command>/1", ...}`,
 * also when the command fails (then `ok: false` and its diagnostics), so a
 * CI job can always parse what it gets. Progress and diagnostics go to
 * standard error in either format.
 *
 * @example
 * command.addOption(formatOption(['text', 'json'])).addOption(jsonOption());
 * if (outputFormat(ctx, 'status', opts) === 'json') printEnvelope(ctx, 'status', { ok, stores });
 */
import { Option } from 'commander';
import type { Diagnostic } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { emit } from './io.js';

/** Exit code of `--detailed-exitcode` when there are changes or pending steps. */
export const EXIT_CHANGES = 2;

/** `-f, --format <format>` with the given choices, text by default. */
export function formatOption(choices: readonly string[] = ['text', 'json']): Option {
  return new Option('-f, --format <format>', 'output format').choices([...choices]).default('text');
}

/** `--json`: the same as `--format json`. */
export function jsonOption(): Option {
  return new Option('--json', 'the same as --format json');
}

/** `--detailed-exitcode`: exit 2 when there are changes, 0 when there are none, 1 on failure. */
export function detailedExitOption(what: string): Option {
  return new Option('--detailed-exitcode', `exit 2 when ${what}, 0 when not, 1 on failure`);
}

/** The format a command prints in; a JSON command is recorded so that a failure still prints its envelope. */
export function outputFormat(ctx: CliContext, command: string, opts: { readonly format?: string; readonly json?: boolean }): string {
  const format = opts.json ? 'json' : opts.format ?? 'text';
  if (format === 'json') ctx.reportJson(command);
  return format;
}

/** The envelope's format tag of a command. */
export function envelopeFormat(command: string): string {
  return `topoplan-${command}/1`;
}

/** The JSON document of a command's result: the format tag first, then the body, deterministic. */
export function envelope(command: string, body: Readonly<Record<string, unknown>>): string {
  const { format: _own, ...rest } = body;
  return `${JSON.stringify({ format: envelopeFormat(command), ...rest }, null, 2)}\n`;
}

/** Prints a command's envelope to standard output (or `out`). */
export function printEnvelope(ctx: CliContext, command: string, body: Readonly<Record<string, unknown>>, out?: string): void {
  emit(ctx, envelope(command, body), out);
}

/** The envelope of a command that failed before it had a result. */
export function failureEnvelope(command: string, diagnostics: readonly Diagnostic[]): string {
  return envelope(command, { ok: false, diagnostics });
}
