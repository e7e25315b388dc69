/**
 * Ordered sets: `after: [set, ...]` puts a set's statements after those of the
 * sets it names, per store, so a set of deltas acts on what a baseline set
 * created. The chain also decides how a drop of an object whose only creator
 * is in another set is read: where the chain puts the drop's set first it is a
 * cleanup that precedes the create; otherwise it uses the object and then
 * drops it (use → drop). The plan notes which reading was taken. Writes to one
 * table from sets the chain does not order are a conflict: nothing says which
 * rows are there when.
 *
 * @example
 * const chain = new SetChain(topology);
 * chain.before('baseline', 'delta') // true when delta says after: [baseline]
 */
import type { Topology } from '../../topology/model.js';
import { describe, storeKey } from '../object-keys.js';
import type { ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from '../resolve/conflict-log.js';
import { unitPlace, type Unit } from '../read/units.js';
import type { Lifecycle, NodeEffects } from './lifecycle.js';
import { isSynth } from './nodes.js';
import { compareText } from '../compare-text.js';

export class SetChain {
  /** For each set, every set that comes before it (transitively). */
  private readonly earlier = new Map<string, Set<string>>();

  constructor(private readonly topology: Topology) {
    const visit = (name: string, seen: Set<string>): Set<string> => {
      const known = this.earlier.get(name);
      if (known) return known;
      const out = new Set<string>();
      this.earlier.set(name, out);
      for (const a of topology.sets.get(name)?.after ?? []) {
        if (seen.has(a) || !topology.sets.has(a)) continue;
        out.add(a);
        for (const x of visit(a, new Set([...seen, name]))) out.add(x);
      }
      return out;
    };
    for (const name of topology.sets.keys()) visit(name, new Set([name]));
  }

  /** True when the topology puts every statement of set `a` before those of set `b`. */
  before(a: string, b: string): boolean {
    return this.earlier.get(b)?.has(a) ?? false;
  }

  /** True when one of the two sets comes first, or they are one set. */
  ordered(a: string, b: string): boolean {
    return a === b || this.before(a, b) || this.before(b, a);
  }

  get empty(): boolean {
    return [...this.topology.sets.values()].every((s) => s.after.length === 0);
  }

  /**
   * True when the creators of one object follow the chain, each a next version of
   * the one before: a later set replaces it (`CREATE OR REPLACE`) or drops it first.
   */
  versionsInOrder(key: string, creators: readonly { readonly unit: Unit }[], units: readonly Unit[]): boolean {
    if (this.empty) return false;
    const sorted = [...creators].sort((a, b) => a.unit.seq - b.unit.seq);
    const keyOf = (u: Unit, object: ObjectRef) => storeKey(this.topology, u.store!, u.stmt.engine, object);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!.unit;
      const cur = sorted[i]!.unit;
      if (prev.set.name === cur.set.name) continue;
      if (!this.before(prev.set.name, cur.set.name)) return false;
      if (cur.stmt.effects.some((e) => e.action === 'create' && e.orReplace && keyOf(cur, e.object) === key)) continue;
      const dropped = units.some((u) => u.seq > prev.seq && u.seq < cur.seq && u.store === cur.store && u.stmt.effects.some((e) => e.action === 'drop' && keyOf(u, e.object) === key));
      if (!dropped) return false;
    }
    return true;
  }

  /**
   * Per store, the first statement of a set waits for the last of each set it comes after; so does its
   * first statement that destroys nothing, since the order inside a set does not pass through a
   * destructive statement (apply may hold it back).
   */
  orderSets(units: readonly Unit[], lifecycle: Lifecycle): void {
    if (this.empty) return;
    const heads = new Map<string, Unit[]>();
    const last = new Map<string, Unit>();
    for (const u of units) {
      const k = `${u.set.name}|${u.store}`;
      const h = heads.get(k) ?? [];
      if (h.length === 0 || (!u.destructive && h.every((x) => x.destructive))) h.push(u);
      heads.set(k, h);
      // A destructive statement may be held back by apply: the next set does not wait for it.
      if (!u.destructive) last.set(k, u);
    }
    for (const set of this.topology.sets.values()) {
      for (const [k, list] of heads) {
        if (!k.startsWith(`${set.name}|`)) continue;
        for (const a of set.after) {
          const before = last.get(`${a}|${list[0]!.store}`);
          if (before) for (const u of list) lifecycle.dep(before, u, `set "${set.name}" runs after set "${a}" (after:)`);
        }
      }
    }
  }

  /** How each drop that saw no version when it was read is ordered against the other set's create. */
  readDrops(lifecycle: Lifecycle): void {
    for (const { node: n, key, object } of lifecycle.unmatchedDrops) {
      const drop = n.node as Unit;
      const creator = (lifecycle.versions.get(key) ?? []).find((v) => !isSynth(v.node) && v.node.seq > n.seq && v.node.set.name !== n.set);
      if (!creator || isSynth(creator.node)) continue;
      const made = creator.node;
      const what = describe(object);
      if (this.before(drop.set.name, made.set.name)) {
        lifecycle.dep(drop, made, `cleans up ${what} before set "${made.set.name}" creates it`);
        drop.notes.push(`read as a cleanup: drops ${what} before set "${made.set.name}" creates it (${unitPlace(made)}), since "${made.set.name}" runs after "${drop.set.name}"`);
        continue;
      }
      if (creator.dropNode) continue;
      creator.dropNode = drop;
      lifecycle.dep(made, drop, `drops ${what} created here`);
      drop.notes.push(
        `read as use → drop: drops ${what} after set "${made.set.name}" creates it (${unitPlace(made)}); if it is a cleanup that must come first, say so with after: [${drop.set.name}] on set "${made.set.name}"`,
      );
    }
  }

  /** Writes to one table from sets the chain does not order: a conflict naming both writers. */
  checkWrites(nodes: readonly NodeEffects[], lifecycle: Lifecycle, log: ConflictLog): void {
    const writers = new Map<string, Unit[]>();
    for (const n of nodes) {
      if (isSynth(n.node)) continue;
      for (const e of n.effects) {
        if (e.action !== 'write') continue;
        const k = lifecycle.key(n.store, n.engine, e.object);
        const list = writers.get(k);
        if (!list) writers.set(k, [n.node]);
        else if (!list.includes(n.node)) list.push(n.node);
      }
    }
    // Nearly every table is written by one set only: only those written by two or more are sorted and compared.
    const shared: [string, Unit[]][] = [];
    writers.forEach((list, key) => {
      if (list.some((u) => u.set.name !== list[0]!.set.name)) shared.push([key, list]);
    });
    for (const [key, list] of shared.sort(([a], [b]) => compareText(a, b))) {
      const sets = [...new Set(list.map((u) => u.set.name))];
      for (let i = 0; i < sets.length; i++) {
        for (let j = i + 1; j < sets.length; j++) {
          const [a, b] = [sets[i]!, sets[j]!];
          if (this.ordered(a, b) || this.topology.sets.get(a)?.shared || this.topology.sets.get(b)?.shared) continue;
          const ua = list.find((u) => u.set.name === a)!;
          const ub = list.find((u) => u.set.name === b)!;
          const object = key.slice(key.indexOf('|') + 1);
          const name = object.slice(object.indexOf(':') + 1);
          log.add({
            kind: 'unordered_writes',
            object: `table ${name}`,
            objectName: name,
            message: `plan: sets "${a}" and "${b}" both write rows of table "${name}" ("${unitPlace(ua)}" and "${unitPlace(ub)}"), and nothing orders the two sets: the rows left depend on which runs first`,
            sources: [ua, ub].map((u) => ({ file: u.file.file, line: u.stmt.line, set: u.set.name, ...(u.store ? { store: u.store } : {}) })),
            hint: `order the sets:\nsets:\n  ${b}: { dir: ${this.topology.sets.get(b)!.dir}, after: [${a}] }\nor accept it:\naccept:\n  - { conflict: unordered_writes, object: ${name}, reason: ... }`,
            severity: 'error',
          });
        }
      }
    }
  }
}
