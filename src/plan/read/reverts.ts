/**
 * Reverts of migration files: a down file (`001_t.down.sql` beside
 * `001_t.up.sql`) or a down section inside the file. Neither ever runs
 * forward; each is kept with the step that completes its file, so the plan
 * (text and JSON) shows how that step is undone. In a set that declares no
 * convention a down section is run as written, and each one is a warning with
 * the exact `skip:` entry that leaves it out.
 *
 * @example
 * const { reverts } = readReverts(sources, readFile);
 * reverts.get('app/001_t.up.sql') // { from: 'down_file', file: 'app/001_t.down.sql', line: 1, sql: 'DROP TABLE t;' }
 */
import { readFileSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../../errors.js';
import { downMarkerTool, type DownSection } from '../../sql/down-sections.js';
import { decodeUtf8 } from '../../sql/decode-utf8.js';
import type { ReadFile } from '../../sql/parse-source.js';
import type { MigrationFile, MigrationSet } from '../../topology/model.js';
import type { StepRevert } from '../model.js';
import type { DraftStep } from '../order/steps.js';
import type { Unit } from './units.js';

/** Whether the set's convention makes down sections reverts rather than statements to run. */
export function stripsDownSections(set: MigrationSet): boolean {
  return set.convention !== undefined && set.convention !== 'plain';
}

/** Reads the down file of a forward file. */
export function readDownFile(file: MigrationFile, readFile: ReadFile = (p) => readFileSync(p)): { revert?: StepRevert; diagnostic?: Diagnostic } {
  const down = file.revert;
  if (!down) return {};
  const decoded = decodeUtf8(readFile(down.absPath), down.file, 'sql');
  if (decoded.diagnostic) return { diagnostic: decoded.diagnostic };
  return { revert: { from: 'down_file', file: down.file, line: 1, sql: decoded.text.replace(/^\uFEFF/, '').trim() } };
}

/** The revert a file's down sections make, when its set's convention says they are one. */
export function sectionRevert(file: MigrationFile, sections: readonly DownSection[]): StepRevert {
  return { from: 'down_section', file: file.file, line: sections[0]!.line, sql: sections.map((s) => s.sql).join('\n\n') };
}

/** One warning per down section of a set with no convention: it runs forward unless skipped. */
export function downSectionWarnings(set: MigrationSet, file: MigrationFile, sections: readonly DownSection[]): Diagnostic[] {
  return sections.map((s) => {
    const tool = downMarkerTool(s.marker);
    return diagnostic({
      code: 'plan.down_section',
      severity: 'warning',
      message: `plan: "${file.file}:${s.line}" starts a down section ("${s.marker}", lines ${s.line}-${s.endLine}): it reverts the file, yet set "${set.name}" declares no convention, so it runs forward with the rest`,
      file: file.file,
      line: s.line,
      hint: `leave the section out:\nskip:\n  - { set: ${set.name}, file: ${file.name}, lines: "${s.line}-${s.endLine}", reason: down section (the file's revert) }\nor declare the tool the files are written for, so every down section is a revert:\nsets:\n  ${set.name}: { dir: ${set.dir}, convention: ${tool} }`,
    });
  });
}

/** The revert of each file, on the last step of that file (the one that completes it). */
export function revertSteps(drafts: readonly DraftStep[], reverts: ReadonlyMap<string, StepRevert>): Map<string, StepRevert> {
  const last = new Map<string, DraftStep>();
  for (const d of drafts) {
    if (d.synth) continue;
    const u = d.nodes[d.nodes.length - 1] as Unit;
    if (!reverts.has(u.file.file)) continue;
    // By store too: a set several services run has the same file in each service's store.
    const k = `${d.store}|${u.file.file}`;
    const prev = last.get(k);
    if (!prev || (prev.nodes[prev.nodes.length - 1] as Unit).seq < u.seq) last.set(k, d);
  }
  const out = new Map<string, StepRevert>();
  for (const [k, d] of last) out.set(d.id, reverts.get(k.slice(k.indexOf('|') + 1))!);
  return out;
}
