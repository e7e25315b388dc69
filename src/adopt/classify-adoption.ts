/**
 * Which steps of a plan are already in effect in a store migrated by other
 * means, step by step in plan order, from what the store shows:
 *
 * - `recorded`: topoplan's ledger knows every statement already;
 * - `adopted`: an sqlx row of the file with the file's version and checksum;
 *   or every object the step creates (or drops) is there (or gone), and an
 *   object it creates is not first dropped by a later step that is pending; a
 *   step that only alters objects, when each of them reads as the plan
 *   leaves it; a step that only writes rows, when another step of its file
 *   is adopted, another tool's ledger records the file, or every table it
 *   writes holds rows;
 * - `pending`: nothing of it is there (it runs on the next apply);
 * - `conflicting`: part of it is there, or an object it creates is there with
 *   another definition than the plan gives it and no pending step changes it
 *   (the difference, from the live and the planned schema, comes with it).
 *
 * @example
 * const steps = await classifyAdoption(input) // [{ id, status: 'adopted', evidence: 'sqlx row of version 3' }, ...]
 */
import type { KnownLedgerRow, SchemaSnapshot, SqlxRow } from '../engines/engine.js';
import type { Step, StepChange } from '../plan/model.js';
import type { SchemaChange } from '../schema/diff-schemas.js';
import { findInSnapshot, stepEffects } from '../execute/step-effects.js';
import type { StoreLedger } from '../execute/store-ledger.js';

export type AdoptionStatus = 'recorded' | 'adopted' | 'pending' | 'conflicting';

export interface StepAdoption {
  readonly id: string;
  readonly store: string;
  readonly file?: string;
  readonly status: AdoptionStatus;
  /** Why, in words: the evidence found, or what is missing. */
  readonly evidence: string;
  /** For a conflict: how the live objects differ from the plan's, one line each. */
  readonly difference?: readonly string[];
  /** The objects a conflict is about (`table public.comments`), for `prefer` per object. */
  readonly objects?: readonly string[];
}

export interface AdoptionInput {
  readonly steps: readonly Step[];
  readonly ledger: StoreLedger;
  readonly live: SchemaSnapshot;
  /** What differs between the schema a fresh apply of the plan gives and the live one, object by object (planned → live). */
  readonly differences: readonly SchemaChange[];
  /** sqlx rows by table (`undefined` key: `_sqlx_migrations`), declared tables and the default one. */
  readonly sqlxRows: (table: string | undefined) => Promise<ReadonlyMap<string, SqlxRow>>;
  readonly knownLedgers: readonly KnownLedgerRow[];
  readonly countRows: (table: string) => Promise<number | undefined>;
}

export async function classifyAdoption(input: AdoptionInput): Promise<StepAdoption[]> {
  const out = new Map<string, StepAdoption>();
  const adoptedFiles = new Set<string>();
  const creator = new Map<string, string>();
  const later: Step[] = [];
  const created = new Map<string, number>();
  for (const step of input.steps) for (const c of step.changes) if (c.action === 'create') created.set(objectKey(c), (created.get(objectKey(c)) ?? 0) + 1);
  for (const step of input.steps) {
    const base = { id: step.id, store: step.store, ...(step.source ? { file: step.source.file } : {}) };
    const states = input.ledger.states(step);
    if (states.every((s) => s.state === 'applied')) {
      out.set(step.id, { ...base, status: 'recorded', evidence: 'in topoplan\'s ledger already' });
      if (step.source) adoptedFiles.add(step.source.file);
      continue;
    }
    const sqlx = await sqlxEvidence(step, input);
    if (sqlx) {
      out.set(step.id, { ...base, status: 'adopted', evidence: sqlx });
      adoptedFiles.add(step.source!.file);
      continue;
    }
    const checked = byObjects(step, input, out, creator, created);
    if (!checked) {
      later.push(step);
      continue;
    }
    out.set(step.id, { ...base, ...checked });
    if (checked.status === 'adopted' && step.source) adoptedFiles.add(step.source.file);
    for (const c of step.changes) if (c.action === 'create') creator.set(objectKey(c), step.id);
  }
  for (const step of later) out.set(step.id, { id: step.id, store: step.store, ...(step.source ? { file: step.source.file } : {}), ...(await byRowsOrFile(step, input, adoptedFiles)) });
  return definitionConflicts(input.steps.map((s) => out.get(s.id)!), input);
}

/** A row of the step's file in its sqlx table, or in the default `_sqlx_migrations`, with the file's version and checksum. */
async function sqlxEvidence(step: Step, input: AdoptionInput): Promise<string | undefined> {
  if (!step.sqlx || !step.source) return undefined;
  for (const table of step.sqlx.table ? [step.sqlx.table, undefined] : [undefined]) {
    const row = (await input.sqlxRows(table)).get(step.sqlx.version);
    if (row && row.success && row.checksum === step.sqlx.checksumSha384) return `sqlx row of version ${step.sqlx.version} in ${table ?? '_sqlx_migrations'} with the file's checksum`;
  }
  return undefined;
}

type Verdict = Pick<StepAdoption, 'status' | 'evidence' | 'difference' | 'objects'>;

/**
 * By the objects the step creates or drops; undefined when it has none the
 * schema can show. An object several steps create (a shared function, a table
 * a cleanup drops and a service creates again) says nothing of any one of
 * them: a step with only such objects is adopted when one of them is there
 * (running it again would collide with, or drop, what is there), else pending.
 */
function byObjects(step: Step, input: AdoptionInput, soFar: ReadonlyMap<string, StepAdoption>, creator: ReadonlyMap<string, string>, created: ReadonlyMap<string, number>): Verdict | undefined {
  if (step.kind === 'create_database') {
    const exists = input.live.objects.length > 0 || input.ledger.records.length > 0;
    return exists ? { status: 'adopted', evidence: 'the database exists' } : { status: 'pending', evidence: 'the database does not exist' };
  }
  const effects = stepEffects(step, input.live);
  if (effects.invalid.length > 0) return { status: 'conflicting', evidence: `index ${effects.invalid.join(', ')} exists but is INVALID`, difference: effects.invalid.map((i) => `index ${i}: INVALID (a cancelled CREATE INDEX CONCURRENTLY)`), objects: effects.invalid.map((i) => `index ${i}`) };
  const several = step.changes.filter((c) => (c.action === 'create' || c.action === 'drop') && (created.get(objectKey(c)) ?? 0) > 1);
  const ambiguous = new Set(several.map(label));
  const present = effects.present.filter((l) => !ambiguous.has(l));
  const missing = effects.missing.filter((l) => !ambiguous.has(l));
  // A drop whose object was never created here is not "done": the create before it is pending, so is the drop.
  const pendingCreate = step.changes.filter((c) => c.action === 'drop' && !ambiguous.has(label(c)) && soFar.get(creator.get(objectKey(c)) ?? '')?.status === 'pending');
  if (pendingCreate.length > 0) return { status: 'pending', evidence: `drops ${pendingCreate.map(label).join(', ')}, whose creation is pending` };
  if (missing.length > 0 && present.length > 0) {
    return { status: 'conflicting', evidence: `partly in effect: ${present.join(', ')} ${is(present)} there, ${missing.join(', ')} ${is(missing)} not`, difference: missing.map((m) => `${m}: not there`), objects: [...present, ...missing] };
  }
  if (missing.length > 0) return { status: 'pending', evidence: `${missing.join(', ')} ${is(missing)} not there` };
  if (present.length > 0) return { status: 'adopted', evidence: `${present.join(', ')} ${is(present)} ${step.changes.some((c) => c.action === 'drop') && !step.changes.some((c) => c.action === 'create') ? 'gone' : 'there'}` };
  if (several.length === 0) return undefined;
  const there = several.filter((c) => findInSnapshot(input.live, c.kind, c.name) !== undefined);
  if (there.length > 0) return { status: 'adopted', evidence: `${there.map(label).join(', ')}, which other steps create too, ${is(there)} there: running it would ${step.changes.some((c) => c.action === 'drop') ? 'drop' : 'collide with'} ${there.length === 1 ? 'it' : 'them'}` };
  return { status: 'pending', evidence: `${several.map(label).join(', ')} ${is(several)} not there` };
}

/** A step the schema cannot confirm: alters (confirmed by definitions) or writes (by rows, its file, or another tool's ledger). */
async function byRowsOrFile(step: Step, input: AdoptionInput, adoptedFiles: ReadonlySet<string>): Promise<Verdict> {
  const altered = step.changes.filter((c) => c.action === 'alter');
  if (altered.length > 0) {
    const differing = altered.filter((c) => differenceOf(c, input) !== undefined);
    if (differing.length === 0) return { status: 'adopted', evidence: `${altered.map(label).join(', ')} ${is(altered)} as the plan leaves ${altered.length === 1 ? 'it' : 'them'}` };
    return { status: 'pending', evidence: `${differing.map(label).join(', ')} ${is(differing)} not yet as the plan leaves ${differing.length === 1 ? 'it' : 'them'}` };
  }
  if (step.source && adoptedFiles.has(step.source.file)) return { status: 'adopted', evidence: 'the rest of its file is in effect' };
  const tool = step.source ? knownLedgerEvidence(step.source.file, input.knownLedgers) : undefined;
  if (tool) return { status: 'adopted', evidence: tool };
  const written = step.changes.filter((c) => (c.action === 'write' || c.action === 'copy') && c.kind === 'table').map((c) => c.to ?? c.name);
  if (written.length > 0) {
    const counts = await Promise.all(written.map((t) => input.countRows(t)));
    if (counts.every((n) => (n ?? 0) > 0)) return { status: 'adopted', evidence: `${written.join(', ')} already hold${written.length === 1 ? 's' : ''} rows` };
    return { status: 'pending', evidence: `${written.filter((_, i) => !counts[i]).join(', ')} ${written.length === 1 ? 'holds' : 'hold'} no rows yet` };
  }
  return { status: 'pending', evidence: 'nothing in the database shows it ran' };
}

/** Another tool's ledger recording the file, by its version (or Flyway's script name). */
function knownLedgerEvidence(file: string, rows: readonly KnownLedgerRow[]): string | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const version = /^[Vv]?(\d+)/.exec(name)?.[1];
  for (const r of rows) {
    if (r.script === name) return `${r.tool} records ${name} in ${r.table}`;
    if (!version || !r.version || !/^\d+$/.test(r.version)) continue;
    const v = BigInt(version);
    const recorded = BigInt(r.version);
    if (r.upTo ? v < recorded || (v === recorded && !r.dirty) : v === recorded) return `${r.tool} records version ${r.version} in ${r.table}`;
  }
  return undefined;
}

/**
 * An adopted step whose objects are there with another definition than the
 * plan gives them is a conflict, unless a pending step still changes them.
 */
function definitionConflicts(steps: readonly StepAdoption[], input: AdoptionInput): StepAdoption[] {
  const byId = new Map(input.steps.map((s) => [s.id, s]));
  const pendingTouches = new Set<string>();
  for (const a of steps) if (a.status === 'pending') for (const c of byId.get(a.id)!.changes) pendingTouches.add(objectKey(c));
  return steps.map((a) => {
    if (a.status !== 'adopted') return a;
    const step = byId.get(a.id)!;
    const differing = step.changes.filter((c) => c.action === 'create' && !pendingTouches.has(objectKey(c))).map((c) => ({ c, d: differenceOf(c, input) })).filter((x) => x.d);
    if (differing.length === 0) return a;
    return {
      ...a,
      status: 'conflicting',
      evidence: `${differing.map((x) => label(x.c)).join(', ')} ${is(differing)} there with another definition than the plan's`,
      difference: differing.flatMap((x) => [`${x.d!.kind} ${x.d!.name} (plan → live):`, ...x.d!.details.map((d) => `  ${d}`)]),
      objects: differing.map((x) => `${x.d!.kind} ${x.d!.name}`),
    };
  });
}

/** The planned-vs-live difference of the object a change names, if any. */
function differenceOf(c: StepChange, input: AdoptionInput): SchemaChange | undefined {
  const name = findInSnapshot(input.live, c.kind, c.name) ?? c.name;
  const kind = c.kind === 'materialized_view' ? 'view' : c.kind;
  return input.differences.find((d) => d.kind === kind && d.change !== 'added' && (d.name === name || d.name === `public.${name}` || d.name.replace(/\(.*$/, '') === name));
}

function objectKey(c: StepChange): string {
  return `${c.kind === 'materialized_view' ? 'view' : c.kind} ${c.name.startsWith('public.') ? c.name.slice(7) : c.name}`;
}

function label(c: StepChange): string {
  return `${c.kind.replace('_', ' ')} ${c.name}`;
}

function is(xs: readonly unknown[]): string {
  return xs.length === 1 ? 'is' : 'are';
}

