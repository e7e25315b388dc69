/**
 * What apply's backup before a destructive statement will not keep, said in
 * the plan (after `not backed up: `) so a reviewer sees it before opting in. Apply backs up tables,
 * their rows and columns (PostgreSQL: with COPY into files; ClickHouse: as a
 * copy in the backup database); it does not back up a whole database, the
 * rows of a PostgreSQL materialized view (its query makes them again),
 * ClickHouse detached parts (they cannot be read), or what a CASCADE removes
 * beyond tables and their foreign keys.
 *
 * @example
 * notBackedUp({ kind: 'drop', object: { kind: 'database', name: 'scratch' } }, 'clickhouse', 'DROP DATABASE scratch')
 * // 'the database as a whole: take a backup of it yourself before opting in'
 */
import type { Destruction, EngineName } from '../../sql/effects.js';

/** What a CASCADE reaches that the backup keeps: tables (their rows and definitions), and foreign keys, which come back with their table. */
export const BACKED_UP_REACH = /^(foreign key |table |every row of table )/;

export function notBackedUp(d: Destruction & { readonly reaches?: readonly string[] }, engine: EngineName, sql: string): string | undefined {
  if (engine === 'neo4j') return 'a restorable copy: Neo4j nodes are exported as JSON lines, which topoplan restore does not load';
  if (d.object.kind === 'database') return 'the database as a whole: take a backup of it yourself before opting in';
  if (engine === 'postgres' && d.kind === 'drop' && d.object.kind === 'materialized_view') return "the materialized view's rows (its query makes them again)";
  if (engine === 'clickhouse' && d.partition !== undefined && /\bDROP\s+DETACHED\b/i.test(sql)) return 'detached parts (they cannot be read)';
  const beyond = (d.reaches ?? []).filter((r) => !BACKED_UP_REACH.test(r));
  if (engine === 'postgres' && beyond.length > 0) return `what the cascade also drops: ${beyond.join(', ')}`;
  if (engine === 'postgres' && d.object.kind !== 'table' && d.object.kind !== 'schema') return `the ${d.object.kind.replace('_', ' ')} (only tables and columns are backed up)`;
  return undefined;
}

/** Whether apply backs up anything of what a step destroys (false when the backup would keep none of it). */
export function backedUp(step: { readonly destroys: readonly { readonly notBackedUp?: string }[] }): boolean {
  return step.destroys.some((d) => d.notBackedUp === undefined);
}
