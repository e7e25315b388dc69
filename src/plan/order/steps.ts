/**
 * Groups nodes into steps: consecutive statements of one file that go to one
 * store (and one owner) form a step; a statement that must run outside a
 * transaction, or that destroys data, stands alone, except that a ClickHouse
 * `SET` joins the statement after it. Synthetic nodes are steps of their own,
 * and so is a statement the caller sets apart (a step whose statements would
 * otherwise wait for each other through other steps, in a cycle).
 */
import { digestHex } from '../../sql/digest-hex.js';
import { renamedRef } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import type { Step, StepChange, StepSubstitution } from '../model.js';
import { isSynth, type Node, type Synth } from './nodes.js';
import { displayName } from '../object-keys.js';
import type { Unit } from '../read/units.js';
import { compareText } from '../compare-text.js';

/** A step before edges, waves and phases are known. */
export interface DraftStep {
  readonly id: string;
  readonly nodes: Node[];
  readonly store: string;
  readonly set?: string;
  readonly seq: number;
  readonly destructive: boolean;
  readonly synth?: Synth;
}

/** `alone`: statements that form a step of their own (see splitCycles in plan-migration.ts). */
export function groupSteps(units: readonly Unit[], synths: readonly Synth[], alone?: ReadonlySet<Node>): { drafts: DraftStep[]; stepOf: Map<Node, DraftStep> } {
  const drafts: DraftStep[] = [];
  const byFile = new Map<string, Unit[]>();
  for (const u of units) {
    if (u.skipped || !u.store) continue;
    const list = byFile.get(u.file.file) ?? [];
    list.push(u);
    byFile.set(u.file.file, list);
  }
  for (const list of byFile.values()) {
    list.sort((a, b) => a.stmt.index - b.stmt.index || compareText(a.store!, b.store!));
    // Walk each store's statements of this file; a statement of another store in between breaks the run.
    const byStore = new Map<string, Unit[][]>();
    let prev: Unit | undefined;
    for (const u of list) {
      const runs = byStore.get(u.store!) ?? [];
      const run = runs[runs.length - 1];
      const last = run?.[run.length - 1];
      // A ClickHouse SET stays with the statement it governs (the engine sends its settings with that statement).
      const governs = last?.stmt.settings !== undefined && last.stmt.kind === 'SET';
      const joins =
        run && last && prev === last && last.service === u.service && !alone?.has(u) && !alone?.has(last) &&
        (governs || (last.stmt.transactional && u.stmt.transactional && !last.destructive && !u.destructive));
      if (joins) run.push(u);
      else runs.push([u]);
      byStore.set(u.store!, runs);
      prev = u;
    }
    for (const runs of byStore.values()) for (const run of runs) drafts.push(draftFromRun(run));
  }
  for (const s of synths) drafts.push({ id: `${s.store}:${s.name}`, nodes: [s], store: s.store, seq: s.seq, destructive: s.destructive, synth: s });
  drafts.sort((a, b) => a.seq - b.seq || compareText(a.id, b.id));
  const stepOf = new Map<Node, DraftStep>();
  for (const d of drafts) for (const n of d.nodes) stepOf.set(n, d);
  return { drafts, stepOf };
}

function draftFromRun(run: Unit[]): DraftStep {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const range = first === last ? `${first.stmt.index + 1}` : `${first.stmt.index + 1}-${last.stmt.index + 1}`;
  return {
    id: `${first.store}:${first.set.name}/${first.file.name}#${range}`,
    nodes: run,
    store: first.store!,
    set: first.set.name,
    seq: first.seq,
    destructive: run.some((u) => u.destructive),
  };
}

export function checksumOf(statements: readonly string[]): string {
  return digestHex('sha256', statements.join(';\n'));
}

/** Builds the final Step for a draft once its dependencies, wave and phase are known. */
export function finishStep(
  d: DraftStep,
  topology: Topology,
  extra: { dependsOn: string[]; wave: number; phase: Step['phase']; sqlx?: Step['sqlx'] },
): Step {
  const store = topology.stores.get(d.store)!;
  // The fields every step starts with are written out in each literal: spreading an object of them into another
  // (`{ ...base, kind }`) cost V8 about as much as the rest of building a step.
  if (d.synth) {
    const s = d.synth;
    return {
      id: d.id,
      store: d.store,
      engine: store.engine,
      database: store.database,
      ...(store.cluster ? { cluster: store.cluster } : {}),
      wave: extra.wave,
      dependsOn: extra.dependsOn,
      phase: extra.phase,
      kind: s.kind,
      ...(s.service ? { service: s.service } : {}),
      statements: s.statements,
      transactional: s.transactional,
      ...(s.nonTransactionalReason ? { nonTransactionalReason: s.nonTransactionalReason } : {}),
      destructive: s.destructive,
      destroys: s.destroys,
      checksum: checksumOf(s.statements),
      changes: s.changes,
      notes: s.notes,
      ...(s.copy ? { copy: s.copy } : {}),
    };
  }
  const units = d.nodes as Unit[];
  const first = units[0]!;
  const last = units[units.length - 1]!;
  const statements = units.map((u) => u.sql);
  const nonTx = units.find((u) => !u.stmt.transactional);
  // A destructive statement stands alone, so its allowance is the step's.
  const allowed = units.find((u) => u.allowed)?.allowed;
  return {
    id: d.id,
    store: d.store,
    engine: store.engine,
    database: store.database,
    ...(store.cluster ? { cluster: store.cluster } : {}),
    wave: extra.wave,
    dependsOn: extra.dependsOn,
    phase: extra.phase,
    kind: 'sql',
    ...(first.service ? { service: first.service } : {}),
    source: {
      set: first.set.name,
      file: first.file.file,
      firstStatement: first.stmt.index,
      lastStatement: last.stmt.index,
      line: first.stmt.line,
      endLine: last.stmt.endLine,
      start: first.stmt.start,
      end: last.stmt.end,
      statementLines: units.map((u) => u.stmt.line),
      ordinals: units.map((u) => u.stmt.index),
      fingerprints: units.map((u) => u.fingerprint),
      ...(units.some((u) => u.sql !== u.stmt.sql) ? { original: units.map((u) => u.stmt.sql) } : {}),
    },
    statements,
    ...(units.some((u) => u.stmt.settings) ? { settings: units.map((u) => u.stmt.settings ?? {}) } : {}),
    transactional: !nonTx,
    ...(nonTx?.stmt.nonTransactionalReason ? { nonTransactionalReason: nonTx.stmt.nonTransactionalReason } : {}),
    destructive: d.destructive,
    destroys: units.flatMap((u) => u.destroys),
    ...(allowed ? { allowed } : {}),
    checksum: checksumOf(statements),
    changes: changesOf(units, store.engine === 'clickhouse' ? store.database : undefined),
    notes: [...new Set(units.flatMap((u) => u.notes))],
    ...substitutionsOf(units),
    ...(extra.sqlx ? { sqlx: extra.sqlx } : {}),
  };
}

function substitutionsOf(units: readonly Unit[]): { substitutions?: StepSubstitution[] } {
  const out: StepSubstitution[] = [];
  for (const u of units) for (const a of u.stmt.substitutions ?? []) {
    if (!out.some((o) => o.placeholder === a.placeholder && o.value === a.value)) out.push({ placeholder: a.placeholder, value: a.value, source: a.source });
  }
  return out.length > 0 ? { substitutions: out } : {};
}

/** `database`: the store's, for ClickHouse, where an unqualified name is in it. */
function changesOf(units: readonly Unit[], database: string | undefined): StepChange[] {
  const out: StepChange[] = [];
  const seen = new Set<string>();
  for (const u of units) {
    for (const e of u.stmt.effects) {
      if (e.action === 'reference') continue;
      const name = displayName(database !== undefined && e.object.schema === undefined && e.object.kind !== 'database' ? { ...e.object, schema: database } : e.object);
      // A move to another schema (or ClickHouse database) names where it goes.
      const to = e.action === 'rename' && e.renameTo ? (e.renameSchema !== undefined && e.renameSchema !== e.object.schema ? displayName(renamedRef(e.object, e)) : e.renameTo) : undefined;
      const key = `${e.action}|${e.object.kind}|${name}|${to ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ action: e.action, kind: e.object.kind, name, ...(to ? { to } : {}) });
    }
  }
  return out;
}
