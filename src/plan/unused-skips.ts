/**
 * `skip:` entries that skip nothing: a file glob that matches no file of its set, or a statement
 * or line range that holds no statement. Such an entry hides nothing today, but it was written
 * for a reason that no longer holds (a renamed file, a renumbered statement), so it is a warning.
 *
 * @example
 * unusedSkips(topology, units, read.skippedFiles) // [{ code: 'plan.unused_skip', ... }]
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Skip, Topology } from '../topology/model.js';
import type { ReadResult } from './read/read-migrations.js';
import type { Unit } from './read/units.js';

export function unusedSkips(topology: Topology, units: readonly Unit[], skippedFiles: ReadResult['skippedFiles']): Diagnostic[] {
  const reasons = new Set<string>();
  for (const f of skippedFiles) reasons.add(f.reason);
  for (const u of units) if (u.skipped) reasons.add(u.skipped);
  const used = (s: Skip) => {
    const tag = `skipped by the topology (${s.pos.file}:${s.pos.line}):`;
    for (const r of reasons) if (r.startsWith(tag)) return true;
    return false;
  };
  return topology.skips.filter((s) => !used(s)).map((s) =>
    diagnostic({
      code: 'plan.unused_skip',
      severity: 'warning',
      message: `plan: skip: { set: ${s.set}, file: ${s.file}${s.statements ? `, statements: "${range(s.statements)}"` : ''}${s.lines ? `, lines: "${range(s.lines)}"` : ''} } skips nothing: ${s.statements || s.lines ? 'no statement of a matching file is in that range' : `no file of set "${s.set}" matches`}`,
      file: s.pos.file,
      line: s.pos.line,
      column: s.pos.column,
      hint: 'remove the entry, or fix its file name or range (file names are matched within the set\'s directory; statements are counted from 1)',
    }),
  );
}

function range([a, b]: readonly [number, number]): string {
  return a === b ? `${a}` : `${a}-${b}`;
}
