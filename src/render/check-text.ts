/**
 * Renders a check for a terminal: every failing statement with its file and
 * line, the engine's message, detail and hint, the steps skipped because of
 * it and the earlier failures it may be a consequence of; each statement the
 * scratch engine ran otherwise than written (a cluster's DDL on one node);
 * what was not checked; the
 * expectations; each store's schema against its committed file, with the
 * diff; and a summary line.
 *
 * @example
 * process.stdout.write(renderCheckText(result, { topology: plan.topology, file: plan.file, command: 'topoplan check topology.yaml' }))
 */
import pc from 'picocolors';
import type { CheckFailure, CheckResult, FailurePlace, SchemaFileResult } from '../check/check-result.js';
import { renderSchemaDiff } from '../schema/render-schema-diff.js';

export interface CheckTextOptions {
  readonly topology: string;
  readonly file: string;
  /** The command that was run, for the `--update` and `--contract` hints. */
  readonly command: string;
  readonly color?: boolean;
}

const MAX_LISTED = 5;

export function renderCheckText(result: CheckResult, options: CheckTextOptions): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [c.bold(`topoplan check: ${options.topology}`) + c.dim(` (${options.file})`) + ` on ${result.notes.filter((n) => n.startsWith('scratch')).join(' and ')}`];
  for (const n of result.notes.filter((x) => !x.startsWith('scratch'))) out.push(c.dim(`  ${n}`));
  out.push('');
  if (result.failures.length > 0) {
    out.push(c.bold(c.red(`${count(result.failures.length, 'statement')} failed`)));
    for (const f of result.failures) out.push(...failureLines(f, c));
    out.push('');
  }
  const otherwise = result.steps.filter((r) => r.notes && r.notes.length > 0);
  if (otherwise.length > 0) {
    // What the scratch engine ran otherwise than written (ON CLUSTER, Replicated engines on one node): proven only as rewritten.
    out.push(c.bold(`ran otherwise than written (${count(otherwise.reduce((n, r) => n + r.notes!.length, 0), 'statement')}): not proven here`));
    for (const r of otherwise) for (const n of r.notes!) out.push(`  ${r.id} ${c.yellow(n)}`);
    out.push('');
  }
  for (const n of result.notChecked) out.push(c.yellow(`not checked: store "${n.store}", ${count(n.steps, 'step')}: ${n.reason.replace(`store "${n.store}" (neo4j): not checked: `, '')}`));
  if (result.notChecked.length > 0) out.push('');
  const checks = result.verification?.checks ?? [];
  if (checks.length > 0) {
    out.push(c.bold('expectations'));
    for (const k of checks) {
      const mark = k.status === 'ok' ? c.green('ok     ') : k.status === 'failed' ? c.red('FAILED ') : c.yellow(k.status.padEnd(7));
      out.push(`  ${mark} ${k.store.padEnd(14)} ${k.message} ${c.dim(`(${k.at})`)}`);
    }
    out.push('');
  }
  if (result.schemaFiles.length > 0 && result.schemaFiles.every((f) => f.status === 'missing')) {
    const dir = result.schemaFiles[0]!.file.replace(/\/[^/]*$/, '');
    out.push(c.dim(`no schema files in ${dir}: write them with ${options.command} --update`), '');
  } else if (result.schemaFiles.length > 0) {
    out.push(c.bold('schema'));
    for (const f of result.schemaFiles) out.push(...schemaLines(f, result, options, c));
    if (result.schemaFiles.some((f) => f.status === 'changed')) out.push(c.dim(`  accept the new schema with: ${options.command} --update`));
    out.push('');
  }
  renderReverts(result, out, c);
  out.push(summary(result, c));
  return `${out.join('\n')}\n`;
}

/** The rollback on the same engines: reverts that failed, steps nothing undoes, stores not back as they were. */
function renderReverts(result: CheckResult, out: string[], c: ReturnType<typeof pc.createColors>): void {
  const r = result.reverts;
  if (!r) return;
  out.push(c.bold('rollback') + c.dim(' (every step reverted on the same engines)'));
  if (r.ok && r.irreversible.length === 0) out.push(`  ${c.green('ok')}     every revert ran and each store is back as before`);
  for (const f of r.failed) out.push(`  ${c.red('FAILED ')} ${f.step ? `${f.step} ` : ''}${f.message}`);
  for (const i of r.irreversible) out.push(`  ${c.yellow('kept   ')} ${i.step} ${c.dim(i.reason)}`);
  for (const d of r.differences) out.push(`  ${c.red('DIFFERS')} store ${d.store} after the rollback: ${d.differences.join(', ')}`);
  out.push('');
}

function failureLines(f: CheckFailure, c: ReturnType<typeof pc.createColors>): string[] {
  const lines = [`${c.red('FAILED')} ${place(f)}${f.statement ? ` statement ${f.statement}` : ''} in store "${f.store}": ${f.message}${f.code ? c.dim(` [${f.code}]`) : ''}`];
  if (f.detail) lines.push(`  detail: ${f.detail.replace(/\n/g, '\n          ')}`);
  if (f.hint) lines.push(`  hint: ${f.hint}`);
  if (f.skipped.length > 0) lines.push(c.yellow(`  skipped because of it: ${listed(f.skipped)}`));
  if (f.mayFollowFrom.length > 0) lines.push(c.dim(`  may be a consequence of the earlier failure${f.mayFollowFrom.length > 1 ? 's' : ''} at ${listed(f.mayFollowFrom.map(place))}`));
  return lines;
}

function schemaLines(f: SchemaFileResult, result: CheckResult, options: CheckTextOptions, c: ReturnType<typeof pc.createColors>): string[] {
  const head = `  ${f.store.padEnd(16)}`;
  switch (f.status) {
    case 'same':
      return [`${head}${c.green('matches')} ${f.file}`];
    case 'written':
      return [`${head}${c.cyan('written')} ${f.file}`, ...(f.changes.length ? [renderSchemaDiff(f.changes, '    ')] : [])];
    case 'missing':
      return [`${head}${c.yellow('no file')} ${f.file}: write it with ${options.command} --update`];
    case 'not-compared':
      return [`${head}${c.dim('not compared')} with ${f.file}: the check failed`];
    case 'other-phase':
      return [`${head}${c.yellow('not compared')} with ${f.file}: it was written ${result.contract ? 'without' : 'after'} the contract phase; run ${result.contract ? `${options.command.replace(' --contract', '')}` : `${options.command} --contract`}`];
    case 'changed':
      return [`${head}${c.red('differs')} from ${f.file}:`, renderSchemaDiff(f.changes, '    ')];
  }
}

function summary(result: CheckResult, c: ReturnType<typeof pc.createColors>): string {
  const by = (s: string) => result.steps.filter((x) => x.status === s).length;
  const steps = new Set(result.failures.map((f) => f.step)).size;
  const parts = [`${count(result.steps.length, 'step')}: ${by('applied')} applied`];
  if (by('failed')) parts.push(`${count(result.failures.length, 'statement')} failed in ${count(steps, 'step')}`);
  if (by('skipped')) parts.push(`${by('skipped')} skipped`);
  if (by('not-applied')) parts.push(`${by('not-applied')} not checked`);
  const expectations = result.verification?.checks.filter((k) => k.status === 'failed').length ?? 0;
  if (expectations) parts.push(`${count(expectations, 'expectation')} failed`);
  const differs = result.schemaFiles.filter((f) => f.status === 'changed').length;
  if (differs) parts.push(`schema of ${count(differs, 'store')} differs`);
  if (result.reverts && !result.reverts.ok) parts.push(`${count(result.reverts.failed.length, 'revert')} failed${result.reverts.differences.length ? `, ${count(result.reverts.differences.length, 'store')} not back as before` : ''}`);
  return result.ok ? c.green(`check: ok: ${parts.join(', ')}`) : c.red(`check: failed: ${parts.join(', ')}`);
}

function place(p: FailurePlace): string {
  return p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : p.step;
}

function listed(items: readonly string[]): string {
  return items.length <= MAX_LISTED ? items.join(', ') : `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
