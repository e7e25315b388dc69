/**
 * Every topoplan command, by name, with the module that declares it. A command line names one command, and
 * only that command's module (and what it imports) is loaded: `topoplan validate` never loads the code of
 * `apply`, `transition` or their engines. A line that names none (`--help`, `help plan`, a typo) loads them
 * all, in this order, so the help lists every command and commander can suggest the one meant.
 *
 * @example
 * await registerCommands(program, ctx, ['validate', 'topoplan.yaml']); // declares `validate` only
 */
import type { CliContext } from './cli-context.js';
import type { Command } from 'commander';

type Register = (program: Command, ctx: CliContext) => void;

/** The commands in the order `--help` lists them, each loading its own declaration. */
export const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['validate', async () => (await import('./validate-command.js')).validateCommand],
  ['plan', async () => (await import('./plan-command.js')).planCommand],
  ['init', async () => (await import('./init-command.js')).initCommand],
  ['apply', async () => (await import('./apply-command.js')).applyCommand],
  ['adopt', async () => (await import('./adopt-command.js')).adoptCommand],
  ['check', async () => (await import('./check-command.js')).checkCommand],
  ['verify', async () => (await import('./verify-command.js')).verifyCommand],
  ['diff', async () => (await import('./diff-command.js')).diffCommand],
  ['status', async () => (await import('./status-command.js')).statusCommand],
  ['transition', async () => (await import('./transition-command.js')).transitionCommand],
  ['unlock', async () => (await import('./unlock-command.js')).unlockCommand],
  ['restore', async () => (await import('./restore-command.js')).restoreCommand],
  ['rollback', async () => (await import('./rollback-command.js')).rollbackCommand],
  ['url', async () => (await import('./url-command.js')).urlCommand],
  ['stop', async () => (await import('./stop-command.js')).stopCommand],
];

/** Declares on `program` the command `argv` names, or every command when it names none. */
export async function registerCommands(program: Command, ctx: CliContext, argv: readonly string[]): Promise<void> {
  // The program itself takes no option but --help and --version, so a command's name can only come first.
  const named = COMMANDS.find(([name]) => name === argv[0]);
  const chosen = named ? [named] : COMMANDS;
  const registers = await Promise.all(chosen.map(([, load]) => load()));
  for (const register of registers) register(program, ctx);
}
