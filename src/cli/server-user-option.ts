/**
 * `--no-create-server-user`, on every command that may start embedded
 * PostgreSQL: as root, the server runs as the OS user `postgres`, which is
 * created when missing (said so on its own line) unless this flag refuses;
 * then the command fails saying how to create it.
 *
 * @example
 * program.command('status').addOption(serverUserOption())
 * resolveConnections(topology, { dir, ...serverUserChoice(opts) })   // { createServerUser: false } with the flag
 * resolveConnections(topology, { dir, ...embeddedServerOptions(ctx, opts) })   // and its notes on standard error
 */
import { Option } from 'commander';
import pc from 'picocolors';
import type { CliContext } from './cli-context.js';

export function serverUserOption(): Option {
  return new Option('--no-create-server-user', 'as root, do not create the "postgres" OS user embedded PostgreSQL runs as (created by default, and said so)');
}

/** The library option the flag stands for: nothing by default, `createServerUser: false` with the flag. */
export function serverUserChoice(opts: { readonly createServerUser?: boolean }): { createServerUser?: false } {
  return opts.createServerUser === false ? { createServerUser: false } : {};
}

/**
 * The flag's option together with where the embedded server's own notes go: standard error, one line each (the
 * OS user created, where the cluster is kept, a run it waits for), so no command does any of it unsaid.
 */
export function embeddedServerOptions(ctx: CliContext, opts: { readonly createServerUser?: boolean }): { createServerUser?: false; onNote: (line: string) => void } {
  const c = pc.createColors(ctx.colorErr);
  return { ...serverUserChoice(opts), onNote: (line) => ctx.err(c.dim(`topoplan: ${line}`) + '\n') };
}
