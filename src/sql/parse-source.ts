/**
 * Reads one migration file and parses it: the unit of work the planner hands
 * out, on its own thread or to parse workers. The SHA-384 is of the exact
 * bytes (what sqlx records); the parse is of their UTF-8 text.
 *
 * @example
 * await loadParsers();
 * const { parsed, sha384 } = parseSource({ file: 'social/001_likes.sql', absPath: '/repo/social/001_likes.sql' });
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EngineName, ParsedFile } from './effects.js';
import { parseTemplated, type TemplateRules } from './parse-templated.js';

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
}

export interface ParsedSource {
  readonly parsed: ParsedFile;
  readonly sha384: string;
}

/** Reads a file's bytes; injectable so library users can plan from memory. */
export type ReadFile = (absPath: string) => Buffer;

/** With `keepText`, the file's text comes back too (parse workers use it to send less). */
export function parseSource(job: SourceJob, readFile?: ReadFile, keepText?: false): ParsedSource;
export function parseSource(job: SourceJob, readFile: ReadFile | undefined, keepText: true): ParsedSource & { text: string };
export function parseSource(job: SourceJob, readFile: ReadFile = (p) => readFileSync(p), keepText = false): ParsedSource & { text?: string } {
  const bytes = readFile(job.absPath);
  const text = bytes.toString('utf8');
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
  return { parsed, sha384: createHash('sha384').update(bytes).digest('hex'), ...(keepText && sliceable ? { text } : {}) };
}
