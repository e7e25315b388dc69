/**
 * `initTopology()`: a repository in, a draft topology out. Finds the
 * migration directories (find-migration-dirs.ts), makes one set per directory
 * and a service per directory that belongs to one (draft-layout.ts), one
 * store per engine, reads every file with the planner's reader to learn each
 * set's engines and each service's `owns` (infer-ownership.ts), plans the
 * draft, and writes every conflict the plan finds as a commented-out
 * resolution with its hint (resolution-blocks.ts), so the first `plan` is a
 * short review. An existing file is overwritten only with `force`.
 *
 * @example
 * import { initTopology } from 'topoplan';
 * const r = await initTopology('examples/nova');
 * r.file      // '/…/examples/nova/topoplan.yaml'
 * r.conflicts // 15: unresolved errors, each with its resolution commented out in r.text
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors.js';
import type { EngineName } from '../sql/effects.js';
import { loadParsers } from '../sql/parse-file.js';
import { loadTopology } from '../topology/load-topology.js';
import type { RawService, RawSet, RawStore, RawSupersession, RawTopology } from '../topology/raw.js';
import type { Plan } from '../plan/model.js';
import { planTopology } from '../plan/plan-migration.js';
import { readMigrations, type ParseMemo } from '../plan/read/read-migrations.js';
import type { Topology } from '../topology/model.js';
import { certainConflicts, confirmedByPlan } from './certain-resolutions.js';
import { draftLayout, topologyName, type DraftLayout, type DraftSet } from './draft-layout.js';
import { findMigrationDirs, type MigrationDir } from './find-migration-dirs.js';
import { inferOwnership } from './infer-ownership.js';
import { renderDraft, type DraftDocument } from './render-draft.js';
import { resolutionBlocks, type ResolutionBlocks } from './resolution-blocks.js';

export interface InitOptions {
  /** Where the topology is written; default `topoplan.yaml` in the searched directory. */
  readonly out?: string;
  /** Overwrite an existing file. */
  readonly force?: boolean;
  /** Return the draft without writing it. */
  readonly dryRun?: boolean;
}

export interface InitResult {
  /** Absolute path of the topology file. */
  readonly file: string;
  /** The draft, as written (or as it would be, with dryRun). */
  readonly text: string;
  readonly written: boolean;
  readonly directories: readonly MigrationDir[];
  readonly stores: number;
  readonly sets: number;
  readonly services: number;
  /** Errors the plan of the draft has: each is a commented-out resolution or a note in the file. */
  readonly conflicts: number;
  /** Conflicts resolved in the draft because nothing was left to decide (the same definition in two sets). */
  readonly settled: number;
  /** Why nothing was written (an existing file, no migration directory), or what loading the draft reported. */
  readonly diagnostics: readonly Diagnostic[];
}

const ENGINES: readonly EngineName[] = ['postgres', 'clickhouse', 'neo4j'];

export async function initTopology(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const root = resolve(dir);
  const file = resolve(options.out ?? join(root, 'topoplan.yaml'));
  const shown = options.out ?? join(dir, 'topoplan.yaml');
  const empty = { file, text: '', written: false, directories: [], stores: 0, sets: 0, services: 0, conflicts: 0, settled: 0 };
  if (existsSync(file) && !options.force && !options.dryRun) {
    return { ...empty, diagnostics: [diagnostic({ code: 'init.exists', severity: 'error', message: `init: "${shown}" exists already; it was left as it is`, file: shown, hint: 'run again with --force to overwrite it, or --out FILE to write the draft elsewhere' })] };
  }
  const directories = existsSync(root) ? findMigrationDirs(root) : [];
  if (directories.length === 0) {
    return { ...empty, diagnostics: [diagnostic({ code: 'init.no_migrations', severity: 'error', message: `init: no migration directory under "${dir}": no directory holds numbered .sql, .cypher or Flyway V files`, file: dir, hint: 'give the repository directory: topoplan init path/to/repo' })] };
  }
  const name = topologyName(basename(root));
  const layout = draftLayout(directories.map((d) => d.dir), name);
  const byDir = new Map(directories.map((d) => [d.dir, d]));
  const { raw, used, diagnostics, certain } = await draftAndPlan(file, name, root, layout, byDir);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const settled = new Set(certain);
  const blocks = resolutionBlocks(errors.filter((d) => !settled.has(d)));
  const active = resolutionBlocks(certain);
  const rootFromFile = relative(dirname(file), root).split('\\').join('/') || '.';
  const doc: DraftDocument = {
    name,
    ...(rootFromFile !== '.' ? { root: rootFromFile } : {}),
    header: header(directories.length, errors.length - certain.length, certain.length, diagnostics.filter((d) => d.severity === 'warning').length),
    stores: Object.entries(raw.stores).map(([n, value]) => ({ name: n, value })),
    sets: layout.sets.map((s) => ({ name: s.name, value: { ...raw.sets[s.name]! }, ...setComment(s, byDir.get(s.dir)!, raw.sets[s.name]!) })),
    services: Object.entries(raw.services).map(([n, value]) => ({ name: n, value })),
    blocks,
    active: withReasons(active),
  };
  const text = renderDraft(doc);
  if (!options.dryRun) writeFileSync(file, text);
  return { file, text, written: !options.dryRun, directories, stores: used.length, sets: layout.sets.length, services: layout.services.size, conflicts: errors.length - certain.length, settled: certain.length, diagnostics: [] };
}

const CERTAIN_REASON = 'each object is created with the same definition by both sets: keeping one changes nothing';

/** The certain resolutions, each with the reason that makes it certain in place of the hint's "...". */
function withReasons(blocks: ResolutionBlocks): ResolutionBlocks {
  return { ...blocks, sections: blocks.sections.map((s) => ({ ...s, entries: s.entries.map((e) => ({ ...e, value: { ...(e.value as object), reason: CERTAIN_REASON } })) })) };
}

/**
 * The draft with what the files say, and what planning it reports. A draft
 * that does not load (an sqlx set holding a name sqlx rejects) is still the
 * draft: without owns, its problems reported in it like the plan's.
 */
async function draftAndPlan(file: string, name: string, root: string, layout: DraftLayout, byDir: ReadonlyMap<string, MigrationDir>): Promise<{ raw: RawTopology; used: EngineName[]; diagnostics: readonly Diagnostic[]; certain: readonly Diagnostic[] }> {
  const read = await loadDraft(file, draftRaw(name, root, layout.sets, layout.services, byDir, new Map(), new Map(), ENGINES));
  if (!read.topology) return { raw: draftRaw(name, root, layout.sets, layout.services, byDir, new Map(), new Map(), ['postgres']), used: ['postgres'], diagnostics: read.diagnostics, certain: [] };
  await loadParsers();
  // The draft is planned up to four times, its files read the same way each time: each is parsed once.
  const memo: ParseMemo = new Map();
  const planOf = (topology: Topology) => planTopology(topology, { allowErrors: true }, readMigrations(topology, undefined, memo));
  const inferred = inferOwnership(read.topology, memo);
  const engineOf = (set: string): EngineName[] => {
    const e = inferred.engines.get(set);
    return e && e.size > 0 ? ENGINES.filter((x) => e.has(x)) : ['postgres'];
  };
  const used = ENGINES.filter((e) => layout.sets.some((s) => engineOf(s.name).includes(e)));
  const engines = new Map(layout.sets.map((s) => [s.name, engineOf(s.name)]));
  const raw = draftRaw(name, root, layout.sets, layout.services, byDir, engines, inferred.owns, used, inferred.clickhouseSets, inferred.after);
  const planned = await loadDraft(file, raw);
  if (!planned.topology) return { raw, used, diagnostics: planned.diagnostics, certain: [] };
  const plan = planOf(planned.topology);
  return { raw, used, diagnostics: plan.diagnostics, certain: await confirmedCertain(file, raw, plan, planOf) };
}

/**
 * The conflicts whose resolution is certain, when the plan with their resolutions in confirms it (see
 * certain-resolutions.ts). When all of them together are not confirmed, each resolution is tried alone, and
 * those confirmed alone are kept if they are confirmed together.
 */
async function confirmedCertain(file: string, raw: RawTopology, plan: Plan, planOf: (topology: Topology) => Plan): Promise<readonly Diagnostic[]> {
  const confirmed = async (certain: readonly Diagnostic[]) => {
    const supersessions = withReasons(resolutionBlocks(certain)).sections.flatMap((s) => s.entries.map((e) => e.value as RawSupersession));
    const withThem = await loadDraft(file, { ...raw, supersessions });
    return withThem.topology !== undefined && confirmedByPlan(plan, planOf(withThem.topology), certain);
  };
  const certain = certainConflicts(plan.diagnostics, plan.conflicts);
  if (certain.length === 0 || (await confirmed(certain))) return certain;
  const kept: Diagnostic[] = [];
  for (const hint of new Set(certain.map((d) => d.hint))) {
    const one = certain.filter((d) => d.hint === hint);
    if (await confirmed(one)) kept.push(...one);
  }
  return kept.length > 0 && (await confirmed(kept)) ? kept : [];
}

async function loadDraft(file: string, raw: RawTopology) {
  return loadTopology({ file, raw }, { env: {} });
}

function draftRaw(
  name: string,
  root: string,
  sets: readonly DraftSet[],
  services: ReadonlyMap<string, readonly string[]>,
  byDir: ReadonlyMap<string, MigrationDir>,
  engines: ReadonlyMap<string, readonly EngineName[]>,
  owns: ReadonlyMap<string, readonly string[]>,
  used: readonly EngineName[],
  clickhouseSets: ReadonlySet<string> = new Set(),
  after: ReadonlyMap<string, readonly string[]> = new Map(),
): RawTopology {
  const envName = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const stores: Record<string, RawStore> = {};
  for (const e of used) stores[e] = { engine: e, database: e === 'neo4j' ? 'neo4j' : name.replace(/-/g, '_'), url: `\${${envName}_${e.toUpperCase()}_URL:-}` };
  // Before the files are read every engine is possible, so the parser decides each file's engine as plan does.
  const storesOf = (list: readonly string[]) => Object.fromEntries(used.filter((e) => list.some((s) => (engines.get(s) ?? used).includes(e))).map((e) => [e, e]));
  const rawSets: Record<string, RawSet> = {};
  for (const s of sets) {
    const c = byDir.get(s.dir)!.convention;
    rawSets[s.name] = {
      dir: s.dir,
      ...(s.shared ? { shared: true, stores: storesOf([s.name]) } : {}),
      ...(byDir.get(s.dir)!.versions ? { versions: 'subdirs' as const } : {}),
      ...(byDir.get(s.dir)!.outside ? { allowOutsideRoot: true } : {}),
      ...(c.tool ? { convention: c.tool } : {}),
      ...(c.flyway ? { include: c.repeatable ? ['V*__*.sql', 'R__*.sql'] : ['V*__*.sql'] } : {}),
      ...(Object.keys(c.suffixes).length > 0 ? { suffixes: c.suffixes } : {}),
      ...(clickhouseSets.has(s.name) ? { engines: { '*.sql': 'clickhouse' as const } } : {}),
      ...(after.has(s.name) ? { after: [...after.get(s.name)!] } : {}),
    };
  }
  const rawServices: Record<string, RawService> = {};
  for (const [service, list] of services) {
    const o = owns.get(service) ?? [];
    rawServices[service] = { stores: storesOf(list), sets: inOrder(list, after), ...(o.length > 0 ? { owns: [...o] } : {}), ...sqlxLedger(list, sets, byDir, engines) };
  }
  return { topoplan: 1, name, root, stores, sets: rawSets, services: rawServices };
}

/**
 * `ledger: sqlx` for a service whose PostgreSQL sets are all sqlx directories: its sqlx migrator reads
 * `_sqlx_migrations` at start-up, so apply must write the rows sqlx would. A service that also runs files of
 * another tool on PostgreSQL keeps topoplan's ledger; the table its crate's sqlx.toml names comes along.
 */
function sqlxLedger(list: readonly string[], sets: readonly DraftSet[], byDir: ReadonlyMap<string, MigrationDir>, engines: ReadonlyMap<string, readonly EngineName[]>): Pick<RawService, 'ledger' | 'sqlx'> {
  const conventions = list
    .filter((name) => (engines.get(name) ?? ['postgres']).includes('postgres'))
    .map((name) => byDir.get(sets.find((s) => s.name === name)!.dir)!.convention);
  if (conventions.length === 0 || conventions.some((c) => c.tool !== 'sqlx')) return {};
  const tables = [...new Set(conventions.map((c) => c.sqlxTable).filter((t) => t !== undefined))];
  return { ledger: 'sqlx', ...(tables.length === 1 ? { sqlx: { table: tables[0]! } } : {}) };
}

/** A service's sets with each one after the sets it runs after, otherwise in path order. */
function inOrder(list: readonly string[], after: ReadonlyMap<string, readonly string[]>): string[] {
  const out: string[] = [];
  const place = (s: string) => {
    if (out.includes(s)) return;
    for (const a of after.get(s) ?? []) if (list.includes(a)) place(a);
    out.push(s);
  };
  for (const s of list) place(s);
  return out;
}

function header(dirs: number, errors: number, settled: number, others: number): string[] {
  return [
    `A draft written by \`topoplan init\` from ${dirs} migration director${dirs === 1 ? 'y' : 'ies'}: one store per engine, one set per`,
    'directory, a service per directory that belongs to one (legacy directories are shared sets, owned by none),',
    "and each service's owns: what its own migrations create.",
    ...(settled > 0 ? [`${settled} conflict${settled === 1 ? ' is' : 's are'} resolved at the end: objects two sets create with the same definition.`] : []),
    errors === 0
      ? 'Its plan has no errors.'
      : `Its plan has ${errors} error${errors === 1 ? '' : 's'}: the resolution of each is at the end, commented out, to review and put in.`,
    ...(others > 0 ? [`\`topoplan plan\` shows ${others} warning${others === 1 ? '' : 's'} besides.`] : []),
    '',
  ];
}

function setComment(s: DraftSet, d: MigrationDir, raw: RawSet): { comment?: string } {
  const parts: string[] = [];
  if (s.shared) parts.push(`legacy: owned by no service; what no service owns goes to ${Object.values(raw.stores ?? {}).join(', ')}`);
  if (d.outside) parts.push(`a symbolic link leads to "${d.outside}", outside the repository`);
  if (d.versions) parts.push('each numbered subdirectory is a version');
  if (d.convention.tool) parts.push(`${d.convention.tool} files${d.convention.tool === 'sqlx' ? `: its crate runs sqlx's migrator${d.convention.sqlxTable ? `, whose sqlx.toml names the ledger table "${d.convention.sqlxTable}"` : ''}` : ''}`);
  if (d.convention.flyway) parts.push('Flyway names');
  parts.push(...d.convention.notes);
  return parts.length > 0 ? { comment: parts.join('; ') } : {};
}
