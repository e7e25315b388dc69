/**
 * The Rust crate whose sqlx migrator runs a migration directory, if one does:
 * the nearest `Cargo.toml` at or above the directory (up to the searched root)
 * that depends on `sqlx` (`sqlx = "0.8"`, `sqlx = { workspace = true }`,
 * `[dependencies.sqlx]`), or that has a `sqlx.toml` beside it (sqlx 0.9). A
 * crate that uses another tool (diesel, refinery) runs no sqlx migrator, so its
 * directories are not sqlx. sqlx 0.9's `[migrate] table-name` in `sqlx.toml`
 * names the crate's ledger table.
 *
 * @example
 * sqlxCrateOf('/repo/accounts/migrations', '/repo')
 * // { manifest: '/repo/accounts/Cargo.toml' } when accounts/Cargo.toml has `sqlx = { version = "0.8", ... }`
 * // { manifest: '/repo/chat/Cargo.toml', table: '_sqlx_migrations_chat' } with a sqlx.toml naming its table
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface SqlxCrate {
  /** Absolute path of the crate's `Cargo.toml`. */
  readonly manifest: string;
  /** The ledger table `sqlx.toml` names (`[migrate] table-name`), when it names one. */
  readonly table?: string;
}

export function sqlxCrateOf(absDir: string, root: string): SqlxCrate | undefined {
  for (let d = absDir; ; d = dirname(d)) {
    const manifest = join(d, 'Cargo.toml');
    if (existsSync(manifest)) {
      // The nearest crate is the one whose migrate!() reads the directory: a crate above it is another program.
      const config = join(d, 'sqlx.toml');
      const hasConfig = existsSync(config);
      if (!hasConfig && !dependsOnSqlx(readFileSync(manifest, 'utf8'))) return undefined;
      const table = hasConfig ? migrateTableName(readFileSync(config, 'utf8')) : undefined;
      return { manifest, ...(table ? { table } : {}) };
    }
    if (d === dirname(d) || relative(root, d) === '' || relative(root, d).startsWith('..')) return undefined;
  }
}

/** A dependency on sqlx in any dependency table (`[dependencies]`, `[dev-dependencies]`, `[workspace.dependencies]`, ...). */
export function dependsOnSqlx(cargoToml: string): boolean {
  let inDeps = false;
  for (const raw of cargoToml.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const table = /^\[([^\]]+)\]$/.exec(line)?.[1]?.trim();
    if (table !== undefined) {
      if (/(?:^|\.)(?:dev-|build-)?dependencies\.sqlx$/.test(table)) return true;
      inDeps = /(?:^|\.)(?:dev-|build-)?dependencies$/.test(table);
      continue;
    }
    if (inDeps && /^"?sqlx"?\s*(?:=|\.)/.test(line)) return true;
  }
  return false;
}

/** `table-name` of the `[migrate]` table of a sqlx.toml. */
function migrateTableName(sqlxToml: string): string | undefined {
  let inMigrate = false;
  for (const raw of sqlxToml.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const table = /^\[([^\]]+)\]$/.exec(line)?.[1]?.trim();
    if (table !== undefined) {
      inMigrate = table === 'migrate';
      continue;
    }
    const m = /^(?:migrate\.)?table-name\s*=\s*"([^"]+)"$/.exec(line);
    if (m && (inMigrate || line.startsWith('migrate.'))) return m[1];
  }
  return undefined;
}
