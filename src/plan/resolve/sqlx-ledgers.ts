/**
 * sqlx services whose ledgers land in one table. sqlx keys `_sqlx_migrations`
 * by version alone, and at start-up each migrator rejects a row whose
 * checksum is not its own file's (VersionMismatch) and, unless it runs with
 * `ignore_missing`, a row of a version it has no file for (VersionMissing).
 * So two services in one table must not share a version, and each must
 * ignore the other's versions; otherwise the table is a conflict whose
 * resolutions are a table per service (sqlx 0.9 `migrate.table-name`), a
 * schema per service (its connection's `search_path`), or `ignoreMissing`.
 *
 * @example
 * checkSqlxLedgers(topology, steps, log)   // adds `sqlx_ledger` conflicts
 * sqlxTableOf(service)                      // { schema: 'public', table: '_sqlx_migrations' }
 */
import type { Service, Topology } from '../../topology/model.js';
import { compareText } from '../compare-text.js';
import type { PlanService, Step } from '../model.js';
import type { ConflictLog } from './conflict-log.js';

/** sqlx's table and the schema it lands in when `search_path` is the default. */
export const SQLX_TABLE = '_sqlx_migrations';
export const SQLX_SCHEMA = 'public';

/** Where a service's sqlx migrator finds its ledger. */
export function sqlxTableOf(service: Service): { schema: string; table: string } {
  return { schema: service.sqlx?.schema ?? SQLX_SCHEMA, table: service.sqlx?.table ?? SQLX_TABLE };
}

/**
 * A connection string with `search_path` set (libpq's `options=-c search_path=...`),
 * as a service whose ledger is in a schema of its own must connect.
 *
 * @example withSearchPath('postgres://app@db/nova', 'social,public') // 'postgres://app@db/nova?options=-c%20search_path%3Dsocial%2Cpublic'
 */
export function withSearchPath(url: string, searchPath: string): string {
  const option = `options=${encodeURIComponent(`-c search_path=${searchPath}`)}`;
  return `${url}${url.includes('?') ? '&' : '?'}${option}`;
}

/** The plan's account of a service's sqlx ledger: the table, and the connection its migrator needs. */
export function planSqlx(topology: Topology, service: Service): PlanService['sqlx'] {
  if (service.ledger !== 'sqlx') return undefined;
  const { schema, table } = sqlxTableOf(service);
  const base = { table: `${schema}.${table}`, ...(service.sqlx?.ignoreMissing ? { ignoreMissing: true } : {}) };
  if (schema === SQLX_SCHEMA) return base;
  const store = service.stores.postgres ? topology.stores.get(service.stores.postgres) : undefined;
  const searchPath = `${schema},public`;
  const url = store?.urlTemplate || `postgres://HOST/${store?.database ?? 'DATABASE'}`;
  return { ...base, searchPath, connection: `${service.env}=${withSearchPath(url, searchPath)}` };
}

interface Recorded {
  readonly service: Service;
  readonly version: string;
  readonly file: string;
  readonly checksum: string;
}

/** Adds a `sqlx_ledger` conflict for every table two sqlx services would share in a way their migrators reject. */
export function checkSqlxLedgers(topology: Topology, steps: readonly Step[], log: ConflictLog): void {
  const tables = new Map<string, { store: string; table: string; rows: Recorded[] }>();
  for (const step of steps) {
    if (!step.sqlx?.completesFile || !step.service || !step.source || step.engine !== 'postgres') continue;
    const service = topology.services.get(step.service)!;
    const { schema, table } = sqlxTableOf(service);
    const key = `${step.store}|${schema}.${table}`;
    const entry = tables.get(key) ?? { store: step.store, table: `${schema}.${table}`, rows: [] };
    entry.rows.push({ service, version: step.sqlx.version, file: step.source.file, checksum: step.sqlx.checksumSha384 });
    tables.set(key, entry);
  }
  for (const { store, table, rows } of [...tables.values()].sort((a, b) => compareText(`${a.store}|${a.table}`, `${b.store}|${b.table}`))) {
    const services = [...new Set(rows.map((r) => r.service.name))].sort(compareText);
    if (services.length < 2) continue;
    const object = `sqlx ledger ${table} in store "${store}"`;
    const collisions = versionCollisions(rows);
    if (collisions.length > 0) {
      const shown = collisions.slice(0, 4).map(([v, rs]) => `version ${v} (${rs.map((r) => `"${r.file}"`).join(', ')})`).join(', ');
      log.add({
        kind: 'sqlx_ledger',
        object,
        message: `plan: sqlx services ${names(services)} keep their ledgers in one table ${table} of store "${store}", and their versions collide: ${shown}${collisions.length > 4 ? ` and ${collisions.length - 4} more` : ''}; sqlx keys the table by version, so only one file per version can be recorded and the other service's sqlx::migrate!() fails at start-up (VersionMismatch)`,
        sources: collisions[0]![1].map((r) => ({ file: r.file, line: 1, set: r.service.sets[0], store })),
        hint: separateHint(services),
        severity: 'error',
      });
      continue;
    }
    for (const name of services) {
      const service = topology.services.get(name)!;
      if (service.sqlx?.ignoreMissing) continue;
      // A version it has a file for is its own row to sqlx (the same bytes: no collision above), not a missing one.
      const own = new Set(rows.filter((r) => r.service.name === name).map((r) => r.version));
      const versions = [...new Set(rows.filter((r) => r.service.name !== name && !own.has(r.version)).map((r) => r.version))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      if (versions.length === 0) continue;
      log.add({
        kind: 'sqlx_ledger',
        object,
        message: `plan: sqlx service "${name}" shares table ${table} of store "${store}" with ${names(services.filter((s) => s !== name))}, whose versions ${versions.slice(0, 6).join(', ')}${versions.length > 6 ? ', …' : ''} it has no file for: its sqlx::migrate!() fails at start-up (VersionMissing) unless it runs with ignore_missing`,
        sources: [{ file: service.pos.file, line: service.pos.line, store }],
        hint: `${separateHint([name])}\n# or, if its migrator runs with ignore_missing (Migrator::set_ignore_missing(true)):\nservices:\n  ${name}:\n    sqlx: { ignoreMissing: true }`,
        severity: 'error',
      });
    }
  }
}

/** Versions recorded by more than one file, in numeric order. */
function versionCollisions(rows: readonly Recorded[]): [string, Recorded[]][] {
  const byVersion = new Map<string, Recorded[]>();
  for (const r of rows) byVersion.set(r.version, [...(byVersion.get(r.version) ?? []), r]);
  return [...byVersion]
    // The same bytes under one version are one migration to sqlx: only differing checksums collide.
    .filter(([, rs]) => new Set(rs.map((r) => r.service.name)).size > 1 && new Set(rs.map((r) => r.checksum)).size > 1)
    .sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1))
    .map(([v, rs]) => [v, [...rs].sort((a, b) => compareText(a.file, b.file))]);
}

function names(services: readonly string[]): string {
  return services.map((s) => `"${s}"`).join(', ');
}

/** The YAML giving each service a table of its own, and the schema alternative. */
function separateHint(services: readonly string[]): string {
  const ident = (s: string) => s.replace(/[^A-Za-z0-9_]+/g, '_');
  const tables = services.map((s) => `  ${s}:\n    sqlx: { table: _sqlx_migrations_${ident(s)} }`).join('\n');
  return `give each service a ledger table of its own (sqlx 0.9: [migrate] table-name in its sqlx.toml):\nservices:\n${tables}\n# or a schema of its own (its connection then sets search_path=<schema>,public):\n#   sqlx: { schema: ${ident(services[0]!)} }`;
}
