/**
 * Reads and parses every migration file of a topology and turns statements
 * into units in version order: sets that another set supersedes come first,
 * then the others, each in the author's file and statement order. Topology
 * `skip:` entries are applied here, with their reasons.
 */
import type { Diagnostic } from '../../errors.js';
import type { EngineName, ParsedFile } from '../../sql/effects.js';
import { parseSources, type ParsePoolOptions } from '../../sql/parse-pool.js';
import { parseSource, type ParsedSource, type ReadFile, type SourceJob } from '../../sql/parse-source.js';
import type { MigrationFile, MigrationSet, Skip, Topology } from '../../topology/model.js';
import picomatch from 'picomatch';
import type { Unit } from './units.js';
import { storeBeforeParsing, templateRules } from './set-variables.js';
import { downSectionWarnings, readDownFile, sectionRevert, stripsDownSections } from './reverts.js';
import type { StepRevert } from '../model.js';

export type { ReadFile } from '../../sql/parse-source.js';

export interface ReadResult {
  readonly units: Unit[];
  readonly files: Map<string, { parsed: ParsedFile; sha384: string }>;
  /** Files a topology `skip:` entry leaves out whole: never read, so their problems are not reported. */
  readonly skippedFiles: { readonly set: string; readonly file: string; readonly reason: string }[];
  /** Files of the sets that are never run: the sets' own list (other languages, engines) and files that hold no statement. */
  readonly notRun: { readonly set: string; readonly file: string; readonly reason: string }[];
  /** The revert of each file that has one (its down file or down section), by file. */
  readonly reverts: Map<string, StepRevert>;
  readonly diagnostics: Diagnostic[];
}

interface Source {
  readonly set: MigrationSet;
  readonly file: MigrationFile;
  readonly fileIndex: number;
  /** Skip entries that cover part of this file. */
  readonly skips: readonly Skip[];
  readonly job: SourceJob;
}

/**
 * Parses by how a file is read (its job, as the parse cache keys them, without the bytes), for one run
 * that reads the same tree under several topologies (init plans its draft up to four times): each file
 * is parsed once, as first read.
 */
export type ParseMemo = Map<string, ParsedSource>;

/** Reads and parses on this thread; with `memo`, a file read the same way before is not parsed again. */
export function readMigrations(topology: Topology, readFile?: ReadFile, memo?: ParseMemo): ReadResult {
  const sources = migrationSources(topology);
  const parse = (job: SourceJob): ParsedSource => {
    if (!memo) return parseSource(job, readFile);
    const key = JSON.stringify(job);
    let parsed = memo.get(key);
    if (!parsed) memo.set(key, (parsed = parseSource(job, readFile)));
    return parsed;
  };
  return toUnits(sources, sources.sources.map((s) => parse(s.job)), readFile);
}

/** Reads and parses on every core (see parse-pool.ts); the result is the same as readMigrations'. */
export async function readMigrationsInParallel(topology: Topology, options: ParsePoolOptions = {}): Promise<ReadResult> {
  const sources = migrationSources(topology);
  return toUnits(sources, (await parseSources(sources.sources.map((s) => s.job), options)).sources, options.readFile);
}

interface Sources {
  readonly sources: Source[];
  readonly skippedFiles: ReadResult['skippedFiles'];
  readonly notRun: ReadResult['notRun'];
  /** Problems found before parsing (a variable with no value). */
  readonly diagnostics: Diagnostic[];
}

function migrationSources(topology: Topology): Sources {
  const sources: Source[] = [];
  const skippedFiles: ReadResult['skippedFiles'] = [];
  const notRun: ReadResult['notRun'] = [];
  const diagnostics: Diagnostic[] = [];
  // Skip entries name files by name or glob within their set.
  const skipMatchers = topology.skips.map((s) => ({ skip: s, matches: picomatch(s.file) }));
  for (const set of setsInVersionOrder(topology)) {
    const storeEngine = onlyStoreEngine(topology, set);
    for (const f of set.notRun) notRun.push({ set: set.name, file: f.file, reason: f.reason });
    set.files.forEach((file, fileIndex) => {
      const skips = skipMatchers.filter((m) => m.skip.set === set.name && m.matches(file.name)).map((m) => m.skip);
      const whole = skips.find((s) => !s.statements && !s.lines);
      if (whole) {
        skippedFiles.push({ set: set.name, file: file.file, reason: skipReason(whole) });
        return;
      }
      const engine = file.declaredEngine ? { declaredEngine: file.declaredEngine } : storeEngine ? { storeEngine } : {};
      const { rules, problems } = templateRules(topology, set, storeBeforeParsing(topology, set, file, set.service), file);
      for (const p of problems) if (!diagnostics.some((d) => d.message === p.message)) diagnostics.push(p);
      const job: SourceJob = { file: file.file, absPath: file.absPath, set: set.name, ...engine, ...(rules ? { rules } : {}), ...(stripsDownSections(set) ? { stripDownSections: true } : {}) };
      sources.push({ set, file, fileIndex, skips, job });
    });
  }
  return { sources, skippedFiles, notRun, diagnostics };
}

/** The engine of a service's set when the service has stores of one engine only: its files can be nothing else. */
function onlyStoreEngine(topology: Topology, set: MigrationSet): EngineName | undefined {
  const service = set.service ? topology.services.get(set.service) : undefined;
  const engines = Object.keys(service?.stores ?? {}) as EngineName[];
  return engines.length === 1 ? engines[0] : undefined;
}

function skipReason(skip: Skip): string {
  return `skipped by the topology (${skip.pos.file}:${skip.pos.line}): ${skip.reason}`;
}

function toUnits({ sources, skippedFiles, notRun, diagnostics: before }: Sources, parsedSources: readonly ParsedSource[], readFile?: ReadFile): ReadResult {
  const units: Unit[] = [];
  const files = new Map<string, { parsed: ParsedFile; sha384: string }>();
  const reverts = new Map<string, StepRevert>();
  const diagnostics: Diagnostic[] = [...before];
  let seq = 0;
  sources.forEach(({ set, file, fileIndex, skips }, i) => {
    const { parsed, sha384, fingerprints, downSections, noTransaction } = parsedSources[i]!;
    files.set(file.file, { parsed, sha384 });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.statements.length === 0 && !parsed.diagnostics.some((d) => d.severity === 'error')) {
      notRun.push({ set: set.name, file: file.file, reason: `holds no statement to run (empty, only comments${downSections ? ', or only a down section' : ''})` });
    }
    const down = readDownFile(file, readFile);
    if (down.diagnostic) diagnostics.push(down.diagnostic);
    if (down.revert) reverts.set(file.file, down.revert);
    else if (downSections && stripsDownSections(set)) reverts.set(file.file, sectionRevert(file, downSections));
    if (downSections && set.convention === undefined) diagnostics.push(...downSectionWarnings(set, file, downSections));
    for (const parsedStmt of parsed.statements) {
      const stmt = noTransaction ? { ...parsedStmt, transactional: false, nonTransactionalReason: noTransaction } : parsedStmt;
      const skip = skips.find((s) => covers(s, stmt.index + 1, stmt.line, stmt.endLine));
      units.push({
        seq: seq++,
        set,
        file,
        fileIndex,
        parsed,
        stmt,
        fingerprint: fingerprints[stmt.index]!,
        ...(set.service ? { service: set.service } : {}),
        sql: stmt.sql,
        ...(skip ? { skipped: skipReason(skip) } : {}),
        notes: [],
        destructive: false,
        destroys: [],
      });
    }
  });
  return { units, files, skippedFiles, notRun, reverts, diagnostics };
}

function covers(s: Skip, statement: number, line: number, endLine: number): boolean {
  if (s.statements) return statement >= s.statements[0] && statement <= s.statements[1];
  if (s.lines) return line >= s.lines[0] && endLine <= s.lines[1];
  return true;
}

/**
 * Superseded sets first, so a legacy definition is the first version of its name and the winner's the next;
 * then by name, except that a set comes after every set its `after:` names (the order it declares wins).
 */
export function setsInVersionOrder(topology: Topology): MigrationSet[] {
  const superseded = new Set<string>();
  const winning = new Set<string>();
  for (const s of topology.supersessions) {
    const winners = topology.services.get(s.by)?.sets ?? (topology.sets.has(s.by) ? [s.by] : []);
    const losers = s.sets.length > 0 ? s.sets : [...topology.sets.keys()].filter((n) => !winners.includes(n));
    for (const l of losers) superseded.add(l);
    for (const w of winners) winning.add(w);
  }
  // A shared set is superseded by default, unless it is what wins.
  for (const set of topology.sets.values()) if (set.shared && !winning.has(set.name)) superseded.add(set.name);
  const ranked = [...topology.sets.values()].sort(
    (a, b) => Number(superseded.has(b.name)) - Number(superseded.has(a.name)) || a.name.localeCompare(b.name),
  );
  if (ranked.every((s) => s.after.length === 0)) return ranked;
  // Each round takes the first set in rank whose after: sets are all placed (the topology has no cycle).
  // By instance: a set several services run is there once per service, under one name.
  const placed = new Set<MigrationSet>();
  const names = new Set<string>();
  const out: MigrationSet[] = [];
  while (out.length < ranked.length) {
    const next = ranked.find((s) => !placed.has(s) && s.after.every((a) => names.has(a) || !topology.sets.has(a))) ?? ranked.find((s) => !placed.has(s))!;
    placed.add(next);
    names.add(next.name);
    out.push(next);
  }
  return out;
}
