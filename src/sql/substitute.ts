/**
 * Text substitutions applied to a migration file before it is parsed: literal
 * text replaced by other text (a set's `substitute:`), and placeholders filled
 * by declared variables (`{{.NAME}}`, `${NAME}`, `$%NAME%$`). One left-to-right
 * pass, so a replacement is never itself rewritten. The result remembers each
 * edit, so positions in the rewritten text map back to the file.
 *
 * @example
 * const r = substitute('CREATE TABLE t (id $%PK%$)', { literals: [{ text: '$%PK%$', value: 'bigint PRIMARY KEY', source: 'substitute' }], variables: [] });
 * r.text // 'CREATE TABLE t (id bigint PRIMARY KEY)'
 */

/** A literal replacement: every occurrence of `text` becomes `value`. */
export interface Substitution {
  readonly text: string;
  readonly value: string;
  /** Where it is declared, for the plan: e.g. `substitute (topology.yaml:12)`. */
  readonly source: string;
}

/** A variable: fills the placeholders `{{.NAME}}`, `{{ .NAME }}`, `${NAME}` and `$%NAME%$`. */
export interface TextVariable {
  readonly name: string;
  readonly value: string;
  /** Where the value comes from, for the plan: e.g. `variable CLUSTER: store "events" setting "cluster"`. */
  readonly source: string;
}

/** One replacement made, for the plan: the text as written, what it became, and why. */
export interface AppliedSubstitution {
  readonly placeholder: string;
  readonly value: string;
  readonly source: string;
}

interface Edit {
  /** UTF-8 byte ranges in the file and in the rewritten text. */
  readonly fromStart: number;
  readonly fromEnd: number;
  readonly toStart: number;
  readonly toEnd: number;
  readonly applied: AppliedSubstitution;
}

/** Placeholder syntaxes a variable fills; group 1, 2 or 3 is its name. */
export const PLACEHOLDER = /\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$%([A-Za-z_][A-Za-z0-9_]*)%\$/;

export class Rewrite {
  constructor(
    readonly text: string,
    private readonly edits: readonly Edit[],
  ) {}

  get changed(): boolean {
    return this.edits.length > 0;
  }

  /**
   * The file's byte offset of a byte offset in the rewritten text. Inside a
   * replacement, a start maps to the start of what it replaced and an end to its end.
   */
  fileByte(byte: number, side: 'start' | 'end'): number {
    // An end is exclusive: an edit that begins exactly there lies after it.
    const before = (e: Edit) => (side === 'start' ? e.toStart <= byte : e.toStart < byte);
    let lo = 0;
    let hi = this.edits.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.edits[mid]!)) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0) return byte;
    const e = this.edits[at]!;
    if (byte >= e.toEnd) return byte - e.toEnd + e.fromEnd;
    return side === 'start' ? e.fromStart : e.fromEnd;
  }

  /** Replacements made inside the rewritten byte range [start, end), once each. */
  appliedWithin(start: number, end: number): AppliedSubstitution[] {
    const out: AppliedSubstitution[] = [];
    for (const e of this.edits) {
      if (e.toStart < start || e.toStart >= end) continue;
      if (!out.some((a) => a.placeholder === e.applied.placeholder && a.value === e.applied.value)) out.push(e.applied);
    }
    return out;
  }

  /** True when the file's byte offset lies inside text that was replaced. */
  replacedAt(fileByte: number): boolean {
    return this.edits.some((e) => fileByte >= e.fromStart && fileByte < e.fromEnd);
  }
}

export function substitute(text: string, rules: { literals: readonly Substitution[]; variables: readonly TextVariable[] }): Rewrite {
  if (rules.literals.length === 0 && rules.variables.length === 0) return new Rewrite(text, []);
  // Longer literals first, so one that contains another wins where both match.
  const literals = [...rules.literals].sort((a, b) => b.text.length - a.text.length);
  const variables = new Map(rules.variables.map((v) => [v.name, v]));
  const alternatives = [...literals.map((l) => escape(l.text)), PLACEHOLDER.source];
  const scan = new RegExp(alternatives.map((a) => `(${a})`).join('|'), 'g');
  const edits: Edit[] = [];
  let out = '';
  let last = 0;
  let fromByte = 0;
  let toByte = 0;
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    const found = m[0];
    let applied: AppliedSubstitution | undefined;
    const literal = literals.findIndex((_, i) => m[i + 1] !== undefined);
    if (literal >= 0) applied = { placeholder: found, value: literals[literal]!.value, source: literals[literal]!.source };
    else {
      const base = literals.length + 2;
      const name = m[base] ?? m[base + 1] ?? m[base + 2];
      const v = name !== undefined ? variables.get(name) : undefined;
      if (v) applied = { placeholder: found, value: v.value, source: v.source };
    }
    if (!applied) continue;
    const before = text.slice(last, m.index);
    out += before;
    fromByte += Buffer.byteLength(before);
    toByte += Buffer.byteLength(before);
    const fromLen = Buffer.byteLength(found);
    const toLen = Buffer.byteLength(applied.value);
    edits.push({ fromStart: fromByte, fromEnd: fromByte + fromLen, toStart: toByte, toEnd: toByte + toLen, applied });
    out += applied.value;
    fromByte += fromLen;
    toByte += toLen;
    last = m.index + found.length;
  }
  if (edits.length === 0) return new Rewrite(text, []);
  return new Rewrite(out + text.slice(last), edits);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
