/**
 * A statement that names a PostgreSQL relation as another kind than the plan
 * makes it: `DROP VIEW v` of a materialized view ("v is not a view"), `DROP
 * TABLE v` of a view, `DROP INDEX t` of a table (IF EXISTS does not help), and
 * `CREATE INDEX ... ON v` of a plain view ("cannot create index on relation v").
 * A drop that finds no object of its own kind, where a version of another
 * relation kind of that name is there — made before it by its own set and not
 * dropped before it, or (for a drop without IF EXISTS, which fails either way)
 * made by another set and never dropped — is a `wrong_kind` error; so is an
 * index on a name only a plain view has.
 *
 * @example
 * checkWrongKinds(lifecycle, log);
 * // plan: "DROP VIEW user_names" at "b/001.sql:1" names a materialized view ("a/001.sql:2") ...
 */
import type { ObjectRef } from '../../sql/effects.js';
import type { ConflictLog } from './conflict-log.js';
import type { Lifecycle, Version } from '../order/lifecycle.js';
import { isSynth } from '../order/nodes.js';
import { describe, displayName } from '../object-keys.js';
import { unitPlace, type Unit } from '../read/units.js';

const RELATIONS: readonly ObjectRef['kind'][] = ['table', 'view', 'materialized_view', 'sequence', 'index'];
const WORD: Readonly<Record<string, string>> = { table: 'TABLE', view: 'VIEW', materialized_view: 'MATERIALIZED VIEW', sequence: 'SEQUENCE', index: 'INDEX' };

export function checkWrongKinds(lifecycle: Lifecycle, log: ConflictLog): void {
  for (const { node, object } of lifecycle.unmatchedDrops) {
    const d = node.node;
    if (isSynth(d) || d.stmt.engine !== 'postgres' || !RELATIONS.includes(object.kind)) continue;
    // With IF EXISTS, another set's object may come only after the drop (a cleanup first): then nothing fails.
    const ifExists = d.stmt.effects.some((e) => e.action === 'drop' && e.object.name === object.name && e.ifExists);
    const other = otherKind(lifecycle, d, object, !ifExists);
    if (other) report(log, d, `DROP ${WORD[object.kind]} ${displayName(object)}`, object, other, `write DROP ${WORD[other.ref.kind]} ${displayName(object)}`);
  }
  // An index on a view: a CREATE INDEX among the users of a plain view (its table name resolved to the view).
  for (const list of lifecycle.versions.values()) {
    const view = list[0]!;
    if (view.ref.kind !== 'view' || isSynth(view.node) || view.node.stmt.engine !== 'postgres') continue;
    for (const v of list) {
      for (const u of v.users ?? []) {
        if (isSynth(u) || u.stmt.kind !== 'IndexStmt') continue;
        const on = u.stmt.effects.find((e) => e.via === 'index_table' && e.object.name === v.ref.name)?.object;
        if (on) report(log, u, `CREATE INDEX ON ${displayName(on)}`, on, v, 'index the tables the view reads, or make it a materialized view');
      }
    }
  }
}

/** A version of another relation kind of the name that is there when `d` runs. */
function otherKind(lifecycle: Lifecycle, d: Unit, object: ObjectRef, otherSets: boolean): Version | undefined {
  for (const kind of RELATIONS) {
    if (kind === object.kind) continue;
    const v = visible(lifecycle, d, { ...object, kind }, otherSets);
    if (v) return v;
  }
  return undefined;
}

/**
 * The version of `ref` that `u` meets: its own set's, made before and not dropped before it; or, with `otherSets`,
 * another set's that is never dropped (before `u` or after it, `u` fails: the name is missing or of another kind).
 */
function visible(lifecycle: Lifecycle, u: Unit, ref: ObjectRef, otherSets: boolean): Version | undefined {
  const list = lifecycle.versions.get(lifecycle.key(u.store!, 'postgres', ref));
  return list?.find((v) => {
    if (isSynth(v.node) || v.node === u) return false;
    if (v.node.set === u.set) return v.node.seq < u.seq && (!v.dropNode || v.dropNode === u || v.dropNode.seq > u.seq);
    return otherSets && !v.dropNode;
  });
}

function report(log: ConflictLog, u: Unit, what: string, named: ObjectRef, found: Version, hint: string): void {
  const maker = found.node as Unit;
  log.add({
    kind: 'wrong_kind',
    object: describe(named),
    objectName: displayName(named),
    message: `plan: "${what}" at "${unitPlace(u)}" names ${describe(found.ref)} ("${unitPlace(maker)}") as a ${named.kind.replace('_', ' ')}: PostgreSQL refuses a statement for one kind of relation on another`,
    sources: [{ file: u.file.file, line: u.stmt.line, store: u.store }, { file: maker.file.file, line: maker.stmt.line, store: maker.store }],
    severity: 'error',
    hint,
  });
}
