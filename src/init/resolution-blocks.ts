/**
 * The planner's unresolved conflicts, turned into resolutions to review: the
 * YAML of each error's hint (`supersessions:`, `accept:`, `shared:`, ...) is
 * read, entries that resolve several conflicts at once are merged (one
 * supersession per winner and sets, its objects together), and every entry
 * keeps the messages of the conflicts it resolves. A hint with no YAML, or
 * whose YAML changes a set or service rather than adding an entry, is kept
 * as a note.
 *
 * @example
 * resolutionBlocks(plan.diagnostics)
 * // { sections: [{ key: 'supersessions', entries: [{ value: { objects: ['likes'], by: 'social-service', sets: ['legacy'], reason: '...' }, conflicts: ['table likes is created by both ...'] }] }], notes: [] }
 */
import { parse } from 'yaml';
import type { Diagnostic } from '../errors.js';

export interface ResolutionEntry {
  /** The list entry, as the hint wrote it (merged with entries that differ only in their objects). */
  readonly value: unknown;
  /** Each conflict the entry resolves: `file:line: message`. */
  readonly conflicts: readonly string[];
}

export interface ResolutionSection {
  /** Top-level topology key: `supersessions`, `accept`, ... */
  readonly key: string;
  readonly entries: readonly ResolutionEntry[];
}

export interface ResolutionBlocks {
  readonly sections: readonly ResolutionSection[];
  /** Errors whose hint is not a list entry: the message and the hint, as written. */
  readonly notes: readonly { readonly conflict: string; readonly hint?: string }[];
}

/** Top-level list keys of a topology, in the order a draft writes them. */
const LIST_KEYS = ['shared', 'external', 'renames', 'supersessions', 'foreignKeys', 'skip', 'accept', 'allowDestructive'] as const;

export function resolutionBlocks(diagnostics: readonly Diagnostic[]): ResolutionBlocks {
  const found = new Map<string, { value: unknown; conflicts: string[] }[]>();
  const notes: { conflict: string; hint?: string }[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const conflict = d.message.replace(/^plan: /, '');
    const snippet = d.hint ? hintEntries(d.hint) : undefined;
    if (!snippet) {
      notes.push({ conflict, ...(d.hint ? { hint: d.hint } : {}) });
      continue;
    }
    const list = found.get(snippet.key) ?? [];
    found.set(snippet.key, list);
    for (const value of snippet.entries) add(list, value, conflict);
  }
  const sections = LIST_KEYS.filter((k) => found.has(k)).map((key) => ({ key, entries: found.get(key)! }));
  return { sections, notes };
}

/** The first YAML snippet of a hint that adds entries to a top-level list. */
function hintEntries(hint: string): { key: string; entries: unknown[] } | undefined {
  const lines = hint.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const key = /^([A-Za-z]+):/.exec(lines[i]!)?.[1];
    if (!key || !(LIST_KEYS as readonly string[]).includes(key)) continue;
    let end = i + 1;
    while (end < lines.length && /^\s/.test(lines[end]!)) end++;
    try {
      const value = (parse(lines.slice(i, end).join('\n')) as Record<string, unknown>)[key];
      if (Array.isArray(value) && value.length > 0) return { key, entries: value };
    } catch {
      // A hint whose snippet is not YAML on its own stays a note.
    }
  }
  return undefined;
}

function add(list: { value: unknown; conflicts: string[] }[], value: unknown, conflict: string): void {
  const same = list.find((e) => sameEntry(e.value, value));
  if (!same) {
    list.push({ value, conflicts: [conflict] });
    return;
  }
  if (!same.conflicts.includes(conflict)) same.conflicts.push(conflict);
  if (isSupersession(same.value) && isSupersession(value)) {
    for (const o of value.objects) if (!same.value.objects.includes(o)) same.value.objects.push(o);
  }
}

interface Supersession {
  objects: unknown[];
  [k: string]: unknown;
}

function isSupersession(v: unknown): v is Supersession {
  return typeof v === 'object' && v !== null && Array.isArray((v as Supersession).objects);
}

/** The same entry, or the same supersession but for its objects. */
function sameEntry(a: unknown, b: unknown): boolean {
  if (isSupersession(a) && isSupersession(b)) {
    const { objects: _a, ...restA } = a;
    const { objects: _b, ...restB } = b;
    return JSON.stringify(restA) === JSON.stringify(restB);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}
