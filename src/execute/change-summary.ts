/**
 * A short line diff between what the ledger recorded and what the file says
 * now, for the "changed since it was applied" error. Characters a terminal
 * does not show are made visible in changed lines (a carriage return as `␍`,
 * trailing blanks as `·`, a byte-order mark as `<BOM>`), and a change of line
 * endings alone is said in words, so a CR-only edit never prints two lines
 * that look the same.
 *
 * @example
 * changeSummary('CREATE TABLE t (a int)', 'CREATE TABLE t (a bigint)') // '  - CREATE TABLE t (a int)\n  + CREATE TABLE t (a bigint)'
 * changeSummary('a\nb', 'a\r\nb') // '  (only line endings changed: CRLF now, LF when applied)\n  - a\n  + a␍'
 */
export function changeSummary(before: string, after: string, maxLines = 12): string {
  const endings = lineEndings(before, after);
  if (endings) return `  (only line endings changed: ${endings})\n${lineDiff(before, after, 2)}`;
  return lineDiff(before, after, maxLines);
}

/** `CRLF now, LF when applied` when the texts differ only in line endings. */
function lineEndings(before: string, after: string): string | undefined {
  const lf = (t: string) => t.replace(/\r\n?/g, '\n');
  if (before === after || lf(before) !== lf(after)) return undefined;
  const kind = (t: string) => (t.includes('\r\n') ? 'CRLF' : t.includes('\r') ? 'CR' : 'LF');
  return `${kind(after)} now, ${kind(before)} when applied`;
}

/** A line as a terminal would show it, with what it would hide made visible. */
function visible(line: string): string {
  return line.replace(/\uFEFF/g, '<BOM>').replace(/\r/g, '␍').replace(/[ \t]+$/, (blank) => '·'.repeat(blank.length));
}

function lineDiff(before: string, after: string, maxLines: number): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while ((i < a.length || j < b.length) && out.length < maxLines) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const nextInB = i < a.length ? b.indexOf(a[i]!, j) : -1;
    const nextInA = j < b.length ? a.indexOf(b[j]!, i) : -1;
    if (nextInB >= 0 && (nextInA < 0 || nextInB - j <= nextInA - i)) while (j < nextInB && out.length < maxLines) out.push(`  + ${visible(b[j++]!)}`);
    else if (nextInA >= 0) while (i < nextInA && out.length < maxLines) out.push(`  - ${visible(a[i++]!)}`);
    else {
      if (i < a.length) out.push(`  - ${visible(a[i++]!)}`);
      if (j < b.length && out.length < maxLines) out.push(`  + ${visible(b[j++]!)}`);
    }
  }
  if (out.length === 0) return '  (the same text; the checksum differs in white space or line endings)';
  return out.join('\n') + (out.length >= maxLines ? '\n  …' : '');
}
