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
  // Whether `to` is reachable from `from` without taking the edge from → to itself.
  const implied = (from: string, to: string): boolean => {
    const seen = new Set<string>([from]);
    const stack = (next.get(from) ?? []).filter((n) => n !== to);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const m of next.get(n) ?? []) if (!seen.has(m)) stack.push(m);
    }
    return false;
  };
  const kept = new Set<string>();
  return edges.filter((e) => {
    const key = `${e.from}\u0000${e.to}`;
    if (e.from === e.to || kept.has(key) || implied(e.from, e.to)) return false;
    kept.add(key);
    return true;
  });
}
