/**
 * A cursor over a ClickHouse statement's tokens: keyword tests, qualified
 * names, balanced parentheses and `ON CLUSTER`, the pieces every statement
 * kind is read from.
 *
 * @example
 * const c = new TokenCursor(tokenizeClickHouse('DROP TABLE IF EXISTS db.t ON CLUSTER main'))
 * c.accept('DROP', 'TABLE'); c.accept('IF', 'EXISTS'); c.name() // { schema: 'db', name: 't' }
 */
import type { Token } from './clickhouse-tokens.js';

export interface QualifiedName {
  readonly name: string;
  readonly schema?: string;
  /** String offset just after the name in the statement. */
  readonly end: number;
}

export class TokenCursor {
  pos = 0;

  constructor(readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }

  next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  /** True when the next tokens are these words (case-insensitive) or punctuation. */
  is(...words: string[]): boolean {
    return words.every((w, k) => {
      const t = this.tokens[this.pos + k];
      return t !== undefined && (t.type === 'word' || t.type === 'punct') && t.upper === w;
    });
  }

  /** Consumes the words when they come next. */
  accept(...words: string[]): boolean {
    if (!this.is(...words)) return false;
    this.pos += words.length;
    return true;
  }

  /** Consumes the first of several alternatives that comes next; returns it joined by spaces. */
  acceptAny(...alternatives: string[]): string | undefined {
    for (const a of alternatives) if (this.accept(...a.split(' '))) return a;
    return undefined;
  }

  /** `name`, `db.name`, with back quotes or double quotes on either part. */
  name(): QualifiedName | undefined {
    const first = this.peek();
    if (!first || (first.type !== 'word' && first.type !== 'ident')) return undefined;
    this.pos++;
    if (this.is('.') && isName(this.peek(1))) {
      const second = this.tokens[this.pos + 1]!;
      this.pos += 2;
      return { schema: first.value, name: second.value, end: second.end };
    }
    return { name: first.value, end: first.end };
  }

  /** `ON CLUSTER name` (a word, a quoted identifier or a string such as `'{cluster}'`). */
  onCluster(): string | undefined {
    if (!this.is('ON', 'CLUSTER')) return undefined;
    const t = this.peek(2);
    if (!t || t.type === 'punct') return undefined;
    this.pos += 3;
    return t.value;
  }

  /** When at `(`, moves past its matching `)` and returns the tokens inside. */
  group(): Token[] | undefined {
    if (!this.is('(')) return undefined;
    const from = this.pos + 1;
    let depth = 0;
    for (; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (t.type !== 'punct') continue;
      if (t.value === '(' || t.value === '[') depth++;
      else if ((t.value === ')' || t.value === ']') && --depth === 0) {
        this.pos++;
        return this.tokens.slice(from, this.pos - 1);
      }
    }
    return this.tokens.slice(from);
  }

  /** Moves to the next top-level occurrence of one of these words; true when found. */
  seek(...words: string[]): boolean {
    while (!this.done) {
      if (words.some((w) => this.is(...w.split(' ')))) return true;
      if (!this.group()) this.pos++;
    }
    return false;
  }

  /** The remaining tokens. */
  rest(): Token[] {
    return this.tokens.slice(this.pos);
  }
}

function isName(t: Token | undefined): boolean {
  return t !== undefined && (t.type === 'word' || t.type === 'ident');
}

/** Splits tokens at top-level commas. */
export function splitArgs(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'punct' && (t.value === '(' || t.value === '[')) depth++;
    if (t.type === 'punct' && (t.value === ')' || t.value === ']')) depth--;
    if (depth === 0 && t.type === 'punct' && t.value === ',') out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out.filter((a) => a.length > 0);
}
