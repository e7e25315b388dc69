/**
 * Positions in a migration file: UTF-8 byte offsets (what parsers report) to
 * string offsets, and string offsets to 1-based line and column. Built once per
 * file; lookups are binary searches, so a large file costs no more than its size.
 */
export class SourceText {
  private readonly lineStarts: number[] = [0];
  /** Byte offset of each string index, only for files that are not ASCII. */
  private readonly byteOfChar?: Uint32Array;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    if (Buffer.byteLength(text) !== text.length) {
      const map = new Uint32Array(text.length + 1);
      let b = 0;
      for (let i = 0; i < text.length; i++) {
        map[i] = b;
        const c = text.charCodeAt(i);
        if (c < 0x80) b += 1;
        else if (c < 0x800) b += 2;
        else if (c >= 0xd800 && c <= 0xdbff) {
          // A surrogate pair is one 4-byte character spread over two string indices.
          map[++i] = b;
          b += 4;
        } else b += 3;
      }
      map[text.length] = b;
      this.byteOfChar = map;
    }
  }

  /** String index of a UTF-8 byte offset. */
  charAt(byte: number): number {
    const m = this.byteOfChar;
    if (!m) return byte;
    let lo = 0;
    let hi = m.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid]! < byte) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** UTF-8 byte offset of a string index. */
  byteAt(index: number): number {
    return this.byteOfChar ? this.byteOfChar[index]! : index;
  }

  /** String index of a 1-based line and column (in characters). */
  index(line: number, column: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1]!;
    return Math.min(this.text.length, start + Math.max(column, 1) - 1);
  }

  /** 1-based line and column (in characters) of a string index. */
  position(index: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - this.lineStarts[lo]! + 1 };
  }
}

/** Moves `start` past white space, `/* *\/` comments and line comments (`--` by default). */
export function skipTrivia(text: string, start: number, end: number, lineComments: readonly string[] = ['--'], nestedComments = false): number {
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';') i++;
    else if (lineComments.some((m) => text.startsWith(m, i))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = nestedComments ? nestedCommentEnd(text, i) : text.indexOf('*/', i + 2);
      i = close < 0 || close > end ? end : close + 2;
    } else break;
  }
  return i;
}

/** Moves `end` back over white space and semicolons. */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s;]/.test(text[e - 1]!)) e--;
  return e;
}

/** Index of the `*\/` closing the (nesting) block comment that opens at `i`, or -1. */
export function nestedCommentEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length - 1; j++) {
    if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j++;
    } else if (text[j] === '*' && text[j + 1] === '/') {
      if (--depth === 0) return j;
      j++;
    }
  }
  return -1;
}
