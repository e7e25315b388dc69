/**
 * Where each file the plan will not apply sits in its set's order: after the last step of the set's
 * file before it, so whatever it should have done can be done by hand at that point.
 *
 * @example
 * placeNotRun(topology, read.notRun, steps)
 * // [{ set: 'relay', file: 'delta/73/01backfill_stream.py', reason: 'a Python file: ...', after: 'main:relay/73/00streams.sql#1-2' }]
 */
import type { Topology } from '../../topology/model.js';
import type { NotRunFile, Step } from '../model.js';
import { compareText } from '../compare-text.js';

export function placeNotRun(topology: Topology, notRun: readonly Omit<NotRunFile, 'after'>[], steps: readonly Step[]): NotRunFile[] {
  if (notRun.length === 0) return [];
  // The last step of each file, in plan order (a file may have several, in several stores).
  const lastOf = new Map<string, string>();
  for (const s of steps) if (s.source) lastOf.set(s.source.file, s.id);
  const out = notRun.map((f) => {
    const files = topology.sets.get(f.set)?.files ?? [];
    let after: string | undefined;
    for (const m of files) {
      if (authorOrder(m.file, f.file) > 0) break;
      after = lastOf.get(m.file) ?? after;
    }
    return after ? { ...f, after } : { ...f };
  });
  return out.sort((a, b) => compareText(a.set, b.set) || authorOrder(a.file, b.file));
}

/** The order of files in a set: path segment by segment, numeric prefixes as numbers (as sets list their files). */
function authorOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i]!, pb[i]!];
    if (x === y) continue;
    const [nx, ny] = [/^\d+/.exec(x)?.[0], /^\d+/.exec(y)?.[0]];
    if (nx !== undefined && ny !== undefined && BigInt(nx) !== BigInt(ny)) return BigInt(nx) < BigInt(ny) ? -1 : 1;
    if ((nx === undefined) !== (ny === undefined)) return nx === undefined ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
