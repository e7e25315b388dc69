import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliContext } from '../../../src/cli/cli-context.js';
import { COMMANDS, registerCommands } from '../../../src/cli/commands.js';
import { cli } from '../../helpers/cli.js';

async function declared(argv: string[]): Promise<string[]> {
  const program = new Command('topoplan');
  await registerCommands(program, cliContext({ out: () => {}, err: () => {} }), argv);
  return program.commands.map((c) => c.name());
}

describe('a command line declares only the command it names', () => {
  it('a named command is the only one declared, whatever follows it', async () => {
    for (const [name] of COMMANDS) expect(await declared([name, '--help'])).toEqual([name]);
    expect(await declared(['plan', 'validate'])).toEqual(['plan']);
  });

  it('a line that names no command declares them all, in the order of the help', async () => {
    const all = COMMANDS.map(([name]) => name);
    for (const argv of [[], ['--help'], ['help', 'plan'], ['--version'], ['pla']]) expect(await declared(argv)).toEqual(all);
  });

  it('each module declares the command it is listed under', async () => {
    for (const [name, load] of COMMANDS) {
      const program = new Command('topoplan');
      (await load())(program, cliContext({ out: () => {}, err: () => {} }));
      expect(program.commands.map((c) => c.name())).toEqual([name]);
    }
  });

  it('every command takes --format json and its alias --json', async () => {
    for (const [name, load] of COMMANDS) {
      const program = new Command('topoplan');
      (await load())(program, cliContext({ out: () => {}, err: () => {} }));
      const options = program.commands[0]!.options;
      expect(options.find((o) => o.long === '--format')?.argChoices, name).toContain('json');
      expect(options.some((o) => o.long === '--json'), name).toBe(true);
    }
  });

  it('the help lists every command, and a mistyped one is still suggested', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const [name] of COMMANDS) expect(help.out).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const typo = await cli(['valdate']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('(Did you mean validate?)');
  });
});
