/**
 * `apply --dry-run`: the SQL each store would run, in execution order, with
 * each step's source and whether it runs outside a transaction.
 *
 * @example
 * process.stdout.write(renderDryRun(plan, { contract: false }));
 */
import type { Plan } from '../plan/model.js';

export function renderDryRun(plan: Plan, options: { contract?: boolean } = {}): string {
  const out: string[] = [];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name && (options.contract || s.phase !== 'contract'));
    if (steps.length === 0) continue;
    out.push(`-- ===== store ${store.name} (${store.engine}, database ${store.database}) =====`);
    for (const s of steps) {
      const where = s.source ? `${s.source.file}:${s.source.line}` : s.kind.replace('_', ' ');
      const flags = [s.phase !== 'expand' ? `phase ${s.phase}` : '', s.transactional ? '' : `outside a transaction (${s.nonTransactionalReason ?? ''})`, s.destructive ? 'backs up the tables it drops first' : ''].filter(Boolean).join('; ');
      out.push(`-- step ${s.id} (${where})${flags ? ` -- ${flags}` : ''}`);
      for (const x of s.substitutions ?? []) out.push(`-- ${x.placeholder} → ${JSON.stringify(x.value)} (${x.source})`);
      for (const sql of s.statements) out.push(`${sql};`);
      out.push('');
    }
  }
  const held = plan.steps.filter((s) => s.phase === 'contract').length;
  if (!options.contract && held > 0) out.push(`-- ${held} contract step(s) not shown: they run only with --contract`);
  return out.join('\n') + '\n';
}
