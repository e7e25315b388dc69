/**
 * Renders what `adopt` found, per store: the steps adopted (with the evidence),
 * pending (they run on the next apply) and conflicting (with the difference),
 * then one summary line per store.
 *
 * @example
 * process.stdout.write(renderAdoptText(result, { color: true }));
 */
import pc from 'picocolors';
import type { AdoptResult } from '../adopt/adopt-plan.js';

export function renderAdoptText(result: AdoptResult, options: { readonly color?: boolean; readonly verbose?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];
  for (const s of result.stores) {
    out.push(c.bold(`store ${s.store}`));
    if (!s.reachable) {
      out.push(`  ${c.yellow(`not reachable: ${s.reason ?? 'no connection'}`)}`, '');
      continue;
    }
    for (const k of s.knownLedgers) out.push(`  ${c.dim(`found ${k}`)}`);
    for (const a of s.steps) {
      if (a.status === 'recorded' && !options.verbose) continue;
      const mark = a.status === 'conflicting' ? c.red('✗ conflicting') : a.status === 'pending' ? c.yellow('… pending    ') : a.status === 'adopted' ? c.green('✓ adopted    ') : c.dim('= recorded   ');
      out.push(`  ${mark} ${a.id}: ${a.evidence}`);
      for (const d of a.difference ?? []) out.push(`      ${c.red(d)}`);
    }
    const n = s.counts;
    out.push(`  ${c.bold(`${n.adopted} adopted, ${n.pending} pending, ${n.conflicting} conflicting`)}${n.recorded ? `, ${n.recorded} recorded already` : ''}${result.dryRun ? c.dim(' (dry run: nothing written)') : s.written ? c.dim(` (${s.written} records written)`) : ''}`, '');
  }
  if (!result.ok) out.push(c.red('adopt: conflicts are left: nothing was written. Say which side wins with --prefer live (keep what the database has) or --prefer plan (run the plan\'s statements on the next apply), for every object or per object (--prefer live=public.comments)'));
  return out.join('\n') + '\n';
}
