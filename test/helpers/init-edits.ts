/**
 * The edits a reviewer makes to a draft `topoplan init` wrote: putting in one
 * commented-out resolution section (`# supersessions:` up to the next empty
 * line, or the lines after `  # supersessions to review: ...` under a key
 * already in effect) by removing the leading `# ` of its lines. One section is
 * one edit.
 */

/** The keys of the commented-out resolution sections of a draft, in file order. */
export function resolutionSections(text: string): string[] {
  return [...text.matchAll(/^(?:# ([A-Za-z]+):|  # ([A-Za-z]+) to review: .*)$/gm)].map((m) => (m[1] ?? m[2])!);
}

/** The entries of a draft's commented-out sections: the resolutions a reviewer decides on, one each. */
export function resolutionEntries(text: string): number {
  return [...text.matchAll(/^#   - /gm)].length;
}

/** The draft with one section put in. */
export function uncommentSection(text: string, key: string): string {
  const lines = text.split('\n');
  const header = lines.indexOf(`# ${key}:`);
  const under = lines.findIndex((l) => l.startsWith(`  # ${key} to review: `));
  const at = header >= 0 ? header : under >= 0 ? under + 1 : -1;
  if (at < 0) throw new Error(`no commented-out section "${key}:" in the draft`);
  for (let i = at; i < lines.length && lines[i] !== ''; i++) lines[i] = lines[i]!.replace(/^# ?/, '');
  return lines.join('\n');
}
