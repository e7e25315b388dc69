/**
 * Finds the migration directories of a repository: every directory holding
 * numbered migration files (`001_x.sql`, `20240105093000_x.sql`,
 * `000001_x.up.sql`, Flyway's `V1__x.sql`, `001_x.cypher`), and every
 * directory whose numbered subdirectories are schema versions (`delta/71/`,
 * `delta/72/`), which is one set with `versions: subdirs`. Dependency,
 * build and hidden directories are not searched. Symbolic links are
 * followed, each real directory searched once: a link to a directory the
 * search reaches anyway is left to its real path, and a link that leads out
 * of the repository (migrations shared by several repositories) says where.
 *
 * @example
 * findMigrationDirs('examples/nova').map((d) => d.dir)
 * // ['backend/migrations', 'content-service/migrations', 'feature-store/clickhouse', ...]
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { readDirConvention, type DirConvention } from './dir-convention.js';

export interface MigrationDir {
  /** Path relative to the searched root, `/` separated; `.` for the root itself. */
  readonly dir: string;
  /** Set when the directory's numbered subdirectories are its versions. */
  readonly versions?: 'subdirs';
  /** How its files are named and what their comments say (see dir-convention.ts). */
  readonly convention: DirConvention;
  /** Where a symbolic link on its path leads, when that is outside the searched root. */
  readonly outside?: string;
}

/** Directories that hold dependencies or build output, never a project's own migrations. */
const NOT_SEARCHED: ReadonlySet<string> = new Set(['node_modules', 'vendor', 'target', 'dist', 'build', 'out', '__pycache__', 'venv']);

/** A file name a migration tool would run: a version first (digits, or Flyway's `V1__`), then SQL or Cypher. */
export function isMigrationName(name: string): boolean {
  return /^(?:\d+|V\d+(?:[._]\d+)*__).*\.(?:sql|cypher|cql)$/i.test(name) || /^\d+.*\.sql\.[A-Za-z0-9_]+$/.test(name);
}

export function findMigrationDirs(root: string): MigrationDir[] {
  const out: MigrationDir[] = [];
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const visit = (abs: string) => {
    const real = realpathSync(abs);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = readdirSync(abs, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile() || (e.isSymbolicLink() && kind(join(abs, e.name)) === 'file')).map((e) => e.name);
    const dirs = entries.filter((e) => !e.name.startsWith('.') && !NOT_SEARCHED.has(e.name) && (e.isDirectory() || (e.isSymbolicLink() && linkToSearch(join(abs, e.name), realRoot))));
    const dir = relative(root, abs).split('\\').join('/') || '.';
    const outside = inside(realRoot, real) ? {} : { outside: real };
    const versionDirs = dirs.filter((d) => /^\d+$/.test(d.name) && holdsSql(join(abs, d.name)));
    if (versionDirs.length > 0 && !files.some(isMigrationName)) {
      const inVersions = versionDirs.flatMap((d) => readdirSync(join(abs, d.name)).map((name) => ({ dir: join(abs, d.name), name })));
      out.push({ dir, versions: 'subdirs', convention: readDirConvention(abs, inVersions, root), ...outside });
      // The versions are the set; other subdirectories may still hold sets of their own.
      for (const d of dirs) if (!versionDirs.includes(d)) visit(join(abs, d.name));
      return;
    }
    if (files.some(isMigrationName)) out.push({ dir, convention: readDirConvention(abs, files.map((name) => ({ dir: abs, name })), root), ...outside });
    for (const d of sortedByName(dirs)) visit(join(abs, d.name));
  };
  visit(root);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

function kind(abs: string): 'file' | 'dir' | undefined {
  try {
    const st = statSync(abs);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined; // a dangling link
  }
}

function inside(root: string, abs: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * A link to a directory is searched unless the search reaches its target by its real path anyway: a target
 * inside the root none of whose parts is hidden or a dependency directory.
 */
function linkToSearch(abs: string, realRoot: string): boolean {
  if (kind(abs) !== 'dir') return false;
  const real = realpathSync(abs);
  if (!inside(realRoot, real)) return true;
  return relative(realRoot, real).split(sep).some((p) => p.startsWith('.') || NOT_SEARCHED.has(p));
}

function holdsSql(abs: string): boolean {
  return readdirSync(abs).some((n) => /\.(?:sql|cypher|cql)$|\.sql\.[A-Za-z0-9_]+$/i.test(n));
}

function sortedByName(dirs: Dirent[]): Dirent[] {
  return [...dirs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
