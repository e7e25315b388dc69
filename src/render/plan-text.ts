/**
 * Renders a plan for a terminal, in the spirit of `terraform plan`: stores,
 * conflicts with their resolutions, then per wave and store what each step
 * creates, alters, copies and drops, the contract phase apart, skipped
 * statements with reasons, files not run with why, and a summary line.
 *
 * @example
 * process.stdout.write(renderPlanText(plan, { color: process.stdout.isTTY }));
 */
import { backedUp } from '../plan/resolve/backup-coverage.js';
import pc from 'picocolors';
import type { Conflict, Plan, Step, StepChange } from '../plan/model.js';
import { formatDiagnostic } from '../errors.js';
import { optInHint } from '../plan/opt-in.js';

export interface TextOptions {
  readonly color?: boolean;
  /** Show each step's SQL under it. */
  readonly sql?: boolean;
  /** Show every resolved conflict in full; by default each is one line. */
  readonly verbose?: boolean;
  /** Include the diagnostics (default true); the CLI prints them on standard error instead. */
  readonly diagnostics?: boolean;
}

const SYMBOL: Record<StepChange['action'], string> = { create: '+', alter: '~', drop: '-', rename: '>', copy: '>', write: '*' };

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];
  out.push(c.bold(`topoplan plan: ${plan.topology}`) + c.dim(` (${plan.file})`), '');
  out.push(c.bold('Stores'));
  for (const s of plan.stores) {
    const cluster = s.cluster ? ` on cluster ${s.cluster}${s.replicated ? ' (replicated)' : ''}` : '';
    out.push(`  ${s.name.padEnd(16)} ${s.engine.padEnd(10)} database ${s.database.padEnd(16)} ${c.dim(s.urlTemplate ?? '(embedded)')}${cluster}`);
  }
  out.push('');
  renderSqlxLedgers(plan, out, c);
  const contract = plan.steps.filter((s) => s.phase === 'contract');
  // By id: looking each wave's steps up in the list took a quarter of an hour's worth of comparisons at 20,000 steps.
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  for (const [wave, ids] of plan.waves.entries()) {
    const steps = ids.map((id) => byId.get(id)!).filter((s) => s.phase !== 'contract');
    if (steps.length === 0) continue;
    out.push(c.bold(`Wave ${wave}`) + (steps.length > 1 ? c.dim(` (${steps.length} steps, independent of each other)`) : ''));
    for (const s of steps) renderStep(s, out, c, options);
  }
  if (contract.length > 0) {
    out.push('', c.bold(c.red('Contract phase')) + c.dim(' (runs only with --contract, or where the topology allows it; what it destroys is backed up first)'));
    for (const s of contract) renderStep(s, out, c, options);
  }
  if (plan.skipped.length > 0) {
    out.push('', c.bold('Skipped statements'));
    for (const s of plan.skipped) out.push(s.statement === undefined ? `  ${c.dim(s.file)} whole file: ${s.reason}` : `  ${c.dim(`${s.file}:${s.line}`)} statement ${s.statement + 1}: ${s.reason}`);
  }
  if (plan.notRun.length > 0) {
    out.push('', c.bold('Files not run') + c.dim(' (the plan does not apply them; do what they should do by hand, at that point of the order)'));
    for (const f of plan.notRun) out.push(`  ${c.dim(f.file)}: ${f.reason}${f.after ? c.dim(` (after ${f.after})`) : c.dim(` (first of set "${f.set}")`)}`);
  }
  if (plan.conflicts.length > 0) out.push('');
  renderConflicts(plan.conflicts, out, c, options.verbose ?? false);
  const problems = options.diagnostics === false ? [] : plan.diagnostics.filter((d) => d.severity !== 'info');
  if (problems.length > 0) {
    out.push('', c.bold('Diagnostics'));
    for (const d of problems) out.push(`  ${(d.severity === 'error' ? c.red : c.yellow)(formatDiagnostic(d).replace(/\n/g, '\n  '))}`);
  }
  if (out[out.length - 1] !== '') out.push('');
  out.push(summary(plan, c, options.diagnostics !== false));
  return out.join('\n') + '\n';
}

/** Where each sqlx service's migrator must look, and the connection it needs when that is a schema of its own. */
function renderSqlxLedgers(plan: Plan, out: string[], c: ReturnType<typeof pc.createColors>): void {
  const sqlx = plan.services.filter((s) => s.sqlx);
  if (sqlx.length === 0) return;
  out.push(c.bold('sqlx ledgers'));
  for (const s of sqlx) {
    const x = s.sqlx!;
    out.push(`  ${s.name.padEnd(24)} ${s.stores.postgres ?? ''} ${x.table}${x.ignoreMissing ? c.dim(' (ignore_missing)') : ''}`);
    if (x.connection) out.push(`      ${c.yellow(`connect with search_path=${x.searchPath}: ${x.connection}`)}`);
  }
  out.push('');
}

function renderConflicts(conflicts: readonly Conflict[], out: string[], c: ReturnType<typeof pc.createColors>, verbose: boolean): void {
  if (conflicts.length === 0) return;
  const open = conflicts.filter((x) => x.severity === 'error' && !x.resolution).length;
  out.push(c.bold(`Conflicts`) + c.dim(` (${conflicts.length - open} resolved, ${open} open${verbose ? '' : '; each resolved one in full with --verbose'})`));
  for (const x of conflicts) {
    const mark = x.severity === 'error' && !x.resolution ? c.red('✗') : x.severity === 'warning' ? c.yellow('!') : c.green('✓');
    if (x.resolution && !verbose) {
      out.push(`  ${mark} ${c.bold(x.kind)} ${firstClause(x.message.replace(/^plan: /, ''))} ${c.dim(`→ ${firstClause(x.resolution)}`)}`);
      continue;
    }
    out.push(`  ${mark} ${c.bold(x.kind)} ${x.message.replace(/^plan: /, '')}`);
    if (x.resolution) out.push(`      ${c.green('resolution:')} ${x.resolution}`);
    else if (x.hint) out.push(`      ${c.cyan('hint:')} ${x.hint.replace(/\n/g, '\n            ')}`);
  }
  out.push('');
}

/** The first line of a message, up to its first "; " or ": " past 40 characters, so a resolved conflict fits one line. */
function firstClause(text: string): string {
  const line = text.split('\n')[0]!;
  const cut = line.slice(40).search(/[;:] /);
  return cut < 0 ? line : `${line.slice(0, 40 + cut)} …`;
}

function renderStep(s: Step, out: string[], c: ReturnType<typeof pc.createColors>, options: TextOptions): void {
  const where = s.source ? `${s.source.file}:${s.source.line}` : s.kind.replace('_', ' ');
  const flags = [s.service ? `[${s.service}]` : '', s.phase !== 'expand' ? s.phase : '', s.transactional ? '' : `no transaction: ${s.nonTransactionalReason ?? ''}`, s.destructive ? 'destructive' : '']
    .filter(Boolean)
    .join(' ');
  out.push(`  ${c.cyan(s.store.padEnd(14))} ${where} ${c.dim(flags)}`);
  for (const ch of s.changes) {
    const sym = SYMBOL[ch.action];
    const colour = ch.action === 'drop' ? c.red : ch.action === 'create' ? c.green : ch.action === 'alter' ? c.yellow : c.magenta;
    out.push(`      ${colour(`${sym} ${ch.action} ${ch.kind.replace('_', ' ')} ${ch.name}${ch.to ? ` → ${ch.to}` : ''}`)}`);
  }
  for (const d of s.destroys) {
    out.push(`      ${c.red(`! destroys ${d.summary}`)}${c.dim(d.statement ? ` (statement ${d.statement})` : '')}`);
    for (const r of d.reaches ?? []) out.push(`          ${c.red(`cascade: ${r}`)}`);
    if (d.notBackedUp) out.push(`          ${c.yellow(`not backed up: ${d.notBackedUp}`)}`);
  }
  if (s.destructive) {
    const backup = backedUp(s);
    out.push(`      ${s.allowed ? c.yellow(`! allowed by ${s.allowed.at}: ${s.allowed.reason}; ${backup ? 'backed up first' : 'not backed up'}`) : c.yellow(`! held: runs ${backup ? 'after a backup ' : ''}when opted in: ${optInHint(s)}`)}`);
  }
  for (const n of s.notes) out.push(`      ${c.dim(`# ${n}`)}`);
  for (const x of s.substitutions ?? []) out.push(`      ${c.dim(`# ${x.placeholder} → ${JSON.stringify(x.value)} (${x.source})`)}`);
  if (options.sql) for (const st of s.statements) out.push(c.dim(st.replace(/^/gm, '        ') + ';'));
  renderRevert(s, out, c, options);
}

/** How the step is undone, one line (with --sql, the statements of the revert under it). */
function renderRevert(s: Step, out: string[], c: ReturnType<typeof pc.createColors>, options: TextOptions): void {
  const r = s.revert;
  if (!r) return;
  if (r.from === 'down_file' || r.from === 'down_section') {
    out.push(`      ${c.dim(`# revert (never run forward): ${r.from === 'down_file' ? 'down file' : 'down section'} ${r.file}:${r.line}`)}`);
    if (options.sql) out.push(c.dim((r.sql ?? '').replace(/^/gm, '        ')));
  } else if (r.from === 'generated') {
    const what = (r.statements ?? []).length > 0 ? `generated, ${r.statements!.length} statement${r.statements!.length === 1 ? '' : 's'}` : 'nothing of its own to undo';
    out.push(`      ${c.dim(`# revert: ${what}${r.undoneWith?.length ? `; undone with ${r.undoneWith.join(', ')}` : ''}`)}`);
    if (options.sql) for (const st of r.statements ?? []) out.push(c.dim(st.replace(/^/gm, '        ') + ';'));
  } else if (r.from === 'backup') {
    out.push(`      ${c.dim('# revert: restorable from backup')}`);
  } else {
    out.push(`      ${c.yellow(`# revert: irreversible: ${r.reason ?? ''}`)}`);
  }
}

function summary(plan: Plan, c: ReturnType<typeof pc.createColors>, withErrors: boolean): string {
  let create = 0;
  let drop = 0;
  let copy = 0;
  let alter = 0;
  for (const s of plan.steps) for (const ch of s.changes) {
    if (ch.action === 'create') create++;
    else if (ch.action === 'drop') drop++;
    else if (ch.action === 'copy') copy++;
    else if (ch.action === 'alter') alter++;
  }
  const contract = plan.steps.filter((s) => s.phase === 'contract').length;
  const destructive = plan.steps.filter((s) => s.destructive);
  const allowed = destructive.filter((s) => s.allowed).length;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const held = destructive.length > 0 ? ` ${destructive.length} destructive: ${allowed} allowed by the topology, ${destructive.length - allowed} only with --contract.` : '';
  const line = `Plan: ${plan.steps.length} steps in ${plan.waves.length} waves on ${new Set(plan.steps.map((s) => s.store)).size} stores: ${create} to create, ${alter} to alter, ${copy} to copy, ${drop} to drop (${contract} contract step${contract === 1 ? '' : 's'}).${held}`;
  const both = `${c.dim(`Rollback: ${plan.reversibility.summary}.`)}\n${c.bold(line)}`;
  return errors > 0 && withErrors ? `${c.red(c.bold(`Planning failed: ${errors} error${errors === 1 ? '' : 's'}.`))}\n${both}` : both;
}
