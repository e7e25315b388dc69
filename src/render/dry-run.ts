/**
 * `apply --dry-run`: the SQL each store would run, in execution order, with
 * each step's source, whether it runs outside a transaction and what it
 * destroys. Steps the run would hold back (destructive steps nobody opted in
 * to, and what depends on them) are shown commented out, with the reason.
 *
 * @example
 * process.stdout.write(renderDryRun(plan, { contract: false }));
 */
import { backedUp } from '../plan/resolve/backup-coverage.js';
import type { Plan } from '../plan/model.js';
import { heldSteps } from '../plan/opt-in.js';

export function renderDryRun(plan: Plan, options: { contract?: boolean } = {}): string {
  const held = heldSteps(plan, !!options.contract);
  const out: string[] = [];
  for (const store of plan.stores) {
    const steps = plan.steps.filter((s) => s.store === store.name);
    if (steps.length === 0) continue;
    out.push(`-- ===== store ${store.name} (${store.engine}, database ${store.database}) =====`);
    for (const s of steps) {
      const where = s.source ? `${s.source.file}:${s.source.line}` : s.kind.replace('_', ' ');
      const flags = [s.phase !== 'expand' ? `phase ${s.phase}` : '', s.transactional ? '' : `outside a transaction (${s.nonTransactionalReason ?? ''})`].filter(Boolean).join('; ');
      out.push(`-- step ${s.id} (${where})${flags ? ` -- ${flags}` : ''}`);
      for (const x of s.substitutions ?? []) out.push(`-- ${x.placeholder} → ${JSON.stringify(x.value)} (${x.source})`);
      for (const d of s.destroys) {
        out.push(`-- destroys ${d.summary}`);
        for (const r of d.reaches ?? []) out.push(`--   cascade: ${r}`);
        if (d.notBackedUp) out.push(`--   not backed up: ${d.notBackedUp}`);
      }
      const why = held.get(s.id);
      if (why) {
        out.push(`-- not run: ${why}`);
        for (const sql of s.statements) out.push(`${sql};`.replace(/^/gm, '-- '));
      } else {
        if (s.destructive) out.push(`-- ${backedUp(s) ? 'backed up first' : 'not backed up'}${s.allowed ? `; allowed by ${s.allowed.at}: ${s.allowed.reason}` : ''}`);
        for (const sql of s.statements) out.push(`${sql};`);
      }
      out.push('');
    }
  }
  if (held.size > 0) out.push(`-- ${held.size} step(s) held back: they destroy data, or depend on a step that does; see "not run" above`);
  return out.join('\n') + '\n';
}
