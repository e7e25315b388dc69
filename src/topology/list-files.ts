/**
 * Lists a migration set's files: include/exclude globs on names, in sqlx's
 * order (numeric version prefixes compared as numbers), with the engine a
 * file is declared to have.
 *
 * @example
 * sqlxOrder(['10_c.sql', '2_b.sql', '1_a.sql']) // ['1_a.sql', '2_b.sql', '10_c.sql']
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import type { EngineName } from '../sql/effects.js';
import type { MigrationFile } from './model.js';

export const DEFAULT_INCLUDE = ['*.sql', '*.cypher', '*.cql'];

export function sqlxOrder(names: readonly string[]): string[] {
  // Each name's version is read once, not at every comparison.
  const keyed = names.map((name) => {
    const m = /^(\d+)/.exec(name);
    return { name, version: m ? BigInt(m[1]!) : undefined };
  });
  keyed.sort((a, b) => {
    const va = a.version;
    const vb = b.version;
    if (va !== undefined && vb !== undefined && va !== vb) return va < vb ? -1 : 1;
    if ((va === undefined) !== (vb === undefined)) return va === undefined ? 1 : -1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return keyed.map((k) => k.name);
}

export function listFiles(absDir: string, root: string, include: readonly string[], exclude: readonly string[], engines: Readonly<Record<string, EngineName>>): MigrationFile[] {
  const inc = picomatch([...include]);
  const exc = exclude.length ? picomatch([...exclude]) : () => false;
  const declaredBy = Object.entries(engines).map(([glob, engine]) => ({ matches: picomatch(glob), engine }));
  // The directory listing says which entries are files; only symbolic links need a stat to follow them.
  const names = readdirSync(absDir, { withFileTypes: true })
    .filter((d) => inc(d.name) && !exc(d.name) && (d.isFile() || (d.isSymbolicLink() && statSync(join(absDir, d.name)).isFile())))
    .map((d) => d.name);
  return sqlxOrder(names).map((name) => {
    const absPath = join(absDir, name);
    const declared = declaredBy.find((d) => d.matches(name))?.engine ?? (/\.(cypher|cql)$/i.test(name) ? 'neo4j' : undefined);
    return { file: relative(root, absPath).split('\\').join('/'), absPath, name, ...(declared ? { declaredEngine: declared } : {}) };
  });
}
