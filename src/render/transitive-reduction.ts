/**
 * The transitive reduction of a plan's edges: an edge a → c is left out when
 * c is reached from a through other steps anyway (a → b → c), so a drawing
 * shows what each step waits for directly and nothing twice. Order and
 * content of the kept edges are as in the plan. A cycle (a plan that failed)
 * keeps every edge on it that no other path implies.
 *
 * @example
 * transitiveReduction([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'c' }]) // a → b, b → c
 */
export function transitiveReduction<E extends { readonly from: string; readonly to: string }>(edges: readonly E[]): E[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const list = next.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    next.set(e.from, list);
  }
  const implied = impliedEdges(next);
  const kept = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}\u0000${e.to}`;
    if (e.from === e.to || kept.has(key) || implied(e.from, e.to)) return false;
    kept.add(key);
    return true;
  });
}

/** Reached from more than one of a step's successors. */
const SEVERAL = Symbol('several');

/**
 * Whether a → c is implied: c is reached from a successor of a other than c itself. One walk per step answers
 * it for all the step's edges at once (the plan's edges come grouped by step), where a walk per edge walked a
 * store's database step's whole store once for each of its edges: drawing 20,000 steps took 1.6 s of them.
 * The walk starts below each successor and marks what it reaches with the successor it came from, or with
 * SEVERAL once a second one reaches it: each step is marked at most twice, and a successor that reaches only
 * itself (around a cycle) implies nothing. The walk does not go back through the step: from there on, a path
 * is one of the step's own edges and what follows it.
 */
function impliedEdges(next: ReadonlyMap<string, readonly string[]>): (from: string, to: string) => boolean {
  let last: string | undefined;
  let from = new Map<string, string | typeof SEVERAL>();
  return (step, to) => {
    if (step !== last) {
      last = step;
      from = new Map();
      const stack: [string, string][] = [];
      for (const s of next.get(step) ?? []) for (const n of next.get(s) ?? []) stack.push([n, s]);
      while (stack.length > 0) {
        const [n, origin] = stack.pop()!;
        const known = from.get(n);
        // A path back through the step itself goes on by one of its own edges: those are asked about apart.
        if (n === step || known === SEVERAL || known === origin) continue;
        from.set(n, known === undefined ? origin : SEVERAL);
        for (const m of next.get(n) ?? []) stack.push([m, origin]);
      }
    }
    const origin = from.get(to);
    return origin !== undefined && origin !== to;
  };
}
