/**
 * Every step's revert, for `topoplan rollback`: the author's (a down file or
 * section, on the step that completes its file; the file's other steps are
 * undone with it), else one generated from what its statements do, else the
 * backup apply takes of what it destroys, else irreversible with the reason.
 * The plan knows what a statement alone does not: a drop of an object an
 * earlier step created is undone by that step's statement (a trigger's, on
 * the name its table has by then); so is a CREATE OR REPLACE of one; rows
 * written into a table the plan creates go when that table is dropped.
 *
 * @example
 * const steps = withReverts(sortedSteps, draftsById, authorReverts)
 * steps[0].revert // { from: 'generated', statements: ['DROP TABLE public.accounts'] }
 */
import { objectKey, type Effect, type ObjectRef, type StatementRevert } from '../../sql/effects.js';
import type { Step, StepRevert } from '../model.js';
import type { DraftStep } from '../order/steps.js';
import type { Unit } from '../read/units.js';
import { effectRevert } from './effect-revert.js';
import { TableParts } from './table-parts.js';
import { identifier } from '../../sql/postgres/quote-ident.js';

interface Creation {
  readonly step: string;
  readonly sql: string;
  /** The search path the statement was read under (see search-path.ts): its text means that only under it. */
  readonly searchPath?: readonly string[];
}

/** A statement read under a search path names its objects as written: its revert runs under the same path. */
function inPath(u: Unit, revert: StatementRevert | undefined): StatementRevert | undefined {
  const path = u.stmt.searchPath;
  return path && revert && 'sql' in revert && revert.sql.length > 0 ? { sql: underPath(path, revert.sql) } : revert;
}

/** A `RESET search_path` followed by a SET of the path it reset is neither. */
function joinPaths(statements: string[]): string[] {
  if (!statements.includes('RESET search_path')) return statements;
  const out: string[] = [];
  let set: string | undefined;
  for (const sql of statements) {
    if (sql.startsWith('SET search_path TO ')) {
      if (out[out.length - 1] === 'RESET search_path' && sql === set) {
        out.pop();
        continue;
      }
      set = sql;
    }
    out.push(sql);
  }
  return out;
}

/** Statements run under a search path, and the session's own path back after them. */
function underPath(path: readonly string[], sql: readonly string[]): string[] {
  return [`SET search_path TO ${path.map(identifier).join(', ')}`, ...sql, 'RESET search_path'];
}

function creation(step: string, u: Unit): Creation {
  return u.stmt.searchPath ? { step, sql: u.sql, searchPath: u.stmt.searchPath } : { step, sql: u.sql };
}

/** A creating statement run again (`sql`: its text, changed): under the search path it was written for, when it had one. */
function again(c: Creation, sql = c.sql): string[] {
  return c.searchPath ? underPath(c.searchPath, [sql]) : [sql];
}

/** Gives every step its revert; steps in plan order, `authored` the author's reverts by step id (see revertSteps). */
export function withReverts(steps: readonly Step[], drafts: ReadonlyMap<string, DraftStep>, authored: ReadonlyMap<string, StepRevert>): Step[] {
  const created = new Map<string, Creation>();
  const parts = new TableParts();
  // The step that holds each file's revert, by store and file.
  const fileRevert = new Map<string, string>();
  if (authored.size > 0) for (const s of steps) if (authored.has(s.id) && s.source) fileRevert.set(`${s.store}|${s.source.file}`, s.id);
  // The steps are the planner's own, just built: each gets its revert in place (a field added last, as a copy
  // would have it) instead of being copied whole to add one field.
  for (const step of steps) {
    const draft = drafts.get(step.id);
    const units = draft && !draft.synth ? (draft.nodes as Unit[]) : [];
    // The keys of what the step's statements create, each made once: read for its own revert, then recorded for later steps.
    const creations = creationsOf(step, units);
    const key = (o: ObjectRef) => keyIn(step, o);
    parts.beforeStep(units, key, created);
    const revert = authored.get(step.id) ?? ofFile(step, fileRevert) ?? (draft?.synth ? synthRevert(step) : sqlRevert(step, units, created, creations));
    // One record for all a statement creates (a table and its sequences).
    let made: Creation | undefined;
    for (let k = 0; k < creations.keys.length; k++) {
      if (!made || creations.at[k] !== creations.at[k - 1]) made = creation(step.id, units[creations.at[k]!]!);
      created.set(creations.keys[k]!, made);
    }
    parts.afterStep(units, key, created);
    (step as { revert?: StepRevert }).revert = revert;
  }
  return steps as Step[];
}

/** A step of a file whose revert is on another of its steps: that revert undoes this one too. */
function ofFile(step: Step, fileRevert: ReadonlyMap<string, string>): StepRevert | undefined {
  const holder = step.source && fileRevert.size > 0 ? fileRevert.get(`${step.store}|${step.source.file}`) : undefined;
  return holder && holder !== step.id ? { from: 'generated', statements: [], undoneWith: [holder] } : undefined;
}

function synthRevert(step: Step): StepRevert {
  switch (step.kind) {
    case 'create_database':
      // The database stays: once the other steps are reverted it holds nothing of the plan.
      return { from: 'generated', statements: [] };
    case 'create_extension': {
      const name = step.id.slice(step.id.lastIndexOf(':') + 1);
      return { from: 'generated', statements: [`DROP EXTENSION IF EXISTS "${name.replace(/"/g, '""')}"`] };
    }
    case 'copy_rows': {
      const c = step.copy!;
      // Only while the source still exists: once the contract phase dropped it, the copy holds the only rows.
      return { from: 'generated', statements: [`DO $$ BEGIN IF to_regclass('${c.from.replace(/'/g, "''")}') IS NOT NULL THEN DELETE FROM ${c.to}; END IF; END $$`] };
    }
    default:
      return destroyed(step) ?? { from: 'irreversible', reason: `it drops what only its earlier definition brings back` };
  }
}

/** A step that destroys data is undone from its backup, when the backup keeps what it destroys. */
function destroyed(step: Step): StepRevert | undefined {
  if (step.destroys.length === 0) return undefined;
  const lost = step.destroys.filter((d) => d.notBackedUp !== undefined);
  if (lost.length > 0) return { from: 'irreversible', reason: `the backup before it does not keep ${lost.map((d) => d.notBackedUp).join('; ')}` };
  return { from: 'backup', reason: `restorable from backup: ${step.destroys.map((d) => d.summary).join('; ')}` };
}

function sqlRevert(step: Step, units: readonly Unit[], created: ReadonlyMap<string, Creation>, creations: Creations): StepRevert {
  const backup = destroyed(step);
  if (backup) return backup;
  const statements: string[] = [];
  let undoneWith: Set<string> | undefined;
  const alone: string[] = [];
  // What earlier statements of this step create: the step's own revert drops them, with what no revert of its own undoes in them.
  // By the index of the first statement that creates it: an object is created before statement i when its index is below i.
  // Needed only for a statement that has no revert of its own, so made at the first one.
  let here: Map<string, number> | undefined;
  const createdHere = () => (here ??= firstCreations(creations));
  const along = madePartOfOthers(step, units, createdHere);
  for (let i = units.length - 1; i >= 0; i--) {
    const u = units[i]!;
    // What the revert of another of this step's statements undoes: a CREATE OR REPLACE of one of its creations, a
    // sequence made part of a table the step creates, an index a constraint of the step takes over.
    if (replacesOwn(step, u, createdHere, i) || (along && createsOnly(step, u, along))) continue;
    // What only writes into or alters objects earlier statements of the step create goes with their drop: its own
    // revert would be needless, and would fail once a later step undone with this one (see unitRevert) changed them.
    if (creations.keys.length > 0 && intoOwn(step, u, createdHere(), i)) continue;
    const r = unitRevert(step, u, created);
    if (!r) continue;
    if ('undoneWith' in r) {
      undoneWith ??= new Set<string>();
      for (const s of r.undoneWith) undoneWith.add(s);
      alone.push(`statement ${u.stmt.index + 1} (${u.file.file}:${u.stmt.line}): ${r.reason}`);
      continue;
    }
    if ('irreversible' in r) return { from: 'irreversible', reason: `statement ${u.stmt.index + 1} (${u.file.file}:${u.stmt.line}): ${r.irreversible}` };
    for (const sql of r.sql) statements.push(sql);
  }
  const sql = joinPaths(statements);
  return undoneWith ? { from: 'generated', statements: sql, undoneWith: [...undoneWith].sort(), reason: `irreversible without those: ${alone.join('; ')}` } : { from: 'generated', statements: sql };
}

/**
 * What the step makes and then makes part of another object, whose revert takes it along: a sequence made part of a
 * table the step creates (OWNED BY: that table's drop takes it), an index the step creates before a constraint takes
 * it over (`ADD CONSTRAINT u UNIQUE USING INDEX i`: PostgreSQL renames it to the constraint's name, and dropping the
 * constraint drops it, so a DROP INDEX of it after would fail).
 */
function madePartOfOthers(step: Step, units: readonly Unit[], createdHere: () => ReadonlyMap<string, number>): Set<string> | undefined {
  let along: Set<string> | undefined;
  for (let i = 0; i < units.length; i++) {
    const effects = units[i]!.stmt.effects;
    for (const e of effects) {
      for (const c of e.columnFacts?.constraints ?? []) {
        if (!c.usingIndex) continue;
        const index = keyIn(step, { kind: 'index', name: c.usingIndex, schema: e.object.schema ?? 'public' });
        if ((createdHere().get(index) ?? i) < i) (along ??= new Set()).add(index);
      }
      if (e.detail !== 'OWNED BY' || !createdHere().has(keyIn(step, e.object))) continue;
      const seq = effects.find((s) => s.object.kind === 'sequence');
      if (seq) (along ??= new Set()).add(keyIn(step, seq.object));
    }
  }
  return along;
}

/** Whether a statement creates something, and only objects of `keys`. */
function createsOnly(step: Step, u: Unit, keys: ReadonlySet<string>): boolean {
  let creates = false;
  for (const e of u.stmt.effects) {
    if (e.action !== 'create') continue;
    if (!keys.has(keyIn(step, e.object))) return false;
    creates = true;
  }
  return creates;
}

function replacesOwn(step: Step, u: Unit, createdHere: () => ReadonlyMap<string, number>, i: number): boolean {
  let replaces = false;
  for (const e of u.stmt.effects) {
    if (e.action !== 'create') continue;
    if (!e.orReplace) return false;
    replaces = true;
  }
  if (!replaces) return false;
  const here = createdHere();
  return u.stmt.effects.every((e) => e.action !== 'create' || (here.get(keyIn(step, e.object)) ?? i) < i);
}

/** What a step's statements create: the key of each creation and the index of its statement, in statement order. */
interface Creations {
  readonly keys: string[];
  readonly at: number[];
}

const NO_CREATIONS: Creations = { keys: [], at: [] };

function creationsOf(step: Step, units: readonly Unit[]): Creations {
  let out: Creations | undefined;
  for (let i = 0; i < units.length; i++) {
    for (const e of units[i]!.stmt.effects) if (e.action === 'create') {
      out ??= { keys: [], at: [] };
      out.keys.push(keyIn(step, e.object));
      out.at.push(i);
    }
  }
  return out ?? NO_CREATIONS;
}

/** The index of the first of the step's statements that creates each object, by key. */
function firstCreations(creations: Creations): Map<string, number> {
  const here = new Map<string, number>();
  for (let k = 0; k < creations.keys.length; k++) if (!here.has(creations.keys[k]!)) here.set(creations.keys[k]!, creations.at[k]!);
  return here;
}

/** A statement that only writes rows into, or alters, objects earlier statements of its step create. */
function intoOwn(step: Step, u: Unit, here: ReadonlyMap<string, number>, at: number): boolean {
  let touched = false;
  for (const e of u.stmt.effects) {
    if (e.action === 'reference') continue;
    if (e.action !== 'write' && e.action !== 'alter') return false;
    touched = true;
    if (!((here.get(keyIn(step, e.object)) ?? at) < at)) return false;
  }
  return touched;
}

/** One statement's revert, with what only the plan knows. */
function unitRevert(step: Step, u: Unit, created: ReadonlyMap<string, Creation>): StatementRevert | { undoneWith: string[]; reason: string } | undefined {
  const own = u.stmt.engine === 'postgres' ? inPath(u, u.stmt.revert) : effectRevert(u.stmt, { database: step.database, ...(step.cluster ? { cluster: step.cluster } : {}) });
  const effects = u.stmt.effects;
  // Most statements drop nothing, replace nothing and only create: they are told apart without a list for each.
  let drops = false;
  let replaces = false;
  let touches = false;
  let onlyTouches = true;
  for (const e of effects) {
    if (e.action === 'drop') drops = true;
    else if (e.action === 'create' && e.orReplace) replaces = true;
    if (e.action === 'write' || e.action === 'alter') touches = true;
    else if (e.action !== 'reference') onlyTouches = false;
  }
  // A drop of what an earlier step created: that step's statement makes it again.
  if (drops) {
    const makers = effects.filter((e) => e.action === 'drop').map((e) => created.get(keyIn(step, e.object)));
    if (makers.every((c) => c !== undefined)) return { sql: makers.flatMap((c) => again(c!)) };
    return own;
  }
  // CREATE OR REPLACE of what an earlier step created: that definition comes back.
  const replaced = replaces ? effects.find((e) => e.action === 'create' && e.orReplace && created.has(keyIn(step, e.object))) : undefined;
  if (replaced) {
    const earlier = created.get(keyIn(step, replaced.object))!;
    return { sql: again(earlier, earlier.sql.replace(/^\s*CREATE\s+(?!OR\s+REPLACE\b)/i, 'CREATE OR REPLACE ')) };
  }
  // Rows written into tables the plan creates, a value added to a type it creates: they go when those are dropped.
  if (own && 'irreversible' in own && touches && onlyTouches) {
    const makers = effects.filter((e) => e.action === 'write' || e.action === 'alter').map((e) => created.get(keyIn(step, e.object)));
    if (makers.every((m) => m !== undefined)) return { undoneWith: [...new Set(makers.map((m) => m!.step))], reason: own.irreversible };
  }
  return own && 'sql' in own ? withIndexesBack(step, effects, created, own) : own;
}

/**
 * `ADD CONSTRAINT c UNIQUE USING INDEX i` makes index i the constraint's (PostgreSQL renames it to c), and dropping
 * the constraint drops it: made by an earlier step, it is made again after (within the revert's transaction, so
 * without CONCURRENTLY), and that step's own revert finds it. One made by this step is not (the step's revert leaves
 * it to the constraint's drop, see madePartOfOthers), nor one the plan does not make.
 */
function withIndexesBack(step: Step, effects: readonly Effect[], created: ReadonlyMap<string, Creation>, own: { readonly sql: readonly string[] }): StatementRevert {
  let remade: string[] | undefined;
  for (const e of effects) {
    for (const c of e.columnFacts?.constraints ?? []) {
      if (!c.usingIndex) continue;
      const maker = created.get(keyIn(step, { kind: 'index', name: c.usingIndex, schema: e.object.schema ?? 'public' }));
      if (!maker) continue;
      (remade ??= []).push(...again(maker, maker.sql.replace(/^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+)CONCURRENTLY\s+/i, '$1')));
    }
  }
  return remade ? { sql: [...own.sql, ...remade] } : own;
}

/** An object's key in the step's store (an unqualified ClickHouse name is in the store's database). */
function keyIn(step: Step, o: ObjectRef): string {
  const ref = step.engine === 'clickhouse' && o.schema === undefined && o.kind !== 'database' ? { ...o, schema: step.database } : o;
  return `${step.store}|${objectKey(ref)}`;
}
