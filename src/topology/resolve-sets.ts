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
import { DEFAULT_INCLUDE, listFiles } from './list-files.js';
import type { MigrationFile, MigrationSet, Service, SourcePos, Store } from './model.js';
import { nearest } from './validate-schema.js';
import type { RawTopology } from './raw.js';
import { setTemplates } from './set-templates.js';
import { readSqlxName } from './sqlx-name.js';

type Pos = (path: (string | number)[], key?: boolean) => SourcePos;

export function resolveSets(
  raw: RawTopology,
  root: string,
  setOwner: ReadonlyMap<string, string>,
  services: ReadonlyMap<string, Service>,
  stores: ReadonlyMap<string, Store>,
  env: Record<string, string | undefined>,
  pos: Pos,
  ds: Diagnostic[],
): Map<string, MigrationSet> {
  const err = (code: string, message: string, p: SourcePos, hint: string, severity: 'error' | 'warning' = 'error') =>
    ds.push(diagnostic({ code, severity, message, file: p.file, line: p.line, column: p.column, hint }));
  const sets = new Map<string, MigrationSet>();
  for (const [name, s] of Object.entries(raw.sets ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const absDir = resolvePath(root, s.dir);
    const p = pos(['sets', name, 'dir']);
    if (!s.shared && !setOwner.has(name)) err('topology.unused_set', `topology: set "${name}" is run by no service and is not shared`, pos(['sets', name], true), `list it in a service's sets:, or mark it shared: true`, 'warning');
    let files: MigrationFile[] = [];
    const outside = !s.allowOutsideRoot && leavesRoot(root, absDir);
    if (outside) {
      err('topology.outside_root', `topology: set "${name}" directory "${s.dir}" is outside the topology's root "${root}"${outside === 'link' ? ' (through a symbolic link)' : ''}`, p, `keep migrations under the root (root: in the topology), or allow this set to read from there:\nsets:\n  ${name}: { dir: ${s.dir}, allowOutsideRoot: true }`);
    } else if (!existsSync(absDir) || !statSync(absDir).isDirectory()) {
      err('topology.missing_dir', `topology: set "${name}" directory "${s.dir}" does not exist (looked in ${absDir})`, p, `fix dir: (relative to root "${raw.root ?? '.'}"), or create the directory`);
    } else {
      const listed = listFiles(absDir, root, s.include ?? DEFAULT_INCLUDE, s.exclude ?? [], (s.engines ?? {}) as Record<string, EngineName>);
      files = listed.files;
      if (files.length === 0) err('topology.empty_set', `topology: set "${name}" has no migration files in "${s.dir}"`, p, `check include: globs (default ${DEFAULT_INCLUDE.join(', ')})`, 'warning');
      for (const o of listed.orphanReverts) {
        ds.push(diagnostic({ code: 'topology.revert_without_up', severity: 'warning', message: `topology: "${o.file}" is a down file (a revert) with no up file beside it: it is never run`, file: o.file, line: 1, hint: `name its forward migration ${o.name.replace(/\.down\./, '.up.')}, or remove the down file` }));
      }
      const service = setOwner.has(name) ? services.get(setOwner.get(name)!) : undefined;
      if (s.convention === 'sqlx' || service?.ledger === 'sqlx') checkSqlxNames(name, files, listed.orphanReverts, service?.ledger === 'sqlx', ds);
    }
    const templates = setTemplates(name, s, env, pos, ds);
    sets.set(name, {
      name,
      dir: s.dir,
      absDir,
      shared: !!s.shared,
      defaultStores: s.shared ? (s.stores ?? {}) : {},
      allowOutsideRoot: !!s.allowOutsideRoot,
      ...(setOwner.has(name) ? { service: setOwner.get(name)! } : {}),
      ...(s.convention ? { convention: s.convention } : {}),
      files,
      ...templates,
      pos: p,
    });
  }
  return sets;
}

/** What sqlx would make of the set's file names: a version it cannot read, a version twice, a file it ignores. */
function checkSqlxNames(set: string, files: readonly MigrationFile[], orphans: readonly MigrationFile[], ledger: boolean, ds: Diagnostic[]): void {
  const why = ledger ? 'its service keeps an sqlx ledger' : 'the set follows the sqlx convention';
  const seen = new Map<string, string>();
  const all = [...files.flatMap((f) => (f.revert ? [f, f.revert] : [f])), ...orphans];
  for (const f of all) {
    const n = readSqlxName(f.name);
    if (n.kind === 'bad_version') {
      ds.push(diagnostic({ code: 'topology.sqlx_version', severity: 'error', message: `topology: sqlx cannot read the version "${n.version}" of "${f.file}" (${n.reason}), and rejects the whole directory of set "${set}"; ${why}`, file: f.file, line: 1, hint: `sqlx reads the name up to the first "_" as a signed 64-bit integer: rename it, e.g. ${f.name.replace(/^[^_]*/, n.version.replace(/[^0-9]/g, '') || '1')}` }));
    } else if (n.kind === 'ignored' && /\.sql$/.test(f.name)) {
      ds.push(diagnostic({ code: 'topology.sqlx_ignored', severity: 'warning', message: `topology: sqlx ignores "${f.file}" (its name has no "_" between version and description), but topoplan runs it; no _sqlx_migrations row records it`, file: f.file, line: 1, hint: `name it <version>_<description>.sql, e.g. 1_${f.name}` }));
    } else if (n.kind === 'migration' && n.type !== 'down') {
      const other = seen.get(n.version);
      if (other) ds.push(diagnostic({ code: 'topology.sqlx_version', severity: 'error', message: `topology: "${other}" and "${f.file}" of set "${set}" have the same sqlx version ${n.version}: sqlx records one row per version`, file: f.file, line: 1, hint: 'give one of them a version of its own' }));
      else seen.set(n.version, f.file);
    }
  }
}

/** Whether `dir` lies outside `root`: by its path, or once symbolic links are followed. */
function leavesRoot(root: string, dir: string): 'path' | 'link' | false {
  const inside = (r: string, d: string) => {
    const rel = relative(r, d);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  if (!inside(root, dir)) return 'path';
  try {
    return inside(realpathSync(root), realpathSync(dir)) ? false : 'link';
  } catch {
    return false;
  }
}
