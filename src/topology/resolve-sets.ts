/**
 * Resolves the `sets:` of a topology: each set's directory (inside the root
 * unless allowed), its files in order with their reverts, its convention, its
 * placeholders. Names a set's own tools would reject are reported here, before
 * anything is parsed: a `ledger: sqlx` or `convention: sqlx` set holding a file
 * sqlx cannot read is an error naming the file.
 *
 * @example
 * const sets = resolveSets(raw, root, setOwner, services, env, pos, diagnostics);
 * sets.get('app')!.files[0]!.revert // { file: 'app/001_t.down.sql', ... }
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors.js';
import type { EngineName } from '../sql/effects.js';
import { DEFAULT_INCLUDE, flywayUndoVersion, listFiles } from './list-files.js';
import type { MigrationFile, MigrationSet, Service, SourcePos, Store } from './model.js';
import { nearest } from './validate-schema.js';
import type { RawTopology } from './raw.js';
import { setTemplates } from './set-templates.js';
import { readSqlxName } from './sqlx-name.js';

type Pos = (path: (string | number)[], key?: boolean) => SourcePos;

export function resolveSets(
  raw: RawTopology,
  root: string,
  setOwner: ReadonlyMap<string, readonly string[]>,
  services: ReadonlyMap<string, Service>,
  stores: ReadonlyMap<string, Store>,
  env: Record<string, string | undefined>,
  pos: Pos,
  ds: Diagnostic[],
): Map<string, MigrationSet> {
  const err = (code: string, message: string, p: SourcePos, hint: string, severity: 'error' | 'warning' = 'error') =>
    ds.push(diagnostic({ code, severity, message, file: p.file, line: p.line, column: p.column, hint }));
  const sets = new Map<string, MigrationSet>();
  // Every set is checked against the same root: its real path is taken once.
  let realRoot: string | undefined;
  const rootReal = () => (realRoot ??= realpathSync(root));
  for (const [name, s] of Object.entries(raw.sets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const absDir = resolvePath(root, s.dir);
    const p = pos(['sets', name, 'dir']);
    if (!s.shared && !setOwner.has(name)) err('topology.unused_set', `topology: set "${name}" is run by no service and is not shared`, pos(['sets', name], true), `list it in a service's sets:, or mark it shared: true`, 'warning');
    let files: MigrationFile[] = [];
    let notRun: MigrationSet['notRun'] = [];
    const outside = !s.allowOutsideRoot && leavesRoot(root, rootReal, absDir);
    if (outside) {
      err('topology.outside_root', `topology: set "${name}" directory "${s.dir}" is outside the topology's root "${root}"${outside === 'link' ? ' (through a symbolic link)' : ''}`, p, `keep migrations under the root (root: in the topology), or allow this set to read from there:\nsets:\n  ${name}: { dir: ${s.dir}, allowOutsideRoot: true }`);
    } else if (!existsSync(absDir) || !statSync(absDir).isDirectory()) {
      err('topology.missing_dir', `topology: set "${name}" directory "${s.dir}" does not exist (looked in ${absDir})`, p, `fix dir: (relative to root "${raw.root ?? '.'}"), or create the directory`);
    } else {
      const listed = listFiles(absDir, root, { include: s.include ?? DEFAULT_INCLUDE, exclude: s.exclude ?? [], engines: (s.engines ?? {}) as Record<string, EngineName>, suffixes: s.suffixes ?? {}, ...(s.versions ? { versions: s.versions } : {}) });
      // A file (or version directory) that is a symbolic link leads out of the root as a dir: outside it does, and is held to the same rule.
      const away = s.allowOutsideRoot ? [] : listed.links.filter((l) => leavesRoot(root, rootReal, l) === 'link');
      for (const l of away) {
        err('topology.outside_root', `topology: set "${name}" reads "${relative(root, l).split(sep).join('/')}" through a symbolic link to "${realpathSync(l)}", outside the topology's root "${root}"; it is not read`, p, `keep migrations under the root (root: in the topology), or allow this set to read from there:\nsets:\n  ${name}: { dir: ${s.dir}, allowOutsideRoot: true }`);
      }
      for (const b of listed.broken) {
        err('topology.broken_link', `topology: set "${name}" holds "${relative(root, b).split(sep).join('/')}", a symbolic link that leads nowhere; it is not read`, p, 'point the link at the migration file it stands for, or remove it', 'warning');
      }
      const within = (f: { readonly absPath: string }) => !away.some((l) => f.absPath === l || f.absPath.startsWith(l + sep));
      files = listed.files.filter(within).map((f) => {
        if (!f.revert || within(f.revert)) return f;
        const { revert: _outside, ...kept } = f;
        return kept;
      });
      const orphans = listed.orphanReverts.filter(within);
      notRun = listed.notRun.filter(within).map((f) => ({ file: f.file, name: f.name, reason: f.reason }));
      if (notRun.length > 0) notRunWarning(name, s.dir, notRun, pos(['sets', name], true), ds);
      if (listed.outsideVersions.length > 0) err('topology.outside_versions', `topology: set "${name}" reads version directories (versions: subdirs), so ${listed.outsideVersions.map((f) => `"${f}"`).join(', ')} beside them ${listed.outsideVersions.length === 1 ? 'is' : 'are'} in no version and not read`, pos(['sets', name, 'versions']), 'move each file into the version directory it belongs to, or read it with a set of its own', 'warning');
      if (files.length === 0) err('topology.empty_set', `topology: set "${name}" has no migration files in "${s.dir}"`, p, `check include: globs (default ${DEFAULT_INCLUDE.join(', ')})`, 'warning');
      // A down file with no up file is never run: the plan lists it with the files it does not apply.
      notRun = [...notRun, ...orphans.map((o) => ({ file: o.file, name: o.name, reason: flywayUndoVersion(o.name.split('/').pop()!) !== undefined ? 'a Flyway undo file (a revert) with no versioned file of its version: never run forward' : 'a down file (a revert) with no up file beside it: never run forward' }))];
      for (const o of orphans) {
        const undo = flywayUndoVersion(o.name.split('/').pop()!);
        const what = undo !== undefined ? `a Flyway undo file (a revert) with no versioned file V${undo}__*.sql beside it` : 'a down file (a revert) with no up file beside it';
        ds.push(diagnostic({ code: 'topology.revert_without_up', severity: 'warning', message: `topology: "${o.file}" is ${what}: it is never run`, file: o.file, line: 1, hint: undo !== undefined ? `give the migration it undoes the version ${undo} (V${undo}__name.sql), or remove the undo file` : `name its forward migration ${o.name.replace(/\.down\./, '.up.')}, or remove the down file` }));
      }
      const service = setOwner.has(name) ? services.get(setOwner.get(name)![0]!) : undefined;
      if (s.convention === 'sqlx' || service?.ledger === 'sqlx') {
        // sqlx's names decide which files count: one it ignores is no migration, here as there.
        const ignored = checkSqlxNames(name, files, orphans, service?.ledger === 'sqlx', ds);
        if (ignored.size > 0) {
          notRun = [...notRun, ...files.filter((f) => ignored.has(f.file)).map((f) => ({ file: f.file, name: f.name, reason: 'sqlx does not count it as a migration (its name has no "_" between version and description): never run' }))];
          files = files.filter((f) => !ignored.has(f.file));
        }
      }
    }
    const templates = setTemplates(name, s, env, pos, ds);
    for (const [engine, store] of Object.entries(s.stores ?? {})) {
      const at = pos(['sets', name, 'stores', engine]);
      const st = stores.get(store!);
      const near = nearest(store!, [...stores.keys()]);
      if (!s.shared) err('topology.set_stores', `topology: set "${name}" names stores but is not shared`, at, `a service's set runs in its service's stores: remove stores:, or mark the set shared: true`);
      else if (!st) err('topology.unknown_store', `topology: set "${name}" uses store "${store}" which is not declared`, at, near ? `did you mean "${near}"?` : `declare it under stores:\nstores:\n  ${store}: { engine: ${engine}, database: ${store} }`);
      else if (st.engine !== engine) err('topology.store_engine', `topology: set "${name}" uses store "${store}" for ${engine}, but it is a ${st.engine} store`, at, `use a ${engine} store here, or put "${store}" under stores: { ${st.engine}: ${store} }`);
    }
    const set: MigrationSet = {
      name,
      dir: s.dir,
      absDir,
      shared: !!s.shared,
      defaultStores: s.shared ? (s.stores ?? {}) : {},
      allowOutsideRoot: !!s.allowOutsideRoot,
      ...(setOwner.has(name) ? { service: setOwner.get(name)![0]! } : {}),
      ...(s.convention ? { convention: s.convention } : {}),
      after: s.after ?? [],
      ...(s.versions ? { versions: s.versions } : {}),
      files,
      notRun,
      ...templates,
      pos: p,
    };
    sets.set(name, set);
    // A set several services run (a common schema in every database) is read once per service, each on its own stores.
    const runners = setOwner.get(name) ?? [];
    for (const other of runners.slice(1)) sets.set(`${name}@${other}`, { ...set, service: other });
    checkStoresApart(name, runners, services, pos, ds);
  }
  checkAfter(sets, pos, ds);
  const declared = Object.keys(raw.sets ?? {}).length;
  if (declared > 0 && [...sets.values()].every((set) => set.files.length === 0) && !ds.some((d) => d.code === 'topology.missing_dir' || d.code === 'topology.outside_root')) {
    err('topology.no_migrations', `topology: its ${declared} set${declared === 1 ? '' : 's'} hold${declared === 1 ? 's' : ''} no migration file at all: nothing would be planned`, pos(['sets'], true), `check each set's dir: and include: globs (default ${DEFAULT_INCLUDE.join(', ')})`);
  }
  return sets;
}

/** Services that run one set must not share a store: the set would run twice in one database. */
function checkStoresApart(set: string, runners: readonly string[], services: ReadonlyMap<string, Service>, pos: Pos, ds: Diagnostic[]): void {
  const seen = new Map<string, string>();
  for (const r of runners) {
    for (const store of Object.values(services.get(r)?.stores ?? {})) {
      const first = seen.get(store!);
      if (first === undefined) {
        seen.set(store!, r);
        continue;
      }
      const p = pos(['services', r, 'sets']);
      ds.push(diagnostic({ code: 'topology.set_reused', severity: 'error', message: `topology: set "${set}" is run by both "${first}" and "${r}" on store "${store}": its migrations would run twice in one database`, file: p.file, line: p.line, column: p.column, hint: 'a set several services run goes to each service\'s own stores: give them different stores, or list the set under one of them' }));
    }
  }
}

/** `after:` names sets that exist, and the order it makes has no cycle. */
function checkAfter(sets: ReadonlyMap<string, MigrationSet>, pos: Pos, ds: Diagnostic[]): void {
  for (const set of sets.values()) {
    set.after.forEach((a, i) => {
      if (sets.has(a) && a !== set.name) return;
      const p = pos(['sets', set.name, 'after', i]);
      ds.push(diagnostic({ code: 'topology.unknown_set', severity: 'error', message: a === set.name ? `topology: set "${set.name}" says it runs after itself` : `topology: set "${set.name}" runs after set "${a}" which is not declared`, file: p.file, line: p.line, column: p.column, hint: `after: lists other sets of the topology: ${[...sets.keys()].filter((n) => n !== set.name).join(', ') || '(none)'}` }));
    });
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const p = pos(['sets', name, 'after']);
      ds.push(diagnostic({ code: 'topology.after_cycle', severity: 'error', message: `topology: "after:" orders sets in a circle: ${cycle.join(' → ')}`, file: p.file, line: p.line, column: p.column, hint: 'remove one of these after: entries' }));
      return;
    }
    state.set(name, 'open');
    for (const a of sets.get(name)?.after ?? []) if (sets.has(a) && a !== name) visit(a, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of [...sets.keys()].sort()) visit(name, []);
}

function notRunWarning(set: string, dir: string, notRun: MigrationSet['notRun'], p: SourcePos, ds: Diagnostic[]): void {
  const undeclared = [...new Set(notRun.map((f) => /\.sql\.[A-Za-z0-9_]+$/.exec(f.name)?.[0]).filter((x): x is string => !!x && notRun.some((f) => f.name.endsWith(x) && f.reason.includes('not declared'))))].sort();
  const hint = undeclared.length > 0
    ? `declare which engine each suffix is for (another name, such as sqlite, is never run):\nsets:\n  ${set}:\n    dir: ${dir}\n    suffixes: { ${undeclared.map((x) => `"${x}": ${x === '.sql.postgres' ? 'postgres' : x === '.sql.clickhouse' ? 'clickhouse' : x.slice(5)}`).join(', ')} }`
    : 'the plan lists each of them under skipped, with the reason; run what they do yourself where the plan says';
  const list = notRun.slice(0, 5).map((f) => f.name).join(', ') + (notRun.length > 5 ? `, and ${notRun.length - 5} more` : '');
  ds.push(diagnostic({ code: 'topology.not_run', severity: 'warning', message: `topology: set "${set}" holds ${notRun.length} file${notRun.length === 1 ? '' : 's'} topoplan does not run: ${list}`, file: p.file, line: p.line, column: p.column, hint }));
}

/** What sqlx would make of the set's file names: a version it cannot read, a version twice, a file it ignores; returns the files it ignores. */
function checkSqlxNames(set: string, files: readonly MigrationFile[], orphans: readonly MigrationFile[], ledger: boolean, ds: Diagnostic[]): Set<string> {
  const ignored = new Set<string>();
  const why = ledger ? 'its service keeps an sqlx ledger' : 'the set follows the sqlx convention';
  const seen = new Map<string, string>();
  const all = [...files.flatMap((f) => (f.revert ? [f, f.revert] : [f])), ...orphans];
  for (const f of all) {
    const n = readSqlxName(f.name);
    if (n.kind === 'bad_version') {
      ds.push(diagnostic({ code: 'topology.sqlx_version', severity: 'error', message: `topology: sqlx cannot read the version "${n.version}" of "${f.file}" (${n.reason}), and rejects the whole directory of set "${set}"; ${why}`, file: f.file, line: 1, hint: `sqlx reads the name up to the first "_" as a signed 64-bit integer: rename it, e.g. ${f.name.replace(/^[^_]*/, n.version.replace(/[^0-9]/g, '') || '1')}` }));
    } else if (n.kind === 'ignored' && /\.sql$/.test(f.name)) {
      ignored.add(f.file);
      ds.push(diagnostic({ code: 'topology.sqlx_ignored', severity: 'warning', message: `topology: sqlx ignores "${f.file}" (its name has no "_" between version and description), so topoplan does not run it either; ${why}`, file: f.file, line: 1, hint: `to run it, name it <version>_<description>.sql, e.g. 1_${f.name}` }));
    } else if (n.kind === 'migration' && n.type !== 'down') {
      const other = seen.get(n.version);
      if (other) ds.push(diagnostic({ code: 'topology.sqlx_version', severity: 'error', message: `topology: "${other}" and "${f.file}" of set "${set}" have the same sqlx version ${n.version}: sqlx records one row per version`, file: f.file, line: 1, hint: 'give one of them a version of its own' }));
      else seen.set(n.version, f.file);
    }
  }
  return ignored;
}

/** Whether `dir` lies outside `root`: by its path, or once symbolic links are followed. */
function leavesRoot(root: string, rootReal: () => string, dir: string): 'path' | 'link' | false {
  const inside = (r: string, d: string) => {
    const rel = relative(r, d);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (!inside(root, dir)) return 'path';
  try {
    return inside(rootReal(), realpathSync(dir)) ? false : 'link';
  } catch {
    return false;
  }
}
