/**
 * The edits a reviewer makes to a draft `topoplan init` wrote: putting in one
 * commented-out resolution section (`# supersessions:` up to the next empty
 * line) by removing the leading `# ` of its lines. One section is one edit.
 */

/** The keys of the commented-out resolution sections of a draft, in file order. */
export function resolutionSections(text: string): string[] {
  return [...text.matchAll(/^# ([A-Za-z]+):$/gm)].map((m) => m[1]!);
}

/** The draft with one section put in. */
export function uncommentSection(text: string, key: string): string {
  const lines = text.split('\n');
  const at = lines.indexOf(`# ${key}:`);
  if (at < 0) throw new Error(`no commented-out section "${key}:" in the draft`);
  for (let i = at; i < lines.length && lines[i] !== ''; i++) lines[i] = lines[i]!.replace(/^# ?/, '');
  return lines.join('\n');
}
