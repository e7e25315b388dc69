/**
 * Declared renames keep the data: the old table's rows are copied into the
 * new table (created by its owner's own migration) in a `migrate` step, with
 * the new table's triggers held off so derived rows are not counted twice.
 * The old table is dropped only afterwards, in the contract phase.
 *
 * @example
 * // renames: [{ from: post_shares, to: shares, owner: social-service, columns: { shared_at: created_at } }]
 * // → INSERT INTO shares (id, post_id, user_id, created_at) SELECT id, post_id, user_id, shared_at FROM post_shares ON CONFLICT DO NOTHING
 */
import { identifier } from '../../sql/postgres/quote-ident.js';
import type { Topology, Rename } from '../../topology/model.js';
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, Version } from '../order/lifecycle.js';
import { isSynth, type Synth } from '../order/nodes.js';
import { unitPlace, type Unit } from '../read/units.js';
import { statementShape } from '../../sql/postgres/statement-shape.js';
import { summarize } from './destructions.js';

export function planRenames(topology: Topology, lifecycle: Lifecycle, log: ConflictLog): Synth[] {
  const out: Synth[] = [];
  for (const r of topology.renames) {
    const store = topology.services.get(r.owner)?.stores.postgres;
    if (!store) continue;
    const from = lastVersion(lifecycle, lifecycle.key(store, 'postgres', { kind: 'table', name: r.from }));
    const to = lastVersion(lifecycle, lifecycle.key(store, 'postgres', { kind: 'table', name: r.to }), true);
    const where = `${r.pos.file}:${r.pos.line}`;
    const object = `table ${r.from} → ${r.to}`;
    if (!from || isSynth(from.node)) {
      log.add({ kind: 'renamed_object', object, message: `plan: rename "${r.from}" → "${r.to}" (${where}): no migration creates "${r.from}" in store "${store}", so there is nothing to copy`, sources: [{ file: r.pos.file, line: r.pos.line }], severity: 'warning', resolution: 'nothing to copy' });
      continue;
    }
    if (!to || isSynth(to.node)) {
      log.add({ kind: 'renamed_object', object, message: `plan: rename "${r.from}" → "${r.to}" (${where}): no migration of "${r.owner}" creates "${r.to}" in store "${store}"`, sources: [{ file: r.pos.file, line: r.pos.line }], severity: 'error', hint: `add the CREATE TABLE ${r.to} migration to a set of "${r.owner}", or fix the rename's owner` });
      continue;
    }
    const mapping = columnMapping(r, from.node as Unit, to.node as Unit);
    const copy = copyNode(r, store, from, to, mapping);
    out.push(copy);
    lifecycle.dep(to.node, copy, `copies rows into table ${r.to} created here`);
    lifecycle.dep(from.node, copy, `copies rows out of table ${r.from} created here`);
    for (const u of from.users ?? []) if (u !== from.dropNode) lifecycle.dep(u, copy, `writes table ${r.from} before its rows are copied`);
    if (from.dropNode) {
      lifecycle.dep(copy, from.dropNode, `drops table ${r.from} only after its rows are copied to ${r.to}`);
    } else {
      const drop = dropNode(r, store, from);
      out.push(drop);
      lifecycle.dep(copy, drop, `drops table ${r.from} only after its rows are copied to ${r.to}`);
      for (const u of from.users ?? []) lifecycle.dep(u, drop, `uses table ${r.from} before it is dropped`);
    }
    const notCopied = mapping.notCopied.length ? `; not copied (no column in "${r.to}"): ${mapping.notCopied.join(', ')}` : '';
    log.add({
      kind: 'renamed_object',
      object,
      message: `plan: table "${r.from}" ("${unitPlace(from.node as Unit)}") is renamed to "${r.to}" ("${unitPlace(to.node as Unit)}") in store "${store}"${notCopied}`,
      sources: [{ file: (from.node as Unit).file.file, line: (from.node as Unit).stmt.line, store }, { file: (to.node as Unit).file.file, line: (to.node as Unit).stmt.line, store }],
      severity: mapping.notCopied.length ? 'warning' : 'info',
      resolution: `rename declared at ${where}: rows are copied (${mapping.pairs.map(([a, b]) => (a === b ? a : `${a} → ${b}`)).join(', ')}), the old table is dropped in the contract phase`,
    });
  }
  return out;
}

function lastVersion(lifecycle: Lifecycle, key: string, surviving = false): Version | undefined {
  const list = lifecycle.versions.get(key) ?? [];
  return surviving ? [...list].reverse().find((v) => !v.dropNode) : list[list.length - 1];
}

interface Mapping {
  pairs: [string, string][];
  notCopied: string[];
}

function columnMapping(r: Rename, from: Unit, to: Unit): Mapping {
  const fromCols = (statementShape(from.stmt)?.columns ?? []).map((c) => c.name);
  const toCols = new Set((statementShape(to.stmt)?.columns ?? []).map((c) => c.name));
  const pairs: [string, string][] = [];
  const notCopied: string[] = [];
  for (const c of fromCols) {
    const target = r.columns[c] ?? c;
    if (toCols.has(target)) pairs.push([c, target]);
    else notCopied.push(c);
  }
  return { pairs, notCopied };
}

function copyNode(r: Rename, store: string, from: Version, to: Version, m: Mapping): Synth {
  const src = m.pairs.map(([a]) => identifier(a));
  const dst = m.pairs.map(([, b]) => identifier(b));
  return {
    synth: true,
    kind: 'copy_rows',
    name: `copy:${r.from}->${r.to}`,
    store,
    seq: (to.node as Unit).seq + 0.5,
    service: r.owner,
    statements: [
      `ALTER TABLE ${identifier(r.to)} DISABLE TRIGGER USER`,
      `INSERT INTO ${identifier(r.to)} (${dst.join(', ')}) SELECT ${src.join(', ')} FROM ${identifier(r.from)} ON CONFLICT DO NOTHING`,
      `ALTER TABLE ${identifier(r.to)} ENABLE TRIGGER USER`,
    ],
    transactional: true,
    changes: [{ action: 'copy', kind: 'table', name: from.ref.name, to: to.ref.name }],
    notes: [`rename ${r.from} → ${r.to} (${r.pos.file}:${r.pos.line})${r.reason ? `: ${r.reason}` : ''}; triggers on ${r.to} are off during the copy so derived rows are not counted twice`],
    destructive: false,
    destroys: [],
    copy: { from: r.from, to: r.to, columns: m.pairs.map(([a]) => a), targetColumns: m.pairs.map(([, b]) => b) },
  };
}

function dropNode(r: Rename, store: string, from: Version): Synth {
  const gone = { kind: 'drop' as const, object: { kind: 'table' as const, name: r.from, schema: from.ref.schema ?? 'public' }, ifExists: true };
  return {
    synth: true,
    kind: 'drop',
    name: `drop:${r.from}`,
    store,
    seq: (from.node as Unit).seq + 0.5,
    service: r.owner,
    statements: [`DROP TABLE IF EXISTS ${identifier(r.from)}`],
    transactional: true,
    changes: [{ action: 'drop', kind: 'table', name: r.from }],
    notes: [`renamed to ${r.to}: no migration drops the old table, so the plan does, after the copy`],
    destructive: true,
    destroys: [{ ...gone, summary: summarize(gone) }],
  };
}
