/**
 * Which statements destroy data, and what exactly. The readers say what a
 * statement destroys; this stage adds what only the plan knows: the name the
 * object has in its store (an unqualified ClickHouse table is in the store's
 * database), whether a dropped object keeps rows of its own (a ClickHouse
 * Distributed table, a view or a materialized view writing `TO` another table
 * does not), what a CASCADE reaches (foreign keys, views, columns of a type,
 * everything in a schema), and the topology's `allowDestructive:` entry that
 * lets a plain apply run it. Entries that allow nothing are reported.
 *
 * @example
 * const diagnostics = markDestructions(topology, live, lifecycle);
 * // unit of `ALTER TABLE accounts DROP COLUMN note` → destructive, destroys:
 * //   [{ kind: 'drop_column', ..., summary: 'column "note" of table "accounts" (its values)' }]
 */
import picomatch from 'picomatch';
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Destruction } from '../../sql/effects.js';
import type { AllowDestructive, Topology } from '../../topology/model.js';
import type { StepAllowance, StepDestruction } from '../model.js';
import type { Lifecycle } from '../order/lifecycle.js';
import { displayName } from '../object-keys.js';
import type { Unit } from '../read/units.js';
import { cascadeReach, versionDroppedBy } from './cascade-reach.js';
import { notBackedUp } from './backup-coverage.js';

export function markDestructions(topology: Topology, units: readonly Unit[], lifecycle: Lifecycle): Diagnostic[] {
  const allowances = topology.allowDestructive.map((a) => ({ entry: a, matches: a.file ? picomatch(a.file) : () => true, used: false }));
  for (const u of units) {
    const found = u.stmt.destroys;
    if (u.skipped || !u.store || !found?.length) continue;
    const database = topology.stores.get(u.store)?.database;
    // What the plan created knows whether it keeps rows of its own (a ClickHouse Distributed table or a view does not).
    const kept = found.filter((d) => d.kind !== 'drop' || versionDroppedBy(lifecycle, u, d.object)?.holdsData !== false);
    if (kept.length === 0) continue;
    u.destroys = kept.map((d): StepDestruction => {
      const object = u.stmt.engine === 'clickhouse' && d.object.schema === undefined && d.object.kind !== 'database' ? { ...d.object, schema: database } : d.object;
      const placed = { ...d, object };
      const reaches = d.cascade ? cascadeReach(lifecycle, u, placed) : [];
      const missed = notBackedUp({ ...placed, reaches }, u.stmt.engine, u.stmt.sql);
      return { ...placed, statement: u.stmt.index + 1, line: u.stmt.line, summary: summarize(placed), ...(reaches.length ? { reaches } : {}), ...(missed ? { notBackedUp: missed } : {}) };
    });
    u.destructive = true;
    const a = allowances.find((x) => x.entry.set === u.set.name && x.matches(u.file.name) && inRange(x.entry, u.stmt.index + 1));
    if (a) {
      a.used = true;
      u.allowed = allowanceOf(a.entry);
    }
  }
  return allowances
    .filter((a) => !a.used)
    .map(({ entry: a }) =>
      diagnostic({
        code: 'plan.allow_unused',
        severity: 'warning',
        message: `plan: allowDestructive entry for set "${a.set}"${a.file ? `, file "${a.file}"` : ''}${a.statements ? `, statements ${a.statements.join('-')}` : ''} matches no destructive statement`,
        file: a.pos.file,
        line: a.pos.line,
        column: a.pos.column,
        hint: 'remove the entry, or correct its set, file or statements',
      }),
    );
}

export function allowanceOf(a: AllowDestructive): StepAllowance {
  return { reason: a.reason, at: `${a.pos.file}:${a.pos.line}` };
}

function inRange(a: AllowDestructive, statement: number): boolean {
  return !a.statements || (statement >= a.statements[0] && statement <= a.statements[1]);
}

/**
 * What goes, in words, as the object of "destroys".
 *
 * @example summarize({ kind: 'delete_rows', object: { kind: 'table', name: 'sessions', schema: 'public' } }) // 'every row of table "sessions"'
 */
export function summarize(d: Destruction): string {
  const what = `${d.object.kind.replace('_', ' ')} "${displayName(d.object)}"`;
  const cols = (d.columns ?? []).map((c) => `"${c}"`).join(', ');
  const colWord = (d.columns?.length ?? 0) === 1 ? 'column' : 'columns';
  const inPartition = d.partition ? ` in partition ${d.partition}` : '';
  switch (d.kind) {
    case 'drop':
      if (d.object.kind === 'table' || d.object.kind === 'materialized_view') return `${what} (definition and rows)${d.cascade ? ' and what depends on it' : ''}`;
      if (d.object.kind === 'schema') return `${what}${d.cascade ? ' and everything in it' : ' (only if empty)'}`;
      if (d.object.kind === 'database') return `${what} and everything in it`;
      if (d.object.kind === 'view' && !d.cascade) return `${what} (a materialized view's own rows go with it)`;
      return `${what} and what depends on it`;
    case 'drop_column':
      return `${colWord} ${cols} of ${what} (${(d.columns?.length ?? 0) === 1 ? 'its' : 'their'} values)${d.cascade ? ' and what depends on them' : ''}`;
    case 'rewrite_column':
      if (d.where) return `values of ${colWord} ${cols} of ${what} where ${d.where} (reset to the default)`;
      return `every value of ${colWord} ${cols} of ${what}${inPartition} (rewritten)`;
    case 'delete_rows':
      if (d.where) return `rows of ${what}${inPartition} where ${d.where}`;
      if (d.partition) return `partition ${d.partition} of ${what}`;
      if (d.object.kind === 'database') return `every row of every table in ${what}`;
      return `every row of ${what}${d.cascade ? ' and of the tables whose foreign keys reference it' : ''}`;
    case 'update_rows':
      return `${colWord} ${cols} in every row of ${what}${inPartition} (overwritten)`;
    case 'replace':
      return `${what} (definition and rows; replaced by a new table)`;
  }
}
