/**
 * The step graph: dependency edges with their reasons, the author's order
 * inside each set and store, a database-creation step per store, cycle
 * reports (see cycles.ts), waves (longest path from the roots) and phases.
 */
import type { Diagnostic } from '../../errors.js';
import type { Topology } from '../../topology/model.js';
import type { Edge, Phase } from '../model.js';
import { isSynth, type Dep, type Node, type Synth } from './nodes.js';
import { storeKey } from '../object-keys.js';
import type { DraftStep } from './steps.js';
import { compareText } from '../compare-text.js';
import { depReason } from './dep-reason.js';
import { findCycles, reportCycles } from './cycles.js';

export interface StepGraph {
  readonly drafts: DraftStep[];
  readonly edges: Edge[];
  readonly preds: Map<string, Set<string>>;
  readonly order: string[];
  readonly wave: Map<string, number>;
  readonly phase: Map<string, Phase>;
  /** Steps that wait for each other, each cycle as its sorted step ids; empty when every step is placed. */
  readonly cycles: string[][];
  readonly diagnostics: Diagnostic[];
}

export function buildGraph(topology: Topology, drafts: DraftStep[], stepOf: Map<Node, DraftStep>, deps: readonly Dep[]): StepGraph {
  const reasons = new Map<string, Set<string>>();
  const add = (from: string, to: string, reason: string) => {
    if (from === to) return;
    const k = `${from}\u0000${to}`;
    const s = reasons.get(k) ?? new Set<string>();
    s.add(reason);
    reasons.set(k, s);
  };
  for (const d of deps) {
    const a = stepOf.get(d.from);
    const b = stepOf.get(d.to);
    if (a && b && a !== b) add(a.id, b.id, depReason(d));
  }
  addSetOrder(topology, drafts, add);
  const withDb = addDatabaseSteps(topology, drafts, reasons, add);
  const edges = [...reasons]
    .map(([k, r]) => ({ from: k.slice(0, k.indexOf('\u0000')), to: k.slice(k.indexOf('\u0000') + 1), reasons: [...r].sort() }))
    .sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
  const preds = new Map<string, Set<string>>(withDb.map((d) => [d.id, new Set<string>()]));
  const succs = new Map<string, Set<string>>(withDb.map((d) => [d.id, new Set<string>()]));
  for (const e of edges) {
    preds.get(e.to)!.add(e.from);
    succs.get(e.from)!.add(e.to);
  }
  const { order, wave, cyclic } = layer(withDb, preds, succs);
  // Finding the cycles themselves is only worth it when the layering could not place every step.
  const cycles = cyclic ? findCycles(withDb, edges) : [];
  const diagnostics = cycles.length > 0 ? reportCycles(topology, withDb, edges, cycles) : [];
  const phase = phases(withDb, order, succs);
  return { drafts: withDb, edges, preds, order, wave, phase, cycles, diagnostics };
}

/**
 * The author's order of one set on one store. A destructive step receives
 * the order edge but passes none on: the steps after it do not wait for a
 * destruction that apply may hold back (its own dependencies still hold).
 * The exception is a step that uses what it changes without dropping it (the
 * table whose column, rows or values it destroys): that one keeps the order,
 * so data is never re-seeded before it is emptied. What a dropped object's
 * successors need is ordered by its versions (drop before the next create).
 */
function addSetOrder(topology: Topology, drafts: readonly DraftStep[], add: (a: string, b: string, r: string) => void): void {
  const last = new Map<string, DraftStep>();
  const held = new Map<string, { step: DraftStep; keys: Set<string> }[]>();
  for (const d of drafts) {
    if (!d.set) continue;
    const k = `${d.set}|${d.store}`;
    const prev = last.get(k);
    if (prev) add(prev.id, d.id, `file order in set "${d.set}"`);
    const before = held.get(k);
    if (before) {
      const touched = touchedKeys(topology, d);
      for (const h of before) if ([...h.keys].some((x) => touched.has(x))) add(h.step.id, d.id, `file order in set "${d.set}": uses what "${h.step.id}" destroys data of`);
    }
    if (!d.destructive) {
      last.set(k, d);
      continue;
    }
    const keys = new Set<string>();
    for (const n of d.nodes) {
      if (isSynth(n)) continue;
      for (const x of n.destroys) if (x.kind !== 'drop') keys.add(storeKey(topology, d.store, n.stmt.engine, x.object));
    }
    if (keys.size > 0) held.set(k, [...(before ?? []), { step: d, keys }]);
  }
}

function touchedKeys(topology: Topology, d: DraftStep): Set<string> {
  const out = new Set<string>();
  for (const n of d.nodes) if (!isSynth(n)) for (const e of n.stmt.effects) out.add(storeKey(topology, d.store, n.stmt.engine, e.object));
  return out;
}

function addDatabaseSteps(
  topology: Topology,
  drafts: DraftStep[],
  reasons: Map<string, Set<string>>,
  add: (a: string, b: string, r: string) => void,
): DraftStep[] {
  const hasPred = new Set<string>();
  const storeOf = new Map(drafts.map((d) => [d.id, d.store]));
  for (const k of reasons.keys()) {
    const [from, to] = k.split('\u0000') as [string, string];
    if (storeOf.get(from) === storeOf.get(to)) hasPred.add(to);
  }
  const out = [...drafts];
  const stores = [...new Set(drafts.map((d) => d.store))].sort();
  for (const name of stores) {
    const store = topology.stores.get(name)!;
    if (store.engine === 'neo4j') continue;
    const q = store.engine === 'postgres' ? `"${store.database.replace(/"/g, '""')}"` : `\`${store.database.replace(/`/g, '``')}\``;
    const synth: Synth = {
      synth: true,
      kind: 'create_database',
      name: 'database',
      store: name,
      seq: -2,
      statements: [store.engine === 'postgres' ? `CREATE DATABASE ${q}` : `CREATE DATABASE IF NOT EXISTS ${q}${store.cluster ? ` ON CLUSTER ${chCluster(store.cluster)}` : ''}`],
      transactional: false,
      nonTransactionalReason: 'CREATE DATABASE',
      changes: [{ action: 'create', kind: 'database', name: store.database }],
      notes: [`database "${store.database}" of store "${name}"${store.cluster ? `, on every node of cluster "${store.cluster}"` : ''}`],
      destructive: false,
      destroys: [],
    };
    const step: DraftStep = { id: `${name}:database`, nodes: [synth], store: name, seq: -2, destructive: false, synth };
    out.unshift(step);
    for (const d of drafts) if (d.store === name && !hasPred.has(d.id)) add(step.id, d.id, `runs in database "${store.database}"`);
  }
  return out;
}

/** A cluster name as ON CLUSTER takes it: bare when it is a plain identifier. */
export function chCluster(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** Kahn's algorithm with a stable queue; steps left in cycles go last, in id order. */
function layer(drafts: readonly DraftStep[], preds: Map<string, Set<string>>, succs: Map<string, Set<string>>): { order: string[]; wave: Map<string, number>; cyclic: boolean } {
  const indeg = new Map(drafts.map((d) => [d.id, preds.get(d.id)!.size]));
  const wave = new Map<string, number>();
  const order: string[] = [];
  let ready = drafts.filter((d) => indeg.get(d.id) === 0).map((d) => d.id);
  for (const id of ready) wave.set(id, 0);
  while (ready.length > 0) {
    const next: string[] = [];
    for (const id of ready) {
      order.push(id);
      for (const s of succs.get(id)!) {
        wave.set(s, Math.max(wave.get(s) ?? 0, wave.get(id)! + 1));
        const n = indeg.get(s)! - 1;
        indeg.set(s, n);
        if (n === 0) next.push(s);
      }
    }
    ready = next;
  }
  const cyclic = order.length < drafts.length;
  // Only placed steps count: a step in a cycle may have a wave from a predecessor, and counting it would leave a wave empty.
  let maxWave = 0;
  for (const id of order) maxWave = Math.max(maxWave, wave.get(id)!);
  const done = new Set(order);
  for (const d of [...drafts].sort((a, b) => compareText(a.id, b.id))) {
    if (!done.has(d.id)) {
      order.push(d.id);
      wave.set(d.id, maxWave + 1);
    }
  }
  return { order, wave, cyclic };
}

/** A destructive step all of whose dependants are also contract steps is deferred to the contract phase. */
function phases(drafts: readonly DraftStep[], order: readonly string[], succs: Map<string, Set<string>>): Map<string, Phase> {
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const phase = new Map<string, Phase>();
  for (let i = order.length - 1; i >= 0; i--) {
    const d = byId.get(order[i]!)!;
    const contract = d.destructive && [...succs.get(d.id)!].every((s) => phase.get(s) === 'contract');
    phase.set(d.id, contract ? 'contract' : d.synth?.kind === 'copy_rows' ? 'migrate' : 'expand');
  }
  return phase;
}
