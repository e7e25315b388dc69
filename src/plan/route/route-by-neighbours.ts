/**
 * Statements a shared set's file holds that touch nothing owned (SET, SELECT 1, a DO block of dynamic SQL)
 * run where their neighbours run.
 *
 * @example
 * routeByNeighbours(units, topology, diagnostics); // a lone `SET search_path` goes with the next statement's store
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { EngineName } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import type { Unit } from '../read/units.js';
import { PRIMARY } from './route.js';

/**
 * Statements with nothing to route by take the store of the nearest routed statement in their file.
 * When their engine has more than one store, that is a guess: a statement with no effects at all is a warning.
 */
export function routeByNeighbours(units: Unit[], topology: Topology, diagnostics: Diagnostic[]): void {
  const storesOf = new Map<EngineName, number>();
  for (const s of topology.stores.values()) storesOf.set(s.engine, (storesOf.get(s.engine) ?? 0) + 1);
  const byFile = new Map<string, Unit[]>();
  for (const u of units) {
    const list = byFile.get(u.file.file) ?? [];
    list.push(u);
    byFile.set(u.file.file, list);
  }
  for (const list of byFile.values()) {
    for (let i = 0; i < list.length; i++) {
      const u = list[i]!;
      if (u.skipped || u.store || u.stmt.effects.some((e) => PRIMARY.has(e.action))) continue;
      const near = [...list.slice(0, i).reverse(), ...list.slice(i + 1)].find((x) => x.store && !x.skipped);
      if (near) {
        u.store = near.store;
        u.service = near.service;
        if (u.stmt.effects.length === 0 && (storesOf.get(u.stmt.engine) ?? 0) > 1) {
          diagnostics.push(
            diagnostic({
              code: 'plan.routed_by_neighbours',
              severity: 'warning',
              message: `plan: statement ${u.stmt.index + 1} of "${u.file.file}" (${u.stmt.kind}) touches no object the plan knows, so it runs in store "${u.store}" only because the statement at line ${near.stmt.line} of its file does`,
              file: u.file.file,
              line: u.stmt.line,
              column: u.stmt.column,
              hint: `check that it belongs in "${u.store}"; if it does not, move it to a file of the service it belongs to, or skip it:\nskip:\n  - set: ${u.set.name}\n    file: ${u.file.name}\n    statements: "${u.stmt.index + 1}"\n    reason: "..."`,
            }),
          );
        }
      }
    }
  }
}
