/**
 * Lists a migration set's files: include/exclude globs on names, in sqlx's
 * order (numeric version prefixes compared as numbers), with the engine a
 * file is declared to have. A down file (`V_desc.down.sql`, golang-migrate's
 * `NNNNNN_name.down.sql`) is never a forward migration: it is the revert of its
 * up file (`.up.sql`), whatever the include globs say; so is a Flyway undo file
 * (`U2__x.sql`), the revert of the versioned file of its version (`V2__y.sql`).
 * Flyway's repeatable files (`R__x.sql`), when included, have no version: they
 * come after the versioned ones, by name, as Flyway runs them.
 *
 * @example
 * sqlxOrder(['10_c.sql', '2_b.sql', '1_a.sql']) // ['1_a.sql', '2_b.sql', '10_c.sql']
 * sqlxOrder(['V10__c.sql', 'V2__b.sql'])        // ['V2__b.sql', 'V10__c.sql'] (Flyway)
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { EngineName } from '../sql/effects.js';
import type { MigrationFile } from './model.js';

export const DEFAULT_INCLUDE = ['*.sql', '*.cypher', '*.cql'];

export function sqlxOrder(names: readonly string[]): string[] {
  // Each name's version is read once, not at every comparison.
  const keyed = names.map((name) => {
    // Flyway's versioned files (`V2__add.sql`) count by the number after the `V`, so V10 comes after V2.
    const m = /^(?:V(?=\d+(?:[._]\d+)*__))?(\d+)/.exec(name);
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

/** Flyway's versioned (`V`) and undo (`U`) file names, the version captured. */
const FLYWAY = { V: /^V(\d+(?:[._]\d+)*)__.+\.sql$/i, U: /^U(\d+(?:[._]\d+)*)__.+\.sql$/i } as const;

/** The version of a Flyway file of this kind (`V2__x.sql` → `2`, `U1.1__x.sql` → `1.1`); undefined for any other name. */
function flywayVersion(kind: keyof typeof FLYWAY, name: string): string | undefined {
  return FLYWAY[kind].exec(name)?.[1];
}

/** The version of a Flyway undo file (`U2__x.sql` → `2`, `U1.1__x.sql` → `1.1`); undefined for any other name. */
export function flywayUndoVersion(name: string): string | undefined {
  return flywayVersion('U', name);
}

/** Whether a name is a revert, never a forward migration: a down file or a Flyway undo file. */
function isRevertName(name: string): boolean {
  return upFileOf(name) !== undefined || flywayUndoVersion(name) !== undefined;
}

export interface ListOptions {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Engine of files by glob. */
  readonly engines: Readonly<Record<string, EngineName>>;
  /** Engine of files by suffix (`.sql.postgres: postgres`); another engine name (`sqlite`) = never run. */
  readonly suffixes: Readonly<Record<string, string>>;
  /** `subdirs`: each subdirectory is a version, in numeric order; files by name inside. */
  readonly versions?: 'subdirs';
}

export interface ListedFiles {
  /** Forward migrations in order, each with its revert when it has a down file. */
  readonly files: MigrationFile[];
  /** Down files whose up file is not in the set: never run. */
  readonly orphanReverts: MigrationFile[];
  /** Files in the set's directories that topoplan cannot run (another language, another engine), with why. */
  readonly notRun: (MigrationFile & { readonly reason: string })[];
  /** Files beside the version directories of a `versions: subdirs` set: in no version, so not read. */
  readonly outsideVersions: string[];
  /** Entries read through a symbolic link (a file, or a version directory), absolute: the topology checks where each leads. */
  readonly links: string[];
  /** Symbolic links that lead nowhere (absolute): not read. */
  readonly broken: string[];
}

const ENGINES: readonly string[] = ['postgres', 'clickhouse', 'neo4j'];

/** Languages a migration directory may hold besides SQL, which topoplan does not run. */
const PROGRAMS: Readonly<Record<string, string>> = { py: 'Python', js: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript', ts: 'TypeScript', go: 'Go', rb: 'Ruby', sh: 'shell', bash: 'shell', pl: 'Perl', java: 'Java', kt: 'Kotlin', rs: 'Rust', php: 'PHP', lua: 'Lua', groovy: 'Groovy', scala: 'Scala' };

export function listFiles(absDir: string, root: string, options: ListOptions): ListedFiles {
  if (options.versions !== 'subdirs') return { ...listDir(absDir, root, '', options), outsideVersions: [] };
  const entries = readdirSync(absDir, { withFileTypes: true });
  const isDir = (d: (typeof entries)[number]) => d.isDirectory() || (d.isSymbolicLink() && !!statSync(join(absDir, d.name), { throwIfNoEntry: false })?.isDirectory());
  // Only files that would be migrations, or steps in another language, are worth a word (not a README).
  const inc = picomatch([...options.include]);
  const stray = (name: string) => inc(name) || notRunReason(name, Object.entries(options.suffixes).find(([x]) => name.endsWith(x))) !== undefined;
  const out: ListedFiles = { files: [], orphanReverts: [], notRun: [], outsideVersions: entries.filter((d) => !isDir(d) && stray(d.name)).map((d) => d.name).sort(), links: [], broken: [] };
  const linkedVersions = new Set(entries.filter((d) => d.isSymbolicLink()).map((d) => d.name));
  for (const version of sqlxOrder(entries.filter(isDir).map((d) => d.name))) {
    const one = listDir(join(absDir, version), root, `${version}/`, options);
    out.files.push(...one.files);
    out.orphanReverts.push(...one.orphanReverts);
    out.notRun.push(...one.notRun);
    out.links.push(...(linkedVersions.has(version) ? [join(absDir, version)] : one.links));
    out.broken.push(...one.broken);
  }
  return out;
}

/** One directory; `prefix` is its path within the set (`54/`), put before each file's name. */
function listDir(dir: string, root: string, prefix: string, options: ListOptions): Omit<ListedFiles, 'outsideVersions'> {
  const links: string[] = [];
  const broken: string[] = [];
  const linkedFile = (path: string) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) broken.push(path);
    else if (st.isFile()) links.push(path);
    return !!st?.isFile();
  };
  const inc = picomatch([...options.include]);
  const exc = options.exclude.length ? picomatch([...options.exclude]) : () => false;
  const excluded = (base: string) => exc(base) || (prefix !== '' && exc(prefix + base));
  const declaredBy = Object.entries(options.engines).map(([glob, engine]) => ({ matches: picomatch(glob), engine }));
  const suffixes = Object.entries(options.suffixes).sort(([a], [b]) => b.length - a.length);
  const suffixOf = (base: string) => suffixes.find(([suffix]) => base.endsWith(suffix));
  // The directory listing says which entries are files; only symbolic links need a stat to follow them.
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => !excluded(d.name) && (d.isFile() || (d.isSymbolicLink() && linkedFile(join(dir, d.name)))))
    .map((d) => d.name);
  // path.relative() resolves both paths on every call: the directory's is taken once and each name put after it.
  const relDir = relative(root, dir);
  const toFile = (base: string, engine?: EngineName): MigrationFile => {
    const absPath = join(dir, base);
    const name = prefix + base;
    const declared = engine ?? declaredBy.find((d) => d.matches(base) || d.matches(name))?.engine ?? (/\.(cypher|cql)$/i.test(base) ? 'neo4j' : undefined);
    return { file: (relDir === '' ? base : `${relDir}${sep}${base}`).split('\\').join('/'), absPath, name, ...(declared ? { declaredEngine: declared } : {}) };
  };
  const taken = (base: string) => inc(base) || (suffixOf(base) !== undefined && ENGINES.includes(suffixOf(base)![1]));
  const downOf = new Map<string, string>();
  const versioned = new Map(names.map((n) => [flywayVersion('V', n), n] as const).filter(([v]) => v !== undefined));
  for (const n of names) {
    const up = upFileOf(n) ?? versioned.get(flywayUndoVersion(n));
    if (up) downOf.set(up, n);
  }
  const order = prefix === '' ? sqlxOrder : (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const paired = new Set<string>();
  const files = order(names.filter((n) => taken(n) && !isRevertName(n))).map((base) => {
    const suffix = suffixOf(base);
    const file = toFile(base, suffix && ENGINES.includes(suffix[1]) ? (suffix[1] as EngineName) : undefined);
    const down = downOf.get(base);
    if (!down) return file;
    paired.add(down);
    const r = toFile(down);
    return { ...file, revert: { file: r.file, absPath: r.absPath, name: r.name } };
  });
  const orphanReverts = order(names.filter((n) => isRevertName(n) && taken(n) && !paired.has(n))).map((n) => toFile(n));
  const notRun: ListedFiles['notRun'] = [];
  for (const base of order(names.filter((n) => !taken(n) && !isRevertName(n)))) {
    const reason = notRunReason(base, suffixOf(base));
    if (reason) notRun.push({ ...toFile(base), reason });
  }
  return { files, orphanReverts, notRun, links, broken };
}

/** Why a file the set does not take is still worth listing; undefined for files that are no migration (README.md). */
function notRunReason(base: string, suffix: [string, string] | undefined): string | undefined {
  if (suffix) return `written for ${suffix[1]} (suffix "${suffix[0]}"), which is not an engine of this topology: never run`;
  const engineSuffix = /\.sql\.([A-Za-z0-9_]+)$/.exec(base);
  if (engineSuffix) return `engine suffix ".sql.${engineSuffix[1]}" is not declared for the set (suffixes:), so it is not run`;
  const ext = /\.([A-Za-z0-9]+)$/.exec(base)?.[1]?.toLowerCase();
  const language = ext ? PROGRAMS[ext] : undefined;
  return language ? `a ${language} file: topoplan runs SQL and Cypher only; run it yourself at this point of the order` : undefined;
}
