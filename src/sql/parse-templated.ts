/**
 * Parses a migration file after its substitutions: literal replacements and
 * declared variables are put in first, then the file is parsed, and every
 * statement's place (bytes, line, column) is mapped back to the file as
 * written, with the replacements each statement received. A placeholder left
 * unfilled is an error naming the file, line, column and placeholder, with
 * the YAML that fills it; the parser's own complaint then points at it too,
 * instead of suggesting another engine.
 *
 * @example
 * await loadParsers();
 * const f = parseTemplated({ file: 'm/001.sql', text: 'CREATE TABLE t (id $%PK%$);', set: 'm', rules: { literals: [{ text: '$%PK%$', value: 'bigint PRIMARY KEY', source: 'substitute' }], variables: [] } });
 * f.statements[0].sql // 'CREATE TABLE t (id bigint PRIMARY KEY)'
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { EngineName, ParsedFile, ParsedStatement } from './effects.js';
import { parseMigrationFile } from './parse-file.js';
import { findPlaceholders, type FoundPlaceholder } from './placeholders.js';
import { SourceText } from './source-text.js';
import { substitute, type Rewrite, type Substitution, type TextVariable } from './substitute.js';

export interface TemplateRules {
  readonly literals: readonly Substitution[];
  readonly variables: readonly TextVariable[];
}

export interface TemplatedInput {
  readonly file: string;
  readonly text: string;
  readonly declaredEngine?: EngineName;
  /** The engine of the only store the file's service has, if it has one. */
  readonly storeEngine?: EngineName;
  /** The set the file belongs to, for the YAML in hints. */
  readonly set?: string;
  readonly rules?: TemplateRules;
}

const NONE: TemplateRules = { literals: [], variables: [] };

export function parseTemplated(input: TemplatedInput): ParsedFile {
  const { file, text } = input;
  const rewrite = substitute(text, input.rules ?? NONE);
  let original: SourceText | undefined;
  const src = () => (original ??= new SourceText(text));
  const unfilled = findPlaceholders(text, rewrite.changed ? (i) => rewrite.replacedAt(src().byteAt(i)) : undefined);
  const parsed = parseMigrationFile({
    file,
    text: rewrite.text,
    ...(input.declaredEngine ? { declaredEngine: input.declaredEngine } : {}),
    ...(input.storeEngine ? { storeEngine: input.storeEngine } : {}),
    detect: unfilled.length === 0,
  });
  const mapped = rewrite.changed ? remap(parsed, rewrite, src()) : parsed;
  if (unfilled.length === 0) return mapped;
  const first = unfilled[0]!;
  const at = src().position(first.index);
  const diagnostics = mapped.diagnostics.map((d) =>
    d.code === 'sql.parse' ? { ...d, hint: `the file has a placeholder no variable fills ("${first.text}" at line ${at.line}): fill it (see the error there), and the file is parsed as it will run` } : d,
  );
  return { ...mapped, diagnostics: [...placeholderErrors(file, input.set, unfilled, src()), ...diagnostics] };
}

/** One error per placeholder and file, at its first use. */
function placeholderErrors(file: string, set: string | undefined, found: readonly FoundPlaceholder[], src: SourceText): Diagnostic[] {
  const byText = new Map<string, FoundPlaceholder[]>();
  for (const f of found) byText.set(f.text, [...(byText.get(f.text) ?? []), f]);
  return [...byText.values()].map((uses) => {
    const f = uses[0]!;
    const p = src.position(f.index);
    const times = uses.length > 1 ? ` (${uses.length} times in the file)` : '';
    return diagnostic({
      code: 'sql.placeholder',
      severity: 'error',
      message: `sql: placeholder "${f.text}" in "${file}" is not filled${times}: it would reach the database as written`,
      file,
      line: p.line,
      column: p.column,
      object: f.text,
      hint: fillHint(f, set ?? '<set>'),
    });
  });
}

function fillHint(f: FoundPlaceholder, set: string): string {
  if (f.syntax === 'dollar-percent') return `sets:\n  ${set}:\n    substitute:\n      "${f.text}": "..."`;
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) ? f.name : 'NAME';
  return `sets:\n  ${set}:\n    variables:\n      ${name}: { env: ${name} }      # or { value: "..." }, or { store: <setting> } such as cluster`;
}

/** Statement places and diagnostics of the rewritten text, moved back to the file as written. */
function remap(parsed: ParsedFile, rewrite: Rewrite, original: SourceText): ParsedFile {
  const rewritten = new SourceText(rewrite.text);
  const statements = parsed.statements.map((s): ParsedStatement => {
    const start = rewrite.fileByte(s.start, 'start');
    const end = rewrite.fileByte(s.end, 'end');
    const from = original.position(original.charAt(start));
    const applied = rewrite.appliedWithin(s.start, s.end);
    return {
      ...s,
      start,
      end,
      line: from.line,
      column: from.column,
      endLine: original.position(Math.max(original.charAt(start), original.charAt(end) - 1)).line,
      ...(applied.length > 0 ? { substitutions: applied } : {}),
    };
  });
  const diagnostics = parsed.diagnostics.map((d): Diagnostic => {
    if (d.line === undefined) return d;
    const byte = rewritten.byteAt(rewritten.index(d.line, d.column ?? 1));
    const p = original.position(original.charAt(rewrite.fileByte(byte, 'start')));
    return { ...d, line: p.line, ...(d.column !== undefined ? { column: p.column } : {}) };
  });
  return { ...parsed, statements, diagnostics };
}
