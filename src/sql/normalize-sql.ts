/**
 * A normalised form of a statement for comparing two definitions: comments
 * dropped, white space folded, everything outside quotes lowercased; quoted
 * text ('...', "...", `...`, $tag$...$tag$) kept exactly. Linear in the text
 * and cheap, so every statement can carry one. `foldCase: false` keeps the
 * case of unquoted text, for engines where it matters (ClickHouse, Cypher);
 * `lineComment: '//'` reads Cypher, where `--` is a relationship, not a comment;
 * `compact: true` keeps white space only between two word characters (or quotes), so
 * `( id int )` and `(id int)` read the same.
 *
 * @example
 * normalizeSql("CREATE TABLE  T (a INT) -- note") === normalizeSql('create table t (a int)') // true
 */
export interface NormalizeOptions {
  readonly foldCase?: boolean;
  readonly lineComment?: '--' | '//';
  readonly compact?: boolean;
}

export function normalizeSql(text: string, options: NormalizeOptions = {}): string {
  const fold = options.foldCase !== false;
  // Quotes count as word characters: 'a'\n'b' (one literal, continued) must not read as 'a''b' (another).
  const word = /[A-Za-z0-9_$'"`\u0080-\uffff]/;
  const dash = (options.lineComment ?? '--')[0]!;
  const lineComment = (j: number) => text[j] === dash && text[j + 1] === dash;
  let out = '';
  let i = 0;
  const n = text.length;
  let space = false;
  const put = (s: string) => {
    if (space && out.length > 0 && (!options.compact || (word.test(out[out.length - 1]!) && word.test(s[0]!)))) out += ' ';
    space = false;
    out += s;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      space = true;
      i++;
    } else if (lineComment(i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      space = true;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      space = true;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n) {
        if (text[j] === '\\' && c !== '"') j += 2;
        else if (text[j] === c && text[j + 1] === c) j += 2;
        else if (text[j] === c) break;
        else j++;
      }
      put(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i, i + 64))?.[0];
      const close = tag ? text.indexOf(tag, i + tag.length) : -1;
      if (tag && close >= 0) {
        put(text.slice(i, close + tag.length));
        i = close + tag.length;
      } else {
        put(c);
        i++;
      }
    } else {
      let j = i;
      while (j < n && !" \t\n\r'\"`$".includes(text[j]!) && !lineComment(j) && !(text[j] === '/' && text[j + 1] === '*')) j++;
      put(fold ? text.slice(i, j).toLowerCase() : text.slice(i, j));
      i = j;
    }
  }
  return out;
}
