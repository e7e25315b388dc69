/**
 * What routing could not place, reported once per set and kind rather than once per statement and
 * object: one `unowned_object` conflict per shared set listing every object no service owns, and one
 * `plan.unrouted` error per set and engine listing every statement left without a store. Each hint
 * is one YAML block that resolves them all.
 *
 * @example
 * const report = new UnroutedReport();
 * report.unowned(unit, ref);         // while routing
 * report.finish(units, log, diagnostics);
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from '../resolve/conflict-log.js';
import { describe, displayName } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';
import { compareText } from '../compare-text.js';

/** How many places a grouped message lists before it says how many more there are. */
const LISTED = 12;

export class UnroutedReport {
  private readonly objects = new Map<string, Map<string, { ref: ObjectRef; units: Unit[] }>>();

  /** `ref`, touched by `u` of a shared set, is owned by no service. */
  unowned(u: Unit, ref: ObjectRef): void {
    const bySet = this.objects.get(u.set.name) ?? new Map<string, { ref: ObjectRef; units: Unit[] }>();
    const key = `${ref.kind}:${displayName(ref)}`;
    const entry = bySet.get(key) ?? { ref, units: [] };
    entry.units.push(u);
    bySet.set(key, entry);
    this.objects.set(u.set.name, bySet);
  }

  /** Logs the grouped conflicts and errors; `missingStore` holds `set|engine` pairs already reported as having no store. */
  finish(units: readonly Unit[], log: ConflictLog, diagnostics: Diagnostic[], missingStore: ReadonlySet<string>): void {
    for (const [set, bySet] of [...this.objects].sort(([a], [b]) => compareText(a, b))) {
      const entries = [...bySet.values()].sort((a, b) => compareText(describe(a.ref), describe(b.ref)));
      const open = entries.filter((e) => {
        const accepted = log.acceptFor('unowned_object', displayName(e.ref));
        if (accepted) log.add({ kind: 'unowned_object', object: describe(e.ref), message: unownedMessage(set, [e]), sources: sourcesOf([e]), severity: 'warning', resolution: accepted });
        return !accepted;
      });
      if (open.length === 0) continue;
      const engine = open[0]!.units[0]!.stmt.engine;
      log.add({
        kind: 'unowned_object',
        object: open.map((e) => describe(e.ref)).join(', '),
        message: unownedMessage(set, open),
        sources: sourcesOf(open),
        severity: 'error',
        hint: `services:\n  <owning-service>:\n    owns: [${open.map((e) => displayName(e.ref)).join(', ')}]\n# or, to keep every object no service owns in one store:\nsets:\n  ${set}:\n    stores: { ${engine}: <store> }`,
      });
    }
    const unrouted = new Map<string, Unit[]>();
    for (const u of units) {
      if (u.skipped || u.store || missingStore.has(`${u.set.name}|${u.stmt.engine}`)) continue;
      const k = `${u.set.name}|${u.stmt.engine}`;
      const list = unrouted.get(k) ?? [];
      list.push(u);
      unrouted.set(k, list);
    }
    for (const [k, list] of [...unrouted].sort(([a], [b]) => compareText(a, b))) {
      const [set, engine] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
      const first = list[0]!;
      const what = list.length === 1 ? `statement ${first.stmt.index + 1} of "${first.file.file}" (${first.stmt.kind})` : `${list.length} statements of set "${set}"`;
      diagnostics.push(
        diagnostic({
          code: 'plan.unrouted',
          severity: 'error',
          message: `plan: cannot tell which store ${what} belong${list.length === 1 ? 's' : ''} to: ${list.length === 1 ? 'it touches' : 'they touch'} no owned object${list.length === 1 ? '' : `: ${places(list)}`}`,
          file: first.file.file,
          line: first.stmt.line,
          column: first.stmt.column,
          hint: `name the store of what no service owns (every statement above then runs there):\nsets:\n  ${set}:\n    stores: { ${engine}: <store> }\n# or declare the owners of the objects they touch (services: <name>: owns: [...]), or skip them:\nskip:\n${list.slice(0, LISTED).map((u) => `  - set: ${set}\n    file: ${u.file.name}\n    statements: "${u.stmt.index + 1}"\n    reason: "..."`).join('\n')}`,
        }),
      );
    }
  }
}

function unownedMessage(set: string, entries: readonly { ref: ObjectRef; units: Unit[] }[]): string {
  const listed = entries.slice(0, LISTED).map((e) => `${describe(e.ref)} (${unitPlace(e.units[0]!)}${e.units.length > 1 ? ` and ${e.units.length - 1} more` : ''})`);
  const more = entries.length > LISTED ? `, and ${entries.length - LISTED} more` : '';
  return entries.length === 1
    ? `plan: ${describe(entries[0]!.ref)} in shared set "${set}" (${unitPlace(entries[0]!.units[0]!)}) is owned by no service, so it has no store`
    : `plan: ${entries.length} objects in shared set "${set}" are owned by no service, so they have no store: ${listed.join(', ')}${more}`;
}

function sourcesOf(entries: readonly { units: Unit[] }[]): { file: string; line: number; set: string }[] {
  return entries.slice(0, LISTED).map((e) => ({ file: e.units[0]!.file.file, line: e.units[0]!.stmt.line, set: e.units[0]!.set.name }));
}

function places(list: readonly Unit[]): string {
  const shown = list.slice(0, LISTED).map((u) => `${unitPlace(u)} (${u.stmt.kind})`);
  return `${shown.join(', ')}${list.length > LISTED ? `, and ${list.length - LISTED} more` : ''}`;
}
