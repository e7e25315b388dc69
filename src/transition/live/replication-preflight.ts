/**
 * What a live transition needs before it creates anything, checked on both
 * ends of a stream and reported together: on the old server `wal_level =
 * logical`, a free replication slot and WAL sender, a role with REPLICATION
 * (or superuser) that owns the moving tables (CREATE PUBLICATION needs it);
 * in the new database a role allowed to create subscriptions (superuser, or a
 * member of `pg_create_subscription`). Each problem says how to fix it.
 *
 * @example
 * const problems = await replicationPreflight(source, target, stream);
 * // ['transition --live: wal_level is "replica" on the server of main/app (needs "logical"); ...']
 */
import type pg from 'pg';
import type { LiveStream } from './replication-names.js';

export async function replicationPreflight(source: pg.ClientBase, target: pg.ClientBase, s: LiveStream): Promise<string[]> {
  const problems: string[] = [];
  const old = `the server of ${s.from.store}/${s.from.database}`;
  const wal = (await source.query<{ v: string }>("SELECT current_setting('wal_level') AS v")).rows[0]!.v;
  if (wal !== 'logical') problems.push(`transition --live: wal_level is "${wal}" on ${old} (needs "logical"); hint: ALTER SYSTEM SET wal_level = logical and restart it (a managed PostgreSQL: enable logical replication in its parameters; an embedded one: topoplan stop, the next start sets it)`);
  const slots = (await source.query<{ free: string; senders: string }>(
    `SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots WHERE slot_name <> $1) AS free,
            current_setting('max_wal_senders')::int - (SELECT count(*) FROM pg_stat_replication) AS senders`,
    [s.slot],
  )).rows[0]!;
  if (Number(slots.free) < 1) problems.push(`transition --live: ${old} has no free replication slot (the stream needs one); hint: raise max_replication_slots and restart it`);
  if (Number(slots.senders) < 1) problems.push(`transition --live: ${old} has no free WAL sender (the stream needs one); hint: raise max_wal_senders and restart it`);
  const role = (await source.query<{ name: string; sup: boolean; rep: boolean }>('SELECT rolname AS name, rolsuper AS sup, rolreplication AS rep FROM pg_roles WHERE rolname = current_user')).rows[0]!;
  if (!role.sup && !role.rep) problems.push(`transition --live: role "${role.name}" of ${s.from.store}/${s.from.database} may not replicate; hint: ALTER ROLE ${role.name} REPLICATION (a managed PostgreSQL: grant its replication role, e.g. rds_replication)`);
  if (!role.sup) {
    const notOwned = (await source.query<{ t: string }>(
      `SELECT c.relname AS t FROM pg_class c WHERE c.oid IN (SELECT to_regclass(x) FROM unnest($1::text[]) x) AND NOT pg_has_role(c.relowner, 'USAGE') ORDER BY 1`,
      [s.tables.map((t) => t.table)],
    )).rows;
    if (notOwned.length) problems.push(`transition --live: role "${role.name}" does not own ${notOwned.map((r) => `"${r.t}"`).join(', ')} in ${s.from.database}, so it cannot publish them; hint: connect as their owner`);
  }
  const sub = (await target.query<{ name: string; ok: boolean }>(
    `SELECT rolname AS name, rolsuper OR (to_regrole('pg_create_subscription') IS NOT NULL AND pg_has_role(current_user, 'pg_create_subscription', 'MEMBER')) AS ok FROM pg_roles WHERE rolname = current_user`,
  )).rows[0]!;
  if (!sub.ok) problems.push(`transition --live: role "${sub.name}" of ${s.to.store}/${s.to.database} may not create subscriptions; hint: GRANT pg_create_subscription TO ${sub.name} and GRANT CREATE ON DATABASE ${s.to.database} TO ${sub.name}`);
  return problems;
}
