/**
 * What sqlx's `Migrator::run` would say at a service's start-up, given the
 * `_sqlx_migrations` table topoplan wrote: sqlx's rules (see SQLX.md)
 * implemented independently of topoplan's planner, so a test can prove that
 * every sqlx service's migrator accepts its table.
 *
 * - the source is the service's migration directory as sqlx reads it: every
 *   file named `<version>_<description>.sql` (`.up.sql` / `.down.sql`), the
 *   version parsed as i64 (a name that does not parse rejects the directory),
 *   the description with `_` read as spaces, SHA-384 of the exact bytes;
 * - a row with `success = false` is a dirty version;
 * - a row with no local migration is VersionMissing (unless ignore_missing);
 * - a local migration whose checksum differs from its row is VersionMismatch;
 * - a local migration with no row would be run at start-up (`pending`):
 *   after topoplan applied everything, that is a failure too.
 *
 * @example
 * const problems = await sqlxConformance(client, { dirs: ['/repo/social/migrations'], table: 'public._sqlx_migrations' })
 * expect(problems).toEqual([])
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import type { Service, Topology } from '../../src/topology/model.js';

export interface SqlxMigration {
  readonly version: bigint;
  readonly description: string;
  readonly kind: 'simple' | 'up' | 'down';
  readonly checksum: string;
  readonly file: string;
}

export interface SqlxRow {
  readonly version: bigint;
  readonly description: string;
  readonly success: boolean;
  readonly checksum: string;
}

export type SqlxProblem =
  | { readonly kind: 'unparsable-name'; readonly file: string }
  | { readonly kind: 'no-table'; readonly table: string }
  | { readonly kind: 'dirty'; readonly version: string }
  | { readonly kind: 'missing'; readonly version: string }
  | { readonly kind: 'mismatch'; readonly version: string; readonly file: string }
  | { readonly kind: 'pending'; readonly version: string; readonly file: string };

/** A migration directory read the way sqlx's `resolve` reads it. */
export function sqlxSource(dirs: readonly string[]): { migrations: SqlxMigration[]; problems: SqlxProblem[] } {
  const migrations: SqlxMigration[] = [];
  const problems: SqlxProblem[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      const at = name.indexOf('_');
      if (at < 0 || !name.slice(at + 1).endsWith('.sql')) continue;
      const head = name.slice(0, at);
      // Rust's i64::from_str: an optional sign, then ASCII digits only.
      if (!/^[+-]?\d+$/.test(head) || BigInt(head) > 2n ** 63n - 1n || BigInt(head) < -(2n ** 63n)) {
        problems.push({ kind: 'unparsable-name', file: join(dir, name) });
        continue;
      }
      const rest = name.slice(at + 1);
      const kind = rest.endsWith('.down.sql') ? 'down' : rest.endsWith('.up.sql') ? 'up' : 'simple';
      const suffix = kind === 'simple' ? '.sql' : `.${kind}.sql`;
      const bytes = readFileSync(join(dir, name));
      migrations.push({ version: BigInt(head), description: rest.slice(0, -suffix.length).replace(/_/g, ' '), kind, checksum: createHash('sha384').update(bytes).digest('hex'), file: join(dir, name) });
    }
  }
  migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return { migrations, problems };
}

/** Migrator::run's checks, every failure listed rather than only the first. */
export function sqlxValidate(migrations: readonly SqlxMigration[], rows: readonly SqlxRow[], options: { readonly ignoreMissing?: boolean } = {}): SqlxProblem[] {
  const problems: SqlxProblem[] = [];
  for (const r of rows) if (!r.success) problems.push({ kind: 'dirty', version: r.version.toString() });
  const local = new Set(migrations.map((m) => m.version));
  if (!options.ignoreMissing) for (const r of rows) if (!local.has(r.version)) problems.push({ kind: 'missing', version: r.version.toString() });
  const applied = new Map(rows.map((r) => [r.version, r]));
  for (const m of migrations) {
    if (m.kind === 'down') continue;
    const row = applied.get(m.version);
    if (!row) problems.push({ kind: 'pending', version: m.version.toString(), file: m.file });
    else if (row.checksum !== m.checksum) problems.push({ kind: 'mismatch', version: m.version.toString(), file: m.file });
  }
  return problems;
}

/** Reads a `_sqlx_migrations` table (`schema.table`); undefined when it does not exist. */
export async function readSqlxRows(client: pg.ClientBase, table: string): Promise<SqlxRow[] | undefined> {
  const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  if (!exists.rows[0]?.t) return undefined;
  const r = await client.query<{ version: string; description: string; success: boolean; checksum: string }>(
    `SELECT version::text AS version, description, success, encode(checksum, 'hex') AS checksum FROM ${table} ORDER BY version`,
  );
  return r.rows.map((x) => ({ version: BigInt(x.version), description: x.description, success: x.success, checksum: x.checksum })).sort((a, b) => (a.version < b.version ? -1 : 1));
}

/** The table and directories a service's migrator uses, as the topology declares them. */
export function sqlxSetup(topology: Topology, service: Service): { table: string; dirs: string[]; ignoreMissing: boolean } {
  const dirs = service.sets
    .map((s) => topology.sets.get(s)!)
    // The migrator reads the PostgreSQL directory; a directory of ClickHouse or Cypher files is not its source.
    .filter((set) => set.files.some((f) => !f.declaredEngine || f.declaredEngine === 'postgres'))
    .map((set) => set.absDir);
  return { table: `${service.sqlx?.schema ?? 'public'}.${service.sqlx?.table ?? '_sqlx_migrations'}`, dirs, ignoreMissing: !!service.sqlx?.ignoreMissing };
}

/** Every problem the service's migrator would report at start-up against its table in `client`'s database. */
export async function sqlxConformance(client: pg.ClientBase, setup: { readonly table: string; readonly dirs: readonly string[]; readonly ignoreMissing?: boolean }): Promise<SqlxProblem[]> {
  const source = sqlxSource(setup.dirs);
  const rows = await readSqlxRows(client, setup.table);
  if (!rows) return [...source.problems, { kind: 'no-table', table: setup.table }];
  return [...source.problems, ...sqlxValidate(source.migrations, rows, setup)];
}

/** One line per problem, as sqlx names them. */
export function describeSqlxProblems(problems: readonly SqlxProblem[]): string {
  if (problems.length === 0) return 'accepted';
  return problems
    .map((p) =>
      p.kind === 'missing' ? `VersionMissing(${p.version})` : p.kind === 'mismatch' ? `VersionMismatch(${p.version})` : p.kind === 'dirty' ? `Dirty(${p.version})` : p.kind === 'pending' ? `would run ${p.version} at start-up` : p.kind === 'no-table' ? `no table ${p.table}` : `unparsable name ${p.file}`,
    )
    .join(', ');
}
