/**
 * Finds the migration directories of a repository: every directory holding
 * numbered migration files (`001_x.sql`, `20240105093000_x.sql`,
 * `000001_x.up.sql`, Flyway's `V1__x.sql`, `001_x.cypher`), and every
 * directory whose numbered subdirectories are schema versions (`delta/71/`,
 * `delta/72/`), which is one set with `versions: subdirs`. Dependency,
 * build and hidden directories are not searched.
 *
 * @example
 * findMigrationDirs('examples/nova').map((d) => d.dir)
 * // ['backend/migrations', 'content-service/migrations', 'feature-store/clickhouse', ...]
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { readDirConvention, type DirConvention } from './dir-convention.js';

export interface MigrationDir {
  /** Path relative to the searched root, `/` separated; `.` for the root itself. */
  readonly dir: string;
  /** Set when the directory's numbered subdirectories are its versions. */
  readonly versions?: 'subdirs';
  /** How its files are named and what their comments say (see dir-convention.ts). */
  readonly convention: DirConvention;
}

/** Directories that hold dependencies or build output, never a project's own migrations. */
const NOT_SEARCHED: ReadonlySet<string> = new Set(['node_modules', 'vendor', 'target', 'dist', 'build', 'out', '__pycache__', 'venv']);

/** A file name a migration tool would run: a version first (digits, or Flyway's `V1__`), then SQL or Cypher. */
export function isMigrationName(name: string): boolean {
  return /^(?:\d+|V\d+(?:[._]\d+)*__).*\.(?:sql|cypher|cql)$/i.test(name) || /^\d+.*\.sql\.[A-Za-z0-9_]+$/.test(name);
}

export function findMigrationDirs(root: string): MigrationDir[] {
  const out: MigrationDir[] = [];
  const visit = (abs: string) => {
    const entries = readdirSync(abs, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_SEARCHED.has(e.name));
    const dir = relative(root, abs).split('\\').join('/') || '.';
    const versionDirs = dirs.filter((d) => /^\d+$/.test(d.name) && holdsSql(join(abs, d.name)));
    if (versionDirs.length > 0 && !files.some(isMigrationName)) {
      const inside = versionDirs.flatMap((d) => readdirSync(join(abs, d.name)).map((name) => ({ dir: join(abs, d.name), name })));
      out.push({ dir, versions: 'subdirs', convention: readDirConvention(abs, inside, root) });
      // The versions are the set; other subdirectories may still hold sets of their own.
      for (const d of dirs) if (!versionDirs.includes(d)) visit(join(abs, d.name));
      return;
    }
    if (files.some(isMigrationName)) out.push({ dir, convention: readDirConvention(abs, files.map((name) => ({ dir: abs, name })), root) });
    for (const d of sortedByName(dirs)) visit(join(abs, d.name));
  };
  visit(root);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

function holdsSql(abs: string): boolean {
  return readdirSync(abs).some((n) => /\.(?:sql|cypher|cql)$|\.sql\.[A-Za-z0-9_]+$/i.test(n));
}

function sortedByName(dirs: Dirent[]): Dirent[] {
  return [...dirs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
