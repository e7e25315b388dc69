/**
 * Loads a topology: YAML with positions, schema validation of every file in
 * the `extends` chain, merging, then resolution (defaults, environment,
 * directories, files) and semantic checks. Every problem is reported at once.
 *
 * @example
 * const { topology, diagnostics } = await loadTopology('topologies/nova-plan-b.yaml');
 * if (!topology) for (const d of diagnostics) console.error(formatDiagnostic(d));
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import picomatch from 'picomatch';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../errors.js';
import { decodeUtf8 } from '../sql/decode-utf8.js';
import { expandEnv } from './expand-env.js';
import { resolveSets } from './resolve-sets.js';
import { layeredPosition, mergeValues } from './merge.js';
import type { ExpectedObjectKind, Expectation, MigrationSet, Service, SourcePos, Store, Topology } from './model.js';
import type { RawPresence, RawTopology } from './raw.js';
import { nearest, validateSchema } from './validate-schema.js';
import { readCachedSource, writeCachedSource } from './source-cache.js';
import type { YamlSource } from './yaml-source.js';

export interface LoadTopologyOptions {
  /** Environment for `${VAR}` expansion; default process.env. */
  readonly env?: Record<string, string | undefined>;
  /** Reads a topology file; default fs.readFileSync as UTF-8. */
  readonly readFile?: (path: string) => string;
  /** Directory relative paths of an in-memory topology resolve from; default process.cwd(). */
  readonly cwd?: string;
  /**
   * Directory of the parse cache: a topology file whose text is unchanged since a run that used it is
   * read from it, not parsed and validated again (see source-cache.ts); default: no cache.
   */
  readonly cacheDir?: string;
}

export interface LoadResult {
  readonly topology?: Topology;
  readonly diagnostics: Diagnostic[];
}

export async function loadTopology(input: string | { file: string; raw: unknown }, options: LoadTopologyOptions = {}): Promise<LoadResult> {
  const read = options.readFile ?? readTopologyFile;
  const diagnostics: Diagnostic[] = [];
  const layers: YamlSource[] = [];
  const chain: string[] = [];
  let label = typeof input === 'string' ? input : input.file;
  let abs = typeof input === 'string' ? resolvePath(options.cwd ?? process.cwd(), input) : resolvePath(options.cwd ?? process.cwd(), 'topology.yaml');
  let src: YamlSource | undefined = typeof input === 'string' ? undefined : inMemory(input.file, input.raw);
  const baseDir = dirname(abs);
  const seen = new Set<string>();
  // What the cache gave for the file just read (its schema check), or what to keep of its reading once checked.
  let checked: Diagnostic[] | undefined;
  let keep: { dir: string; file: string; text: string } | undefined;
  for (;;) {
    if (!src) {
      if (seen.has(abs)) {
        diagnostics.push(diagnostic({ code: 'topology.extends_cycle', severity: 'error', message: `topology: "extends" goes round in a circle through "${label}"`, file: layers[layers.length - 1]?.file ?? label, line: layers[layers.length - 1]?.position(['extends']).line, hint: 'remove one of the extends: lines' }));
        break;
      }
      let text: string;
      try {
        text = read(abs);
      } catch (e) {
        if (e instanceof UndecodableFile) {
          diagnostics.push({ ...e.diagnostic, file: label, message: e.diagnostic.message.replace(abs, label) });
          break;
        }
        const from = layers[layers.length - 1];
        const pos = from?.position(['extends']);
        diagnostics.push(diagnostic({ code: 'topology.not_found', severity: 'error', message: `topology: cannot read "${label}": ${(e as Error).message}`, file: from?.file ?? label, line: pos?.line, column: pos?.column, hint: 'check the path (relative paths in extends: are relative to the file that names them)' }));
        break;
      }
      const kept = options.cacheDir !== undefined ? readCachedSource(options.cacheDir, abs, label, text) : undefined;
      if (kept) {
        src = kept.source;
        checked = kept.schemaDiagnostics;
      } else {
        // The YAML parser loads only for a file the cache does not hold.
        src = (await import('./yaml-source.js')).parseYamlSource(label, text);
        if (options.cacheDir !== undefined) keep = { dir: options.cacheDir, file: abs, text };
      }
    }
    seen.add(abs);
    chain.push(label);
    layers.push(src);
    diagnostics.push(...src.diagnostics);
    if (src.value === undefined) break;
    if (src.value === null || typeof src.value !== 'object' || Array.isArray(src.value)) {
      diagnostics.push(notAMap(src, label));
      break;
    }
    const schemaDiagnostics = checked ?? validateSchema(src);
    diagnostics.push(...schemaDiagnostics);
    if (keep) writeCachedSource(keep.dir, keep.file, keep.text, src, schemaDiagnostics);
    checked = undefined;
    keep = undefined;
    const ext = (src.value as { extends?: unknown }).extends;
    if (typeof ext !== 'string') break;
    const next = resolvePath(dirname(abs), ext);
    label = relative(process.cwd(), next) || next;
    abs = next;
    src = undefined;
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics: sortDiagnostics(diagnostics) };
  let merged: unknown = {};
  for (const l of [...layers].reverse()) merged = mergeValues(merged, l.value);
  const raw = merged as RawTopology;
  const pos = (path: (string | number)[], key = false) => layeredPosition(layers, path, key);
  const topology = resolveTopology(raw, layers[0]!.file, chain, dirname(typeof input === 'string' ? resolvePath(options.cwd ?? process.cwd(), input) : baseDir), options.env ?? process.env, pos, diagnostics);
  const sorted = sortDiagnostics(diagnostics);
  return sorted.some((d) => d.severity === 'error') ? { diagnostics: sorted } : { topology, diagnostics: sorted };
}

/** Topology files are read as bytes first: NUL bytes and bytes that are not UTF-8 are errors with a position. */
class UndecodableFile extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function readTopologyFile(path: string): string {
  const decoded = decodeUtf8(readFileSync(path), path, 'topology');
  if (decoded.diagnostic) throw new UndecodableFile(decoded.diagnostic);
  return decoded.text;
}

/** An empty file, one with only comments, or a document that is a list or a scalar instead of a map. */
function notAMap(src: YamlSource, label: string): Diagnostic {
  const empty = src.value === null || src.value === undefined;
  const p = src.position([]);
  return diagnostic({
    code: 'topology.not_a_map',
    severity: 'error',
    message: empty ? `topology: "${label}" is empty (it holds no settings, only comments or nothing)` : `topology: "${label}" must be a map of settings, not ${Array.isArray(src.value) ? 'a list' : `a ${typeof src.value}`}`,
    file: src.file,
    line: p.line,
    column: p.column,
    hint: 'a topology starts with:\ntopoplan: 1\nname: my-system\nstores: { main: { engine: postgres, database: main } }\nsets: { app: { dir: migrations } }\nservices: { app: { stores: { postgres: main }, sets: [app] } }',
  });
}

function inMemory(file: string, raw: unknown): YamlSource {
  return { file, value: raw, diagnostics: [], position: () => ({ file, line: 1, column: 1 }) };
}

type Pos = (path: (string | number)[], key?: boolean) => SourcePos;

function err(diagnostics: Diagnostic[], code: string, message: string, p: SourcePos, hint: string, severity: 'error' | 'warning' = 'error'): void {
  diagnostics.push(diagnostic({ code, severity, message, file: p.file, line: p.line, column: p.column, hint }));
}

function resolveTopology(raw: RawTopology, file: string, chain: string[], dir: string, env: Record<string, string | undefined>, pos: Pos, ds: Diagnostic[]): Topology {
  for (const k of ['stores', 'sets', 'services'] as const) {
    if (!raw[k]) err(ds, 'topology.schema', `topology: "${file}" declares no ${k} (here or in what it extends)`, pos([]), `add a "${k}:" map`);
  }
  const root = resolvePath(dir, raw.root ?? '.');
  const stores = new Map<string, Store>();
  for (const [name, s] of Object.entries(raw.stores ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    let url: string | undefined;
    if (s.url !== undefined) {
      const { value, missing, errors } = expandEnv(s.url, env);
      const at = pos(['stores', name, 'url']);
      for (const e of errors) err(ds, 'topology.env_syntax', `topology: store "${name}" url: ${e.message} (at character ${e.offset + 1} of the url)`, at, 'write ${VAR}, or ${VAR:-default} where the default may itself be ${OTHER:-...}; an empty default means the embedded engine');
      for (const m of missing) err(ds, 'topology.env', `topology: store "${name}" url uses \${${m}}, which is not set`, pos(['stores', name, 'url']), `set ${m}, or give a default: \${${m}:-postgres://localhost/${s.database}} (an empty default means the embedded engine)`);
      url = value === '' ? undefined : value;
    }
    if (s.replicated && !s.cluster) err(ds, 'topology.replicated_without_cluster', `topology: store "${name}" is replicated but names no cluster`, pos(['stores', name, 'replicated']), `name the cluster its tables replicate over:\nstores:\n  ${name}: { engine: clickhouse, database: ${s.database}, cluster: <name>, replicated: true }`);
    const cluster = s.cluster ? { cluster: s.cluster, ...(s.replicated ? { replicated: true } : {}) } : {};
    stores.set(name, { name, engine: s.engine, database: s.database, ...(url ? { url } : {}), ...(s.url !== undefined ? { urlTemplate: s.url } : {}), ...cluster, pos: pos(['stores', name]) });
  }
  const services = new Map<string, Service>();
  const setOwner = new Map<string, string[]>();
  for (const [name, s] of Object.entries(raw.services ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [engine, store] of Object.entries(s.stores ?? {})) {
      const st = stores.get(store!);
      const p = pos(['services', name, 'stores', engine]);
      if (!st) err(ds, 'topology.unknown_store', `topology: service "${name}" uses store "${store}" which is not declared`, p, hintFor(store!, [...stores.keys()], `declare it under stores:\nstores:\n  ${store}: { engine: ${engine}, database: ${store} }`));
      else if (st.engine !== engine) err(ds, 'topology.store_engine', `topology: service "${name}" uses store "${store}" for ${engine}, but it is a ${st.engine} store`, p, `use a ${engine} store here, or put "${store}" under stores: { ${st.engine}: ${store} }`);
    }
    for (const [i, set] of (s.sets ?? []).entries()) {
      const p = pos(['services', name, 'sets', i]);
      if (!raw.sets?.[set]) err(ds, 'topology.unknown_set', `topology: service "${name}" runs set "${set}" which is not declared`, p, hintFor(set, Object.keys(raw.sets ?? {}), `declare it under sets:\nsets:\n  ${set}: { dir: path/to/migrations }`));
      else if (raw.sets[set]!.shared) err(ds, 'topology.shared_set', `topology: service "${name}" lists the shared set "${set}"`, p, 'a shared set belongs to no service: remove it from the list, or drop "shared: true"');
      else setOwner.set(set, [...(setOwner.get(set) ?? []), name]);
    }
    if (s.sqlx && s.ledger !== 'sqlx') err(ds, 'topology.sqlx_without_ledger', `topology: service "${name}" declares sqlx: but its ledger is not sqlx`, pos(['services', name, 'sqlx']), `say that the service keeps an sqlx ledger:\nservices:\n  ${name}:\n    ledger: sqlx`);
    const sqlx = s.sqlx ? { ...(s.sqlx.table ? { table: s.sqlx.table } : {}), ...(s.sqlx.schema ? { schema: s.sqlx.schema } : {}), ...(s.sqlx.ignoreMissing ? { ignoreMissing: true } : {}), pos: pos(['services', name, 'sqlx']) } : undefined;
    services.set(name, { name, stores: s.stores ?? {}, sets: s.sets ?? [], owns: s.owns ?? [], ledger: s.ledger ?? 'topoplan', ...(sqlx ? { sqlx } : {}), env: s.env ?? 'DATABASE_URL', pos: pos(['services', name]) });
  }
  const sets = resolveSets(raw, root, setOwner, services, stores, env, pos, ds);
  checkReferences(raw, stores, services, sets, pos, ds);
  return {
    name: raw.name,
    ...(raw.description ? { description: raw.description } : {}),
    file,
    extendsChain: chain.slice(1),
    root,
    stores,
    sets,
    services,
    renames: (raw.renames ?? []).map((r, i) => ({ from: r.from, to: r.to, owner: r.owner, kind: 'table' as const, columns: r.columns ?? {}, ...(r.reason ? { reason: r.reason } : {}), pos: pos(['renames', i]) })),
    supersessions: (raw.supersessions ?? []).map((s, i) => ({ objects: s.objects, by: s.by, sets: s.sets ?? [], ...(s.reason ? { reason: s.reason } : {}), pos: pos(['supersessions', i]) })),
    shared: raw.shared ?? [],
    external: raw.external ?? [],
    skips: (raw.skip ?? []).map((s, i) => ({ set: s.set, file: s.file, ...(s.statements ? { statements: range(s.statements) } : {}), ...(s.lines ? { lines: range(s.lines) } : {}), reason: s.reason, pos: pos(['skip', i]) })),
    foreignKeys: (raw.foreignKeys ?? []).map((f, i) => ({ from: f.from, to: f.to, resolution: f.resolution, ...(f.reason ? { reason: f.reason } : {}), pos: pos(['foreignKeys', i]) })),
    accepts: (raw.accept ?? []).map((a, i) => ({ conflict: a.conflict, object: a.object, reason: a.reason, pos: pos(['accept', i]) })),
    allowDestructive: (raw.allowDestructive ?? []).map((a, i) => ({ set: a.set, ...(a.file ? { file: a.file } : {}), ...(a.statements ? { statements: range(a.statements) } : {}), reason: a.reason, pos: pos(['allowDestructive', i]) })),
    expectations: (raw.expectations ?? []).map((e, i) => expectation(e, pos(['expectations', i]))),
    schemaDir: resolvePath(dir, raw.schemaDir ?? `schema/${raw.name}`),
  };
}

function range(s: string): [number, number] {
  const [a, b] = s.split('-').map(Number);
  return [a!, b ?? a!];
}

function expectation(e: NonNullable<RawTopology['expectations']>[number], p: SourcePos): Expectation {
  // Keys in the plan's order: kind, store, what is expected, after, pos.
  const tail = { after: e.after ?? 'apply', pos: p } as const;
  const store = e.store;
  if ('tables' in e) return { kind: 'tables', store, present: e.tables.present ?? [], absent: e.tables.absent ?? [], ...tail };
  if ('triggers' in e) return { kind: 'triggers', store, like: e.triggers.like, count: e.triggers.count, ...tail };
  if ('indexes' in e && 'like' in e.indexes) return { kind: 'indexes', store, like: e.indexes.like, count: e.indexes.count, ...tail };
  if ('rows' in e) return { kind: 'rows', store, table: e.rows.table, ...(e.rows.min !== undefined ? { min: e.rows.min } : {}), ...(e.rows.equals !== undefined ? { equals: e.rows.equals } : {}), ...tail };
  if ('columns' in e) {
    const present = (e.columns.present ?? []).map((c) => (typeof c === 'string' ? { name: c } : { name: c.name, ...(c.type !== undefined ? { type: c.type } : {}), ...(c.nullable !== undefined ? { nullable: c.nullable } : {}) }));
    return { kind: 'columns', store, table: e.columns.table, present, absent: e.columns.absent ?? [], ...tail };
  }
  if ('foreignKeys' in e) return { kind: 'foreignKeys', store, present: e.foreignKeys.present ?? [], absent: e.foreignKeys.absent ?? [], ...tail };
  const [objectKind, names]: [ExpectedObjectKind, RawPresence & { values?: Record<string, string[]> }] =
    'extensions' in e ? ['extension', e.extensions] : 'enums' in e ? ['enum', e.enums] : 'views' in e ? ['view', e.views] : 'functions' in e ? ['function', e.functions] : ['index', e.indexes as RawPresence];
  return { kind: 'objects', store, objectKind, present: names.present ?? [], absent: names.absent ?? [], ...(names.values ? { values: names.values } : {}), ...tail };
}

function hintFor(name: string, known: string[], otherwise: string): string {
  const near = nearest(name, known);
  return near ? `did you mean "${near}"?` : otherwise;
}

function checkReferences(raw: RawTopology, stores: Map<string, Store>, services: Map<string, Service>, sets: Map<string, MigrationSet>, pos: Pos, ds: Diagnostic[]): void {
  const svc = (name: string, path: (string | number)[], what: string) => {
    if (!services.has(name)) err(ds, 'topology.unknown_service', `topology: ${what} names service "${name}" which is not declared`, pos(path), hintFor(name, [...services.keys()], 'declare it under services:'));
  };
  (raw.renames ?? []).forEach((r, i) => svc(r.owner, ['renames', i, 'owner'], `rename "${r.from}" → "${r.to}"`));
  (raw.supersessions ?? []).forEach((s, i) => {
    // `by:` names the service whose definitions win, or a set (the shared legacy set's base tables can win too).
    if (!services.has(s.by) && !sets.has(s.by)) err(ds, 'topology.unknown_service', `topology: a supersession names "${s.by}", which is neither a service nor a set`, pos(['supersessions', i, 'by']), hintFor(s.by, [...services.keys(), ...sets.keys()], 'name a service (its sets win) or a set'));
    (s.sets ?? []).forEach((set, j) => {
      if (!sets.has(set)) err(ds, 'topology.unknown_set', `topology: a supersession names set "${set}" which is not declared`, pos(['supersessions', i, 'sets', j]), hintFor(set, [...sets.keys()], 'declare it under sets:'));
    });
  });
  (raw.skip ?? []).forEach((s, i) => {
    const set = sets.get(s.set);
    if (!set) {
      err(ds, 'topology.unknown_set', `topology: skip names set "${s.set}" which is not declared`, pos(['skip', i, 'set']), hintFor(s.set, [...sets.keys()], 'declare it under sets:'));
      return;
    }
    const [a, b] = s.statements ? range(s.statements) : s.lines ? range(s.lines) : [1, 1];
    if (a < 1 || b < a) err(ds, 'topology.bad_range', `topology: skip range "${s.statements ?? s.lines}" is empty`, pos(['skip', i]), 'write "N" or "N-M" with 1 <= N <= M');
    const matches = picomatch(s.file);
    if (set.files.length > 0 && !set.files.some((f) => matches(f.name))) {
      err(ds, 'topology.skip_matches_nothing', `topology: skip "${s.file}" matches no file of set "${s.set}"`, pos(['skip', i, 'file']), `files of "${s.set}" include ${set.files.slice(0, 3).map((f) => f.name).join(', ')}`, 'warning');
    }
  });
  (raw.allowDestructive ?? []).forEach((a, i) => {
    const set = sets.get(a.set);
    if (!set) {
      err(ds, 'topology.unknown_set', `topology: allowDestructive names set "${a.set}" which is not declared`, pos(['allowDestructive', i, 'set']), hintFor(a.set, [...sets.keys()], 'declare it under sets:'));
      return;
    }
    if (a.statements) {
      const [x, y] = range(a.statements);
      if (x < 1 || y < x) err(ds, 'topology.bad_range', `topology: allowDestructive range "${a.statements}" is empty`, pos(['allowDestructive', i, 'statements']), 'write "N" or "N-M" with 1 <= N <= M');
    }
    if (a.file !== undefined && set.files.length > 0 && !set.files.some((f) => picomatch(a.file!)(f.name))) {
      err(ds, 'topology.allow_matches_nothing', `topology: allowDestructive "${a.file}" matches no file of set "${a.set}"`, pos(['allowDestructive', i, 'file']), `files of "${a.set}" include ${set.files.slice(0, 3).map((f) => f.name).join(', ')}`, 'warning');
    }
  });
  (raw.expectations ?? []).forEach((e, i) => {
    if (!stores.has(e.store)) err(ds, 'topology.unknown_store', `topology: an expectation names store "${e.store}" which is not declared`, pos(['expectations', i, 'store']), hintFor(e.store, [...stores.keys()], 'declare it under stores:'));
  });
}
