/**
 * normalizeSql() of an ASCII text, written as bytes into a buffer instead of
 * built as a string: the same bytes as the UTF-8 of normalizeSql's result,
 * made without a string per token, for hashing every statement (a
 * fingerprint). A text with a character outside ASCII gives undefined: then
 * normalizeSql() itself is the answer (its case folding is Unicode's).
 * The bytes are a view of one buffer reused by the next call: hash them at once.
 *
 * @example
 * const bytes = normalBytes('CREATE  TABLE T (a INT) -- note', { compact: true }); // the bytes of 'create table t(a int)'
 * if (bytes) createHash('sha256').update(bytes);
 */
import type { NormalizeOptions } from './normalize-sql.js';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SINGLE = 0x27;
const DOUBLE = 0x22;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
/** A dollar tag is read from at most this many characters (normalizeSql's window). */
const TAG_WINDOW = 64;

let buffer = Buffer.allocUnsafe(4096);

/** What normalizeSql's `word` matches, among ASCII codes: letters, digits, `_`, `$` and the three quotes. */
function isWord(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DOLLAR || c === SINGLE || c === DOUBLE || c === BACKTICK;
}

/** Ends a run of unquoted text, as normalizeSql's word loop does. */
function endsWord(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === SINGLE || c === DOUBLE || c === BACKTICK || c === DOLLAR;
}

/** The length of the dollar tag (`$$`, `$body$`) at `i`, or 0. */
function tagLength(text: string, i: number): number {
  const end = Math.min(text.length, i + TAG_WINDOW);
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === DOLLAR) return j - i + 1;
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f)) return 0;
  }
  return 0;
}

// The state of the text being read: module-level, so a call makes no closures (one per statement of every file).
let len = 0;
let space = false;
let compact = false;

/** Where a token starts: the space before it, as normalizeSql's put() decides. */
function open(first: number): void {
  if (space && len > 0 && (!compact || (isWord(buffer[len - 1]!) && isWord(first)))) buffer[len++] = SPACE;
  space = false;
}

/** Copies text[from, to) as it is; false at a character outside ASCII. */
function copy(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c > 0x7f) return false;
    buffer[len++] = c;
  }
  return true;
}

/** normalizeSql(text, options) as bytes, or undefined when the text is not ASCII. */
export function normalBytes(text: string, options: NormalizeOptions = {}): Buffer | undefined {
  const n = text.length;
  // The result is never longer than the text, and an ASCII character is one byte.
  if (buffer.length < n) buffer = Buffer.allocUnsafe(Math.max(n, buffer.length * 2));
  const out = buffer;
  const fold = options.foldCase !== false;
  const dash = (options.lineComment ?? '--').charCodeAt(0);
  compact = options.compact === true;
  len = 0;
  space = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return undefined;
    if (c === SPACE || c === TAB || c === LF || c === CR) {
      space = true;
      i++;
    } else if (c === dash && text.charCodeAt(i + 1) === dash) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      space = true;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      space = true;
    } else if (c === SINGLE || c === DOUBLE || c === BACKTICK) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH && c !== DOUBLE) j += 2;
        else if (d === c && text.charCodeAt(j + 1) === c) j += 2;
        else if (d === c) break;
        else j++;
      }
      open(c);
      if (!copy(text, i, Math.min(n, j + 1))) return undefined;
      i = j + 1;
    } else if (c === DOLLAR) {
      const tag = tagLength(text, i);
      const close = tag > 0 ? text.indexOf(text.slice(i, i + tag), i + tag) : -1;
      open(c);
      if (close >= 0) {
        if (!copy(text, i, close + tag)) return undefined;
        i = close + tag;
      } else {
        out[len++] = c;
        i++;
      }
    } else {
      open(fold && c >= 0x41 && c <= 0x5a ? c + 32 : c);
      let j = i;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (endsWord(d) || (d === dash && text.charCodeAt(j + 1) === dash) || (d === SLASH && text.charCodeAt(j + 1) === STAR)) break;
        if (d > 0x7f) return undefined;
        out[len++] = fold && d >= 0x41 && d <= 0x5a ? d + 32 : d;
      }
      i = j;
    }
  }
  return out.subarray(0, len);
}
