/**
 * Expectations that can never fail verify nothing: the absence of a table,
 * extension, enum, view, index or function that no step of the plan creates
 * in that store (a typo, or an object of another store), a column that no
 * statement of the store mentions, a foreign key no statement of the store
 * declares, or zero triggers or indexes like a pattern nothing matches. Each
 * is a warning at the expectation's place, with the nearest name when there is one.
 *
 * @example
 * expectationWarnings(topology.expectations, steps)
 * // [{ code: 'plan.expectation_never_fails', severity: 'warning', message: 'plan: ... no step creates table "post_share" in store "nova"', hint: 'did you mean "post_shares"? ...' }]
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { likeToRegExp } from '../sql/like-pattern.js';
import type { ObjectKind } from '../sql/effects.js';
import type { Expectation } from '../topology/model.js';
import { nearest } from '../topology/validate-schema.js';
import type { Step } from './model.js';

const KINDS: Readonly<Record<string, readonly ObjectKind[]>> = {
  table: ['table', 'view', 'materialized_view'],
  extension: ['extension'],
  enum: ['type'],
  view: ['view', 'materialized_view'],
  index: ['index'],
  function: ['function'],
  trigger: ['trigger'],
};

const bare = (name: string) => name.slice(name.lastIndexOf('.') + 1).replace(/\(.*$/, '');

export function expectationWarnings(expectations: readonly Expectation[], steps: readonly Step[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Most topologies expect nothing: then the plan's steps need not be read at all.
  if (expectations.length === 0) return out;
  const wanted = new Set(expectations.map((e) => e.store));
  const created = new Map<string, Map<ObjectKind, Set<string>>>();
  const statementsOf = new Map<string, string[]>();
  for (const s of steps) {
    if (!wanted.has(s.store)) continue;
    const byKind = created.get(s.store) ?? new Map<ObjectKind, Set<string>>();
    created.set(s.store, byKind);
    for (const c of s.changes) {
      const name = c.action === 'create' ? c.name : c.action === 'rename' ? c.to : undefined;
      if (name === undefined) continue;
      const set = byKind.get(c.kind) ?? new Set<string>();
      set.add(bare(name));
      byKind.set(c.kind, set);
    }
    const list = statementsOf.get(s.store) ?? [];
    statementsOf.set(s.store, list);
    list.push(s.statements.join('\n'));
  }
  // A store's SQL, each step's statements after a newline, joined once and only for an expectation that searches it.
  const sqlCache = new Map<string, string>();
  const sqlOf = (store: string) => {
    let sql = sqlCache.get(store);
    if (sql === undefined) sqlCache.set(store, (sql = (statementsOf.get(store) ?? []).map((t) => `\n${t}`).join('')));
    return sql;
  };
  for (const e of expectations) {
    const names = (kind: string) => [...new Set(KINDS[kind]!.flatMap((k) => [...(created.get(e.store)?.get(k) ?? [])]))];
    const madeHere = (kind: string, name: string) => names(kind).includes(bare(name));
    const warn = (what: string, why: string, near?: string) =>
      out.push(diagnostic({
        code: 'plan.expectation_never_fails',
        severity: 'warning',
        message: `plan: the expectation that ${what} in store "${e.store}" can never fail: ${why}`,
        file: e.pos.file,
        line: e.pos.line,
        column: e.pos.column,
        object: what,
        hint: `${near ? `did you mean "${near}"? ` : ''}it verifies nothing: name an object a migration of store "${e.store}" creates, or remove it`,
      }));
    const absentOf = (kind: string, list: readonly string[]) => {
      for (const n of list) if (!madeHere(kind, n)) warn(`${kind} "${n}" is absent`, `no step creates ${kind} "${n}" there`, nearest(bare(n), names(kind)));
    };
    if (e.kind === 'tables') absentOf('table', e.absent);
    else if (e.kind === 'objects') absentOf(e.objectKind, e.absent);
    else if (e.kind === 'columns') {
      for (const col of e.absent) {
        if (!madeHere('table', e.table)) warn(`column "${e.table}.${col}" is absent`, `no step creates table "${e.table}" there`, nearest(bare(e.table), names('table')));
        else if (!mentions(sqlOf(e.store), col)) warn(`column "${e.table}.${col}" is absent`, `no statement there names a column "${col}"`);
      }
    } else if (e.kind === 'foreignKeys') {
      for (const fk of e.absent) {
        const what = `a foreign key from "${fk.from}" to "${fk.to}" is absent`;
        const missing = [fk.from, fk.to].find((t) => !madeHere('table', t));
        if (missing) warn(what, `no step creates table "${missing}" there`, nearest(bare(missing), names('table')));
        else if (!new RegExp(`references\\s+(?:"?\\w+"?\\.)?"?${escape(bare(fk.to))}"?(?![\\w$])`, 'i').test(sqlOf(e.store))) warn(what, `no statement there references "${fk.to}"`);
      }
    } else if ((e.kind === 'triggers' || e.kind === 'indexes') && e.count === 0) {
      const re = likeToRegExp(e.like);
      if (!names(e.kind === 'triggers' ? 'trigger' : 'index').some((n) => re.test(n))) warn(`no ${e.kind} are like "${e.like}"`, `no step creates ${e.kind === 'triggers' ? 'a trigger' : 'an index'} like it there`);
    }
  }
  return out;
}

function mentions(sql: string, identifier: string): boolean {
  return new RegExp(`(?<![\\w$])"?${escape(identifier)}"?(?![\\w$])`, 'i').test(sql);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
