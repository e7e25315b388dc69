/**
 * SQL literals for statements sent together as one query string. Several
 * statements in one query cost one round trip instead of one each, but such
 * a query cannot take parameters, so its values are written as literals.
 *
 * @example
 * quoteLiteral("it's") // "'it''s'"
 * quoteLiteral(null)   // 'NULL'
 */
import pg from 'pg';

/**
 * `null` is `NULL` and numbers are written as they are; text containing a
 * backslash becomes an `E'...'` literal, which reads the same whatever
 * `standard_conforming_strings` says.
 */
export function quoteLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`quoteLiteral: ${value} is not a finite number`);
    return String(value);
  }
  return pg.escapeLiteral(value);
}
