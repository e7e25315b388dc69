/**
 * Connection strings for one server and several databases.
 *
 * A store's URL names the server; the database comes from the store, and the
 * maintenance database `postgres` is used for what must happen outside it
 * (creating it, the migration lock).
 *
 * @example
 * databaseUrl('postgres://u:p@host:5432/ignored?sslmode=require', 'nova')
 * // 'postgres://u:p@host:5432/nova?sslmode=require'
 */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** The database PostgreSQL always has, used for CREATE DATABASE and the migration lock. */
export const MAINTENANCE_DATABASE = 'postgres';

/**
 * Quotes an identifier the way PostgreSQL expects (`a"b` → `"a""b"`).
 *
 * @example quoteIdent('Order') // '"Order"'
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a possibly qualified table name; parts already in double quotes are kept.
 *
 * @example quoteQualified('public.shares') // '"public"."shares"'
 */
export function quoteQualified(name: string): string {
  return splitQualified(name).map(quoteIdent).join('.');
}

/**
 * Splits `schema.table` (either part may be double-quoted) into unquoted parts.
 *
 * @example splitQualified('"My Schema".t') // ['My Schema', 't']
 */
export function splitQualified(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    if (ch === '"') {
      if (quoted && name[i + 1] === '"') { current += '"'; i++; }
      else quoted = !quoted;
    } else if (ch === '.' && !quoted) { parts.push(current); current = ''; }
    else current += ch;
  }
  parts.push(current);
  return parts;
}
