/**
 * ClickHouse's lexical grammar, as far as reading a migration needs it: words,
 * back-quoted and double-quoted identifiers, string literals (with `\` and
 * `''` escapes), heredocs (`$$ ... $$`, `$tag$ ... $tag$`), numbers and
 * punctuation; white space and comments (`--`, `#`, nesting `/* *\/`) are
 * skipped. Every token keeps its string offsets in the statement, so a reader
 * can point at, or insert text next to, any part of it.
 *
 * @example
 * tokenizeClickHouse('CREATE TABLE `db`.t').map((t) => t.value) // ['CREATE', 'TABLE', 'db', '.', 't']
 */
import { heredocTag } from '../split-statements.js';
import { nestedCommentEnd } from '../source-text.js';

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'punct';

export interface Token {
  readonly type: TokenType;
  /** Identifier or string without its quotes; the character itself for punctuation. */
  readonly value: string;
  /** Upper-cased value of a word, for keyword tests. */
  readonly upper: string;
  readonly start: number;
  readonly end: number;
}

export function tokenizeClickHouse(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (type: TokenType, value: string, start: number, end: number) =>
    out.push({ type, value, upper: type === 'word' ? value.toUpperCase() : value, start, end });
  while (i < n) {
    const c = sql[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '#' && (sql[i + 1] === ' ' || sql[i + 1] === '!'))) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = nestedCommentEnd(sql, i);
      i = close < 0 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const { value, end } = quoted(sql, i, c);
      push(c === "'" ? 'string' : 'ident', value, i, end);
      i = end;
    } else if (c === '$' && heredocTag(sql, i) !== undefined) {
      const tag = heredocTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? n : close + tag.length;
      push('string', sql.slice(i + tag.length, close < 0 ? n : close), i, end);
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      push('word', sql.slice(i, j), i, j);
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) j++;
      push('number', sql.slice(i, j), i, j);
      i = j;
    } else {
      push('punct', c, i, i + 1);
      i++;
    }
  }
  return out;
}

function quoted(sql: string, open: number, q: string): { value: string; end: number } {
  let value = '';
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\' && i + 1 < sql.length) {
      value += unescape(sql[i + 1]!);
      i += 2;
    } else if (c === q && sql[i + 1] === q) {
      value += q;
      i += 2;
    } else if (c === q) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: sql.length };
}

function unescape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === '0' ? '\0' : c;
}
