/**
 * Down sections inside an up file: the part of a file after a marker such as
 * dbmate's `-- migrate:down`, goose's `-- +goose Down` or a bare `-- Down`, up to
 * the next up marker (`-- migrate:up`, `-- +goose Up`, `-- Up`) or the end of the
 * file. Such a section reverts the file; run forward it undoes what the file did.
 *
 * @example
 * findDownSections('CREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n')
 * // [{ marker: '-- migrate:down', line: 2, endLine: 3, start: 25, end: 55, sql: 'DROP TABLE t;' }]
 */

export interface DownSection {
  /** The marker line as written, trimmed. */
  readonly marker: string;
  /** 1-based line of the marker and the section's last line with text. */
  readonly line: number;
  readonly endLine: number;
  /** String offsets of the section (marker included) in the file's text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The section's SQL, without the marker line. */
  readonly sql: string;
}

const MARKER = /^[ \t]*--[ \t]*(?:\+goose[ \t]+(up|down)\b|migrate:(up|down)\b|(up|down)[ \t]*:?[ \t]*$).*$/gim;

export function findDownSections(text: string): DownSection[] {
  // A cheap test first: most files have no marker at all.
  if (!/--[ \t]*(?:\+goose[ \t]+)?(?:migrate:)?down/i.test(text)) return [];
  const marks: { index: number; end: number; down: boolean; text: string }[] = [];
  for (const m of text.matchAll(MARKER)) {
    const word = (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
    marks.push({ index: m.index, end: m.index + m[0].length, down: word === 'down', text: m[0].trim() });
  }
  const out: DownSection[] = [];
  marks.forEach((m, i) => {
    if (!m.down) return;
    const next = marks.slice(i + 1).find((x) => !x.down);
    const end = next ? next.index : text.length;
    const body = text.slice(m.end, end);
    const line = lineAt(text, m.index);
    const trimmed = body.replace(/\s+$/, '');
    out.push({ marker: m.text, line, endLine: lineAt(text, m.end + trimmed.length), start: m.index, end, sql: trimmed.replace(/^\s*\n/, '') });
  });
  // A second down marker inside a section belongs to that section.
  return out.filter((s, i) => !out.slice(0, i).some((o) => s.start < o.end));
}

/**
 * The text with each section blanked out: every character but line breaks becomes
 * as many spaces as its UTF-8 bytes, so lines, columns and byte offsets of the
 * rest stay those of the file.
 */
export function blankSections(text: string, sections: readonly DownSection[]): string {
  let out = '';
  let at = 0;
  for (const s of sections) {
    out += text.slice(at, s.start);
    for (const ch of text.slice(s.start, s.end)) out += ch === '\n' || ch === '\r' ? ch : ' '.repeat(Buffer.byteLength(ch));
    at = s.end;
  }
  return out + text.slice(at);
}

/** The tool whose convention a down marker belongs to: `-- +goose Down` goose, `-- migrate:down` dbmate, a bare `-- Down` sqlx. */
export function downMarkerTool(marker: string): 'goose' | 'dbmate' | 'sqlx' {
  return /goose/i.test(marker) ? 'goose' : /migrate:/i.test(marker) ? 'dbmate' : 'sqlx';
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
