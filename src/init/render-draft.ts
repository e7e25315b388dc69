/**
 * Writes a draft topology as YAML a person reviews: one line per store and
 * set, a short block per service, a comment beside whatever init guessed, and
 * at the end the resolutions init is certain of, in effect, and every other
 * conflict as a commented-out resolution. Each commented-out section is one
 * block of `#` lines from `# key:` (or, under a key already in effect, from
 * `  # key to review: ...`) to the next empty line; removing the leading `# `
 * of its lines puts it in effect.
 *
 * @example
 * renderDraft({ name: 'shop', stores: [...], sets: [...], services: [...], blocks: { sections: [], notes: [] }, header: [] })
 * // 'topoplan: 1\nname: shop\n\nstores:\n  postgres: { engine: postgres, database: shop }\n...'
 */
import type { RawService, RawSet, RawStore } from '../topology/raw.js';
import type { ResolutionBlocks } from './resolution-blocks.js';

export interface DraftDocument {
  readonly name: string;
  /** `root:` when the file is not written in the searched directory. */
  readonly root?: string;
  /** Comment lines at the top, without `# `. */
  readonly header: readonly string[];
  readonly stores: readonly { readonly name: string; readonly value: RawStore }[];
  readonly sets: readonly { readonly name: string; readonly value: RawSet; readonly comment?: string }[];
  readonly services: readonly { readonly name: string; readonly value: RawService }[];
  readonly blocks: ResolutionBlocks;
  /** Resolutions written in effect (their notes are not used). */
  readonly active?: ResolutionBlocks;
}

export function renderDraft(doc: DraftDocument): string {
  const out: string[] = [...doc.header.map((l) => `# ${l}`.trimEnd()), 'topoplan: 1', `name: ${scalar(doc.name)}`];
  if (doc.root !== undefined) out.push(`root: ${scalar(doc.root)}`);
  out.push('', 'stores:');
  for (const s of doc.stores) out.push(`  ${s.name}: ${flow(s.value)}`);
  out.push('', 'sets:');
  for (const s of doc.sets) out.push(`  ${s.name}: ${flow(s.value)}${s.comment ? `   # ${s.comment}` : ''}`);
  out.push('', 'services:');
  for (const s of doc.services) {
    out.push(`  ${s.name}:`);
    for (const [k, v] of Object.entries(s.value)) out.push(...wrapped(`    ${k}: `, v));
  }
  const { sections, notes } = doc.blocks;
  const active = doc.active?.sections ?? [];
  if (active.length > 0) out.push('', '# Resolutions that leave nothing to decide: each object is created with the same definition by both sets.');
  for (const section of active) {
    out.push('', `${section.key}:`);
    for (const e of section.entries) out.push(...entryLines('', e));
    const review = sections.find((s) => s.key === section.key);
    if (review) {
      out.push(`  # ${section.key} to review: put the reasons in, then remove the leading "# " of the lines below, up to the empty line`);
      for (const e of review.entries) out.push(...entryLines('# ', e));
    }
  }
  const commented = sections.filter((s) => !active.some((a) => a.key === s.key));
  if (commented.length > 0) {
    out.push('', '# Resolutions of the conflicts the planner found, one section per kind, each commented out.', '# Review a section, put the reasons in, then remove the leading "# " of its lines.');
    for (const section of commented) {
      out.push('', `# ${section.key}:`);
      for (const e of section.entries) out.push(...entryLines('# ', e));
    }
  }
  if (notes.length > 0) {
    out.push('', '# Conflicts with no ready resolution: see each hint.');
    for (const n of notes) {
      out.push(`# - ${n.conflict.replace(/\n/g, ' ')}`);
      if (n.hint) out.push(...n.hint.split('\n').map((l, i) => `#   ${i === 0 ? 'hint: ' : '      '}${l}`.trimEnd()));
    }
  }
  return out.join('\n') + '\n';
}

/** One list entry under the conflicts it resolves, each line after `lead` (`# ` when commented out). */
function entryLines(lead: string, e: ResolutionBlocks['sections'][number]['entries'][number]): string[] {
  return [...e.conflicts.map((c) => `${lead}  # ${c.replace(/\n/g, ' ')}`), `${lead}  - ${flow(e.value)}`];
}

/** `key: [a, b, ...]`, wrapped at about 110 columns, continuation lines under the first item. */
function wrapped(lead: string, value: unknown): string[] {
  const one = lead + flow(value);
  if (!Array.isArray(value) || one.length <= 110) return [one];
  const indent = ' '.repeat(lead.length + 1);
  const lines: string[] = [];
  let line = `${lead}[`;
  value.forEach((v, i) => {
    const item = flow(v) + (i < value.length - 1 ? ',' : ']');
    if (line.length + item.length + 1 > 110 && !line.endsWith('[')) {
      lines.push(line);
      line = indent + item;
    } else line += (line.endsWith('[') ? '' : ' ') + item;
  });
  lines.push(line);
  return lines;
}

/** A value in YAML flow style: `{ k: v }`, `[a, b]`, plain scalars where YAML reads them back as the same string. */
export function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${scalar(k)}: ${flow(v)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? scalar(value) : String(value);
}

function scalar(s: string): string {
  // Relative paths (`..`, `../repo`) stay plain; a key such as `.sql.postgres` is quoted, as people write it.
  const plain = (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) || /^\.\.?(?:\/[A-Za-z0-9_./-]*)?$/.test(s)) && !/^(?:true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}
