/**
 * Stores that call an extension's functions (or use its types) without any
 * migration creating the extension there get a synthetic
 * `CREATE EXTENSION IF NOT EXISTS` step. This happens when a per-service
 * database no longer shares the legacy set's `CREATE EXTENSION "uuid-ossp"`.
 *
 * An extension the topology declares `external:` exists already: no conflict, no step. One an
 * `accept:` entry names is left to whoever installs it (a platform team, a managed image): the
 * conflict is kept as a warning with the entry's reason, and no step is made.
 *
 * @example
 * missingExtensions(live, log, (ref) => ownership.isExternal(ref)) // [{ kind: 'create_extension', name: 'extension:pgcrypto', ... }]
 */
import type { ConflictLog } from './conflict-log.js';
import type { Synth } from '../order/nodes.js';
import { unitPlace, type Unit } from '../read/units.js';

export function missingExtensions(units: readonly Unit[], log: ConflictLog, isExternal: (ref: { kind: 'extension'; name: string; schema?: string }) => boolean = () => false): Synth[] {
  const created = new Set<string>();
  const needed = new Map<string, { unit: Unit; detail?: string }>();
  for (const u of units) {
    if (u.skipped || !u.store || u.stmt.engine !== 'postgres') continue;
    for (const e of u.stmt.effects) {
      if (e.object.kind !== 'extension') continue;
      const k = `${u.store}|${e.object.name}`;
      if (e.action === 'create') created.add(k);
      else if (e.action === 'reference' && !needed.has(k)) needed.set(k, { unit: u, detail: e.detail });
    }
  }
  const out: Synth[] = [];
  for (const [k, { unit, detail }] of [...needed].sort(([a], [b]) => a.localeCompare(b))) {
    if (created.has(k)) continue;
    const [store, ext] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
    if (isExternal({ kind: 'extension', name: ext })) continue;
    const accepted = log.acceptFor('missing_extension', ext);
    log.add({
      kind: 'missing_extension',
      object: `extension ${ext}`,
      objectName: ext,
      message: `plan: "${unitPlace(unit)}" uses ${detail ? `${detail}() from ` : ''}extension "${ext}", which no migration creates in store "${store}"`,
      sources: [{ file: unit.file.file, line: unit.stmt.line, set: unit.set.name, store }],
      severity: 'warning',
      resolution: accepted ? `${accepted}; the plan does not create it` : `the plan creates it: CREATE EXTENSION IF NOT EXISTS "${ext}" in "${store}"`,
      hint: `add CREATE EXTENSION IF NOT EXISTS "${ext}"; to the service's first migration`,
    });
    if (accepted) continue;
    out.push({
      synth: true,
      kind: 'create_extension',
      name: `extension:${ext}`,
      store,
      seq: -1,
      statements: [`CREATE EXTENSION IF NOT EXISTS "${ext.replace(/"/g, '""')}"`],
      transactional: true,
      changes: [{ action: 'create', kind: 'extension', name: ext }],
      notes: [`used by "${unitPlace(unit)}"${detail ? ` (${detail})` : ''} but created by no migration in this store`],
      creates: [{ kind: 'extension', name: ext }],
      destructive: false,
      destroys: [],
    });
  }
  return out;
}
