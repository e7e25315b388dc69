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
  const version = (n: string) => {
    const m = /^(\d+)/.exec(n);
    return m ? BigInt(m[1]!) : undefined;
  };
  return [...names].sort((a, b) => {
    const va = version(a);
    const vb = version(b);
    if (va !== undefined && vb !== undefined && va !== vb) return va < vb ? -1 : 1;
    if ((va === undefined) !== (vb === undefined)) return va === undefined ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function listFiles(absDir: string, root: string, include: readonly string[], exclude: readonly string[], engines: Readonly<Record<string, EngineName>>): MigrationFile[] {
  const inc = picomatch([...include]);
  const exc = exclude.length ? picomatch([...exclude]) : () => false;
  const names = readdirSync(absDir).filter((n) => inc(n) && !exc(n) && statSync(join(absDir, n)).isFile());
  return sqlxOrder(names).map((name) => {
    const absPath = join(absDir, name);
    const declared = Object.entries(engines).find(([glob]) => picomatch(glob)(name))?.[1] ?? (/\.(cypher|cql)$/i.test(name) ? 'neo4j' : undefined);
    return { file: relative(root, absPath).split('\\').join('/'), absPath, name, ...(declared ? { declaredEngine: declared } : {}) };
  });
}
