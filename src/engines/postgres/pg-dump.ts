/**
 * Finds a `pg_dump` able to dump a given server. pg_dump refuses servers of a
 * newer major version (pg_dump 15 cannot dump PostgreSQL 18), so the version
 * is checked up front and the caller falls back to a CSV export when none fits.
 *
 * @example
 * const dump = await findPgDump(18)   // undefined → use exportTableCsv
 * if (dump) await runPgDump(dump, url, 'public.shares', '/backups/shares.sql')
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { quoteQualified } from './postgres-url.js';

const run = promisify(execFile);

export interface PgDump {
  readonly path: string;
  readonly major: number;
}

/** The newest pg_dump on PATH or under /usr/lib/postgresql whose major version is at least `serverMajor`. */
export async function findPgDump(serverMajor: number): Promise<PgDump | undefined> {
  const found: PgDump[] = [];
  for (const candidate of await candidates()) {
    const major = await versionOf(candidate);
    if (major !== undefined) found.push({ path: candidate, major });
  }
  return found.filter((d) => d.major >= serverMajor).sort((a, b) => b.major - a.major)[0];
}

async function candidates(): Promise<string[]> {
  const list = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'pg_dump'));
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  for (const v of versions) list.push(path.join('/usr/lib/postgresql', v, 'bin', 'pg_dump'));
  return [...new Set(list)];
}

async function versionOf(binary: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(binary, ['--version']);
    const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^\d]*/, ''));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Dumps one table (definition and data) to `file`; the password goes through the environment, not argv. */
export async function runPgDump(dump: PgDump, url: string, table: string, file: string): Promise<void> {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  await run(dump.path, ['--no-owner', '--no-privileges', `--table=${quoteQualified(table)}`, `--file=${file}`, `--dbname=${parsed.toString()}`], {
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
}
