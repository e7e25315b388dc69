/**
 * Lists a migration set's files: include/exclude globs on names, in sqlx's
 * order (numeric version prefixes compared as numbers), with the engine a
 * file is declared to have. A down file (`V_desc.down.sql`, golang-migrate's
 * `NNNNNN_name.down.sql`) is never a forward migration: it is the revert of its
 * up file (`.up.sql`), whatever the include globs say.
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

/** `x.down.sql` → `x.up.sql`; undefined when the name is not a down file. */
export function upFileOf(name: string): string | undefined {
  const m = /^(.+)\.down(\.[A-Za-z0-9]+)$/.exec(name);
  return m ? `${m[1]}.up${m[2]}` : undefined;
}

export interface ListedFiles {
  /** Forward migrations in order, each with its revert when it has a down file. */
  readonly files: MigrationFile[];
  /** Down files whose up file is not in the set: never run. */
  readonly orphanReverts: MigrationFile[];
}

export function listFiles(absDir: string, root: string, include: readonly string[], exclude: readonly string[], engines: Readonly<Record<string, EngineName>>): ListedFiles {
  const inc = picomatch([...include]);
  const exc = exclude.length ? picomatch([...exclude]) : () => false;
  const declaredBy = Object.entries(engines).map(([glob, engine]) => ({ matches: picomatch(glob), engine }));
  // The directory listing says which entries are files; only symbolic links need a stat to follow them.
  const names = readdirSync(absDir, { withFileTypes: true })
    .filter((d) => !exc(d.name) && (inc(d.name) || upFileOf(d.name)) && (d.isFile() || (d.isSymbolicLink() && statSync(join(absDir, d.name)).isFile())))
    .map((d) => d.name);
  const toFile = (name: string): MigrationFile => {
    const absPath = join(absDir, name);
    const declared = declaredBy.find((d) => d.matches(name))?.engine ?? (/\.(cypher|cql)$/i.test(name) ? 'neo4j' : undefined);
    return { file: relative(root, absPath).split('\\').join('/'), absPath, name, ...(declared ? { declaredEngine: declared } : {}) };
  };
  const downOf = new Map<string, string>();
  for (const n of names) {
    const up = upFileOf(n);
    if (up) downOf.set(up, n);
  }
  const forward = sqlxOrder(names.filter((n) => inc(n) && !upFileOf(n)));
  const paired = new Set<string>();
  const files = forward.map((name) => {
    const down = downOf.get(name);
    if (!down) return toFile(name);
    paired.add(down);
    const r = toFile(down);
    return { ...toFile(name), revert: { file: r.file, absPath: r.absPath, name: r.name } };
  });
  const orphanReverts = sqlxOrder(names.filter((n) => upFileOf(n) && inc(n) && !paired.has(n))).map(toFile);
  return { files, orphanReverts };
}
