/**
 * `.env` files for `${VAR}` in a topology: the one next to the topology and
 * the one in the working directory, read with Node's own parser (the rules of
 * `process.loadEnvFile`). The environment always wins over both files, and
 * the working directory's file over the topology's; process.env itself is
 * never changed. A missing file is no error; an unreadable one is.
 *
 * @example
 * const env = envWithDotEnv(process.env, ['/repo/topologies', '/repo']);
 * env.NOVA_PG_URL // from /repo/.env unless it is set in the environment
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { TopoplanError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** `env` with the variables of `DIR/.env` for each dir added, earlier dirs losing to later ones, `env` winning over all. */
export function envWithDotEnv(env: Env, dirs: readonly string[]): Env {
  const merged: Record<string, string | undefined> = {};
  const seen = new Set<string>();
  for (const dir of dirs) {
    const file = join(resolve(dir), '.env');
    if (seen.has(file)) continue;
    seen.add(file);
    Object.assign(merged, readDotEnv(file));
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}

function readDotEnv(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    const message = `topoplan: cannot read "${file}": ${(e as Error).message}`;
    throw new TopoplanError('cli.env_file', message, [{ code: 'cli.env_file', severity: 'error', message, file, hint: 'make the .env file readable, or remove it' }]);
  }
  return parseEnv(text) as Record<string, string>;
}
