/**
 * Splits a script into statements on `;`, respecting single, double and back
 * quotes and `--`, `//`, `#` and block comments, as ClickHouse and Cypher
 * files need (their servers take one statement per request). ClickHouse also
 * has heredoc strings (`$$ ... $$`, `$tag$ ... $tag$`) and block comments that
 * nest (`/* a /* b *\/ c *\/` is one comment): both are options.
 *
 * @example
 * splitStatements("SELECT ';'; SELECT 2", { lineComments: ['--'] }).pieces.map((p) => p.text) // ["SELECT ';'", 'SELECT 2']
 */
import { nestedCommentEnd, SourceText, skipTrivia, trimEnd } from './source-text.js';

export interface Piece {
  readonly text: string;
  /** String indices in the script. */
  readonly start: number;
  readonly end: number;
}

export interface SplitResult {
  readonly pieces: Piece[];
  readonly src: SourceText;
  /** String index of an unterminated quote or comment. */
  readonly unterminated?: { index: number; what: string };
}

export interface SplitOptions {
  readonly lineComments: string[];
  /** `$$ ... $$` and `$tag$ ... $tag$` are strings (ClickHouse). */
  readonly heredocs?: boolean;
  /** Block comments nest (ClickHouse). */
  readonly nestedComments?: boolean;
}

export function splitStatements(text: string, options: SplitOptions): SplitResult {
  const src = new SourceText(text);
  const pieces: Piece[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  const push = (end: number) => {
    const s = skipTrivia(text, start, end, options.lineComments, options.nestedComments);
    const e = trimEnd(text, s, end);
    if (e > s) pieces.push({ text: text.slice(s, e), start: s, end: e });
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const open = i;
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\') i++;
        i++;
        if (text[i] === c && text[i + 1] === c) i += 2;
      }
      if (i >= n) return { pieces, src, unterminated: { index: open, what: 'string' } };
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = options.nestedComments ? nestedCommentEnd(text, i) : text.indexOf('*/', i + 2);
      if (close < 0) return { pieces, src, unterminated: { index: i, what: 'comment' } };
      i = close + 2;
      continue;
    }
    if (c === '$' && options.heredocs) {
      const tag = heredocTag(text, i);
      if (tag !== undefined) {
        const close = text.indexOf(tag, i + tag.length);
        if (close < 0) return { pieces, src, unterminated: { index: i, what: `heredoc ${tag}` } };
        i = close + tag.length;
        continue;
      }
    }
    const lc = options.lineComments.find((m) => text.startsWith(m, i));
    if (lc) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
      continue;
    }
    if (c === ';') {
      push(i);
      start = i + 1;
    }
    i++;
  }
  push(n);
  return { pieces, src };
}


/** `$$` or `$tag$` opening a heredoc at `i`, else undefined (`$1` and `$name` alone are not heredocs). */
export function heredocTag(text: string, i: number): string | undefined {
  const m = /^\$[A-Za-z_0-9]*\$/.exec(text.slice(i, i + 66));
  return m && !/^\$[0-9]/.test(m[0]) ? m[0] : undefined;
}

