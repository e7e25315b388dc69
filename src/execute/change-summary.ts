/**
 * A short line diff between what the ledger recorded and what the file says
 * now, for the "changed since it was applied" error.
 *
 * @example
 * changeSummary('CREATE TABLE t (a int)', 'CREATE TABLE t (a bigint)') // '  - CREATE TABLE t (a int)\n  + CREATE TABLE t (a bigint)'
 */
export function changeSummary(before: string, after: string, maxLines = 12): string {
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
    if (nextInB >= 0 && (nextInA < 0 || nextInB - j <= nextInA - i)) while (j < nextInB && out.length < maxLines) out.push(`  + ${b[j++]}`);
    else if (nextInA >= 0) while (i < nextInA && out.length < maxLines) out.push(`  - ${a[i++]}`);
    else {
      if (i < a.length) out.push(`  - ${a[i++]}`);
      if (j < b.length && out.length < maxLines) out.push(`  + ${b[j++]}`);
    }
  }
  if (out.length === 0) return '  (the same text; the checksum differs in white space or line endings)';
  return out.join('\n') + (out.length >= maxLines ? '\n  …' : '');
}
