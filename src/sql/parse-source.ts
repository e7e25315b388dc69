/**
 * Reads one migration file and parses it: the unit of work the planner hands
 * out, on its own thread or to parse workers. The SHA-384 is of the exact
 * bytes (what sqlx records); the parse is of their UTF-8 text.
 *
 * @example
 * await loadParsers();
 * const { parsed, sha384 } = parseSource({ file: 'social/001_likes.sql', absPath: '/repo/social/001_likes.sql' });
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../errors.js';
import { decodeUtf8 } from './decode-utf8.js';
import type { EngineName, ParsedFile } from './effects.js';
import { parseTemplated, type TemplateRules } from './parse-templated.js';
import { noTransactionDirective } from './file-directives.js';
import { statementFingerprints } from './statement-fingerprints.js';
import { blankSections, findDownSections, type DownSection } from './down-sections.js';
import { digestHex } from './digest-hex.js';

export interface SourceJob {
  /** Path relative to the topology root, as diagnostics name it. */
  readonly file: string;
  readonly absPath: string;
  readonly declaredEngine?: EngineName;
  /** The engine of the only store the file's service has, if it has one. */
  readonly storeEngine?: EngineName;
  /** The set it belongs to, for hints. */
  readonly set?: string;
  /** Substitutions and variables put in before parsing. */
  readonly rules?: TemplateRules;
  /** True when the set's convention makes down sections reverts: they are not parsed (see down-sections.ts). */
  readonly stripDownSections?: boolean;
}

export interface ParsedSource {
  readonly parsed: ParsedFile;
  readonly sha384: string;
  /** The ledger identity of each statement, in statement order (see statement-fingerprints.ts). */
  readonly fingerprints: readonly string[];
  /** Down sections found in the file (left out of the parse when the job says so). */
  readonly downSections?: readonly DownSection[];
  /** Why the whole file runs outside a transaction, when a directive in it says so (see file-directives.ts). */
  readonly noTransaction?: string;
}

/** Reads a file's bytes; injectable so library users can plan from memory. */
export type ReadFile = (absPath: string) => Buffer;

/**
 * With `keepText`, the file's text comes back too (parse workers use it to send less). `sha384`: the
 * digest of the bytes `readFile` gives, when the caller has taken it already (the parse cache does).
 */
export function parseSource(job: SourceJob, readFile?: ReadFile, keepText?: false, sha384?: string): ParsedSource;
export function parseSource(job: SourceJob, readFile: ReadFile | undefined, keepText: true): ParsedSource & { text: string };
export function parseSource(job: SourceJob, readFile: ReadFile = (p) => readFileSync(p), keepText = false, known?: string): ParsedSource & { text?: string } {
  const bytes = readFile(job.absPath);
  const sha384 = known ?? digestHex('sha384', bytes);
  const decoded = decodeUtf8(bytes, job.file, 'sql');
  if (decoded.diagnostic) return { parsed: unreadable(job, bytes, decoded.diagnostic), sha384, fingerprints: [] };
  const sections = findDownSections(decoded.text);
  const text = job.stripDownSections && sections.length > 0 ? blankSections(decoded.text, sections) : decoded.text;
  const parsed = parseTemplated({
    file: job.file,
    text,
    ...(job.declaredEngine ? { declaredEngine: job.declaredEngine } : {}),
    ...(job.storeEngine ? { storeEngine: job.storeEngine } : {}),
    ...(job.set ? { set: job.set } : {}),
    ...(job.rules ? { rules: job.rules } : {}),
  });
  // Statements of a rewritten file are not slices of the file: the text does not help rebuild them.
  const sliceable = !parsed.statements.some((s) => s.substitutions);
  // The decoder drops a byte order mark, which sqlx keeps (and which then hides its first-line directive).
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const noTransaction = noTransactionDirective(bom ? `\uFEFF${decoded.text}` : decoded.text);
  return { parsed, sha384, fingerprints: statementFingerprints(parsed), ...(sections.length > 0 ? { downSections: sections } : {}), ...(noTransaction ? { noTransaction } : {}), ...(keepText && sliceable ? { text } : {}) };
}

/** A file whose bytes are not text: no statements, one error, so nothing of it runs and the plan fails. */
function unreadable(job: SourceJob, bytes: Buffer, d: Diagnostic): ParsedFile {
  const byExtension = /\.(cypher|cql)$/i.test(job.file) ? 'neo4j' : undefined;
  const engine = job.declaredEngine ?? byExtension ?? job.storeEngine ?? 'postgres';
  const engineSource = job.declaredEngine ? 'declared' : byExtension ? 'extension' : job.storeEngine ? 'store' : 'default';
  return { file: job.file, engine, engineSource, checksum: digestHex('sha256', bytes), statements: [], diagnostics: [d] };
}
