/**
 * Placeholders left unfilled in a migration file: `{{.NAME}}` (Go templates),
 * `${NAME}` (flyway, goose ENVSUB) and `$%NAME%$`. Run on every file, so a
 * template never reaches a database as SQL. Comments are not searched, and a
 * `{{word}}` without the leading dot inside a string literal is data (a
 * mustache template stored in a row), not a placeholder.
 *
 * @example
 * findPlaceholders("CREATE TABLE t ON CLUSTER {{.CLUSTER}} (id UInt64)") // [{ text: '{{.CLUSTER}}', name: 'CLUSTER', index: 26 }]
 */

export interface FoundPlaceholder {
  /** As written, e.g. `{{ .SIGNOZ_CLUSTER }}`. */
  readonly text: string;
  /** The name inside, e.g. `SIGNOZ_CLUSTER` (for a Go template, the text between the braces). */
  readonly name: string;
  /** String index in the text. */
  readonly index: number;
  readonly syntax: 'template' | 'dollar-brace' | 'dollar-percent';
}

const CANDIDATE = /\{\{[^{}\n]*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}\n]*)?\}|\$%[A-Za-z_][A-Za-z0-9_]*%\$/g;

/** Unfilled placeholders, in order; `skip(index)` leaves out ones already replaced. */
export function findPlaceholders(text: string, skip: (index: number) => boolean = () => false): FoundPlaceholder[] {
  if (!/\{\{|\$\{|\$%/.test(text)) return [];
  const regions = lex(text);
  const out: FoundPlaceholder[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const index = m.index;
    if (skip(index)) continue;
    const where = regions(index);
    if (where === 'comment') continue;
    const found = m[0];
    if (found.startsWith('{{')) {
      const inner = found.slice(2, -2).trim();
      const goTemplate = inner.startsWith('.') || inner.startsWith('-');
      if (!goTemplate && where === 'string') continue;
      out.push({ text: found, name: inner.replace(/^-\s*/, '').replace(/\s*-$/, '').replace(/^\./, ''), index, syntax: 'template' });
    } else if (found.startsWith('${')) {
      out.push({ text: found, name: /^\$\{([A-Za-z0-9_]+)/.exec(found)![1]!, index, syntax: 'dollar-brace' });
    } else {
      out.push({ text: found, name: found.slice(2, -2), index, syntax: 'dollar-percent' });
    }
  }
  return out;
}

/**
 * Classifies string indices as code, comment or string (quoted text and
 * dollar-quoted bodies), with one pass over the text.
 */
function lex(text: string): (index: number) => 'code' | 'comment' | 'string' {
  const regions: { start: number; end: number; kind: 'comment' | 'string' }[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      regions.push({ start: i, end, kind: 'comment' });
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      regions.push({ start: i, end, kind: 'comment' });
      i = end;
    } else if (c === "'") {
      let j = i + 1;
      while (j < n && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : text[j] === '\\' ? 2 : 1;
      regions.push({ start: i, end: j + 1, kind: 'string' });
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64))?.[0];
      const close = tag ? text.indexOf(tag, i + tag.length) : -1;
      if (tag && close >= 0) {
        regions.push({ start: i, end: close + tag.length, kind: 'string' });
        i = close + tag.length;
      } else i++;
    } else i++;
  }
  return (index) => {
    let lo = 0;
    let hi = regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = regions[mid]!;
      if (index < r.start) hi = mid - 1;
      else if (index >= r.end) lo = mid + 1;
      else return r.kind;
    }
    return 'code';
  };
}
