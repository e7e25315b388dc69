import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliContext } from '../../../src/cli/cli-context.js';
import { embeddedServerOptions, serverUserChoice } from '../../../src/cli/server-user-option.js';
import { beginScratch } from '../../../src/check/scratch-start.js';
import { cli } from '../../helpers/cli.js';

/** Every command that may start embedded PostgreSQL: its own data directory's server, or a check's scratch one. */
const STARTS_POSTGRES = ['apply', 'adopt', 'check', 'verify', 'status', 'diff', 'transition', 'unlock', 'restore', 'url'];

describe('--no-create-server-user', () => {
  it('is taken by every command that may start embedded PostgreSQL', async () => {
    for (const command of STARTS_POSTGRES) {
      const help = await cli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.out, command).toContain('--no-create-server-user');
    }
    for (const command of ['validate', 'plan', 'stop']) expect((await cli([command, '--help'])).out, command).not.toContain('--no-create-server-user');
  });

  it('stands for createServerUser: false, and for nothing without it', () => {
    expect(serverUserChoice({ createServerUser: false })).toEqual({ createServerUser: false });
    expect(serverUserChoice({ createServerUser: true })).toEqual({});
    expect(serverUserChoice({})).toEqual({});
  });

  it('the embedded server\'s notes go to standard error, one line each', () => {
    let err = '';
    const ctx = cliContext({ out: () => {}, err: (t) => (err += t), env: {} });
    const options = embeddedServerOptions(ctx, { createServerUser: false });
    expect(options.createServerUser).toBe(false);
    options.onNote('created the OS user "postgres" (uid 101)');
    expect(err).toBe('topoplan: created the OS user "postgres" (uid 101)\n');
    expect(embeddedServerOptions(ctx, {}).createServerUser).toBeUndefined();
  });

  it('a check\'s scratch directory settles its server user before any server starts, creating none when told not to', async () => {
    const needsUser = process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0;
    if (needsUser) {
      // As root on a machine without the postgres user: refused, saying how to create it, and nothing made.
      await expect(beginScratch({ postgres: false, createServerUser: false })).rejects.toThrow('useradd postgres');
      expect(spawnSync('id', ['-u', 'postgres']).status).not.toBe(0);
      return;
    }
    const told: string[] = [];
    const begun = await beginScratch({ postgres: false, createServerUser: false, onNote: (n) => told.push(n) });
    try {
      expect(begun.notes).toEqual([]);
      expect(told).toEqual([]);
      expect(begun.postgres).toBeUndefined();
    } finally {
      await begun.abandon();
    }
  });
});
