/**
 * The identity the ledger records for each statement of a file: a
 * fingerprint of its normalised text as written in the file (comments, line
 * endings and white space between tokens do not count; case does not count
 * where the engine folds it),
 * so how the planner groups, rewrites or routes the statement never changes
 * it. The n-th repeat of one text in a file gets `.n` appended, so every
 * statement of a file has its own.
 *
 * @example
 * statementFingerprints(parsed) // ['3f0c…', '9a41…', '3f0c….1']
 */
import { digestHex } from './digest-hex.js';
import type { EngineName, ParsedFile } from './effects.js';
import { normalizeSql, type NormalizeOptions } from './normalize-sql.js';
import { normalBytes } from './normal-bytes.js';

/** Hex digits kept of the SHA-256: 128 bits, plenty for the statements of one file. */
const DIGITS = 32;

/** The fingerprint of one statement's text, for an engine. */
export function fingerprintOf(sql: string, engine: EngineName): string {
  const options = engine === 'postgres' ? POSTGRES : engine === 'neo4j' ? NEO4J : CLICKHOUSE;
  // The same bytes as normalizeSql's string, without a string per token (ASCII texts, nearly all).
  const normal = normalBytes(sql, options) ?? normalizeSql(sql, options);
  return digestHex('sha256', normal).slice(0, DIGITS);
}

const POSTGRES: NormalizeOptions = { compact: true };
const CLICKHOUSE: NormalizeOptions = { compact: true, foldCase: false };
const NEO4J: NormalizeOptions = { compact: true, foldCase: false, lineComment: '//' };

/** One fingerprint per statement of the file, in statement order, unique within the file. */
export function statementFingerprints(parsed: ParsedFile): string[] {
  const seen = new Map<string, number>();
  return parsed.statements.map((s) => {
    const base = fingerprintOf(s.sql, s.engine);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}.${n}`;
  });
}
