/**
 * Why a file's SHA-384 is no longer the checksum sqlx recorded, when none of
 * its statements reads differently: the edits no terminal shows (line
 * endings, a byte-order mark, blanks at line ends, the final newline) are
 * undone one at a time on the file's bytes now, and the one that gives the
 * recorded checksum back is the change, said in words with the first line it
 * touches made visible (`␍` for a carriage return, `·` for a trailing blank).
 *
 * @example
 * explainChecksum(Buffer.from('SELECT 1;\r\n'), sha384Hex('SELECT 1;\n'))
 * // 'only its line endings changed: CRLF now, LF when applied\n  - SELECT 1;\n  + SELECT 1;␍'
 */
import { createHash } from 'node:crypto';

interface Undo {
  /** The file as it was, if this edit is what changed it; undefined when it does not apply. */
  readonly before: (now: string) => string | undefined;
  readonly says: string;
}

const BOM = '\uFEFF';

const UNDOS: readonly Undo[] = [
  { before: (t) => (t.includes('\r\n') ? t.replace(/\r\n/g, '\n') : undefined), says: 'only its line endings changed: CRLF now, LF when applied' },
  { before: (t) => (/\r(?!\n)/.test(t) ? t.replace(/\r(?!\n)/g, '\n') : undefined), says: 'only its line endings changed: CR now, LF when applied' },
  { before: (t) => (/(^|[^\r])\n/.test(t) ? t.replace(/\r?\n/g, '\r\n') : undefined), says: 'only its line endings changed: LF now, CRLF when applied' },
  { before: (t) => (t.startsWith(BOM) ? t.slice(1) : undefined), says: 'only a byte-order mark was added at its start' },
  { before: (t) => (t.startsWith(BOM) ? undefined : BOM + t), says: 'only the byte-order mark at its start was removed' },
  { before: (t) => (/[ \t]+(?=\r?\n|$)/.test(t) ? t.replace(/[ \t]+(?=\r?\n|$)/g, '') : undefined), says: 'only blanks at the end of lines were added' },
  { before: (t) => (t.endsWith('\n') ? t.replace(/\r?\n$/, '') : undefined), says: 'only a newline at its end was added' },
  { before: (t) => (t.endsWith('\n') ? undefined : `${t}\n`), says: 'only the newline at its end was removed' },
];

/** What changed, when undoing one invisible edit gives the recorded checksum back; undefined otherwise. */
export function explainChecksum(bytes: Buffer, recordedSha384: string): string | undefined {
  // latin1 maps every byte to one character and back, so any file round-trips byte for byte.
  const now = bytes.toString('latin1');
  const bom = now.startsWith('\xEF\xBB\xBF');
  const text = bom ? BOM + now.slice(3) : now;
  for (const undo of UNDOS) {
    const before = undo.before(text);
    if (before === undefined) continue;
    const raw = before.startsWith(BOM) ? `\xEF\xBB\xBF${before.slice(1)}` : before;
    if (createHash('sha384').update(Buffer.from(raw, 'latin1')).digest('hex') !== recordedSha384) continue;
    return `${undo.says}${firstChange(before, text)}`;
  }
  return undefined;
}

/** The first line that differs, before and now, with what a terminal hides made visible. */
function firstChange(before: string, now: string): string {
  const a = before.split('\n');
  const b = now.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return `\n  - ${visible(a[i])}\n  + ${visible(b[i])}`;
  }
  return '';
}

/** A line of the latin1 text, shown as the UTF-8 it is, with what a terminal hides made visible. */
function visible(line: string | undefined): string {
  if (line === undefined) return '(no line: the file ended)';
  const shown = line
    .split(BOM)
    .map((part) => Buffer.from(part, 'latin1').toString('utf8'))
    .join('<BOM>');
  return shown.replace(/\r/g, '␍').replace(/[ \t]+$/, (blank) => '·'.repeat(blank.length)) || '(an empty line)';
}
