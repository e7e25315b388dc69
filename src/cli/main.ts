/**
 * The topoplan command line: a thin shell over the library, and the only
 * place that prints or exits.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, failure } from './io.js';
import { planCommand } from './plan-command.js';
import { validateCommand } from './validate-command.js';
import { registerMoreCommands } from './commands.js';

async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const setExit = (c: number) => {
    code = Math.max(code, c);
  };
  const program = new Command('topoplan')
    .description('plan and apply database migrations for a whole system of services')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run topoplan --help for usage)');
  validateCommand(program, setExit);
  planCommand(program, setExit);
  registerMoreCommands(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    return failure(e);
  }
  return code;
}

process.exitCode = await main(process.argv);
