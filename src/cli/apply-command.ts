/**
 * `topoplan apply [FILE] [--contract] [--dry-run] [--rerecord] [--format text|json]`: plan, then apply to
 * every store. Standard output gets each step that ran and the summary (or one JSON envelope); notes on
 * engines and the live progress go to standard error. A run with nothing to do prints one line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext } from './cli-context.js';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import type { ApplyEvent } from '../execute/events.js';
import type { StepResult } from '../execute/step-result.js';
import { EXIT_OK, EXIT_PROBLEMS } from './io.js';
import { formatOption, jsonOption, outputFormat, printEnvelope } from './output-format.js';
import { LiveProgress } from './live-progress.js';
import { secondsAsMs, wholeNumber } from './option-parsers.js';
import { dataDirFor, requireTopology } from './require-topology.js';
import { noCacheOption, parseCacheOf } from './parse-cache-option.js';
import { serverUserChoice, serverUserOption } from './server-user-option.js';

export function applyCommand(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description('apply the plan to every store (embedded engines where a store has no url)')
    .argument('[file]', 'topology YAML (default: topoplan.yaml here or in a parent directory)')
    .option('--contract', 'also run every step that destroys data (the contract phase and the rest), after a backup of what it destroys')
    .option('--dry-run', 'print the SQL per store in execution order; touch nothing')
    .option('--rerecord', 'accept changed or unfinished steps as applied, recording their current text')
    .addOption(formatOption())
    .addOption(jsonOption())
    .option('--verbose', 'also list the steps that were applied already')
    .option('--data-dir <dir>', 'where embedded engines keep their data and backups go (default: .topoplan/ next to the topology)')
    .addOption(serverUserOption())
    .addOption(noCacheOption())
    .addOption(new Option('--concurrency <n>', 'steps in parallel across stores').argParser(wholeNumber(1, 64)).default(4))
    .addOption(new Option('--lock-timeout <seconds>', 'wait this long for another apply').argParser(secondsAsMs(86_400)).default(30_000, '30'))
    .action(async (file: string | undefined, opts: { contract?: boolean; dryRun?: boolean; rerecord?: boolean; format: string; json?: boolean; verbose?: boolean; dataDir?: string; cache: boolean; createServerUser: boolean; concurrency: number; lockTimeout: number }) => {
      const [{ applyPlan }, { namedClusters }, { resolveConnections }, { planMigration }, { renderDryRun }] = await Promise.all([import('../execute/apply-plan.js'), import('../execute/named-clusters.js'), import('../execute/resolve-connections.js'), import('../plan/plan-migration.js'), import('../render/dry-run.js')]);
      const json = outputFormat(ctx, 'apply', opts) === 'json';
      const topology = await requireTopology(ctx, file);
      const plan = await planMigration(topology, parseCacheOf(ctx, topology, opts));
      if (opts.dryRun) {
        if (json) printEnvelope(ctx, 'apply', { ok: true, dryRun: true, steps: plan.steps.filter((s) => opts.contract || s.phase !== 'contract').map((s) => ({ id: s.id, store: s.store, statements: s.statements })) });
        else ctx.out(renderDryRun(plan, { contract: !!opts.contract }));
        ctx.setExit(EXIT_OK);
        return;
      }
      if (ctx.signal.aborted) return;
      const c = pc.createColors(ctx.colorOut && !json);
      const ce = pc.createColors(ctx.colorErr);
      const live = !json && ctx.interactiveErr ? new LiveProgress(plan.steps.length, ce, (t) => ctx.err(t), { columns: () => ctx.errColumns() }) : undefined;
      const say = (line: string) => (live ? live.line(line) : ctx.out(line + '\n'));
      const note = (line: string) => (live ? live.line(line) : ctx.err(line + '\n'));
      let quiet = 0;
      const forget = live ? ctx.onForcedExit(() => live.close()) : undefined;
      const stopping = () => live?.stopping(c.yellow('stopping: the steps running now finish or roll back, nothing new starts'));
      ctx.signal.addEventListener('abort', stopping, { once: true });
      const connections = await resolveConnections(topology, { dir: dataDirFor(ctx, topology, opts.dataDir), clusters: namedClusters(plan), ...serverUserChoice(opts), onNote: (n) => note(ce.dim(`topoplan: ${n}`)) });
      try {
        for (const n of connections.notes) note(ce.dim(`topoplan: ${n}`));
        const result = await applyPlan(plan, {
          connections: connections.connections,
          unreachableReasons: connections.reasons,
          workDir: connections.workDir,
          ...(opts.contract ? { contract: true } : {}),
          ...(opts.rerecord ? { rerecord: true } : {}),
          readSource: (f) => readFileSync(join(topology.root, f)),
          concurrency: opts.concurrency,
          lockTimeoutMs: opts.lockTimeout,
          signal: ctx.signal,
          onEvent: (e) => {
            if (e.type === 'step-done' && e.result.status === 'already-applied' && !opts.verbose) {
              quiet++;
              live?.finish(e.result.id, undefined);
            } else if (json) {
              if (e.type === 'engine' || e.type === 'locked') note(ce.dim(`topoplan: ${e.type === 'engine' ? e.message : `locked store ${e.store}`}`));
            } else if (live && e.type === 'step-start') live.start(e.step);
            else if (live && e.type === 'step-done') live.finish(e.result.id, stepLine(e.result, c));
            else if (e.type === 'locked' || e.type === 'engine') renderEvent(e, note, ce, topology.file);
            else renderEvent(e, say, c, topology.file);
          },
        });
        live?.close();
        // Nothing ran: every step was applied before, or could not run at all (an unreachable store, a held destructive step).
        const notApplied = result.steps.filter((s) => s.status === 'not-applied').length;
        const noop = result.ok && quiet + notApplied === result.steps.length;
        if (json) printEnvelope(ctx, 'apply', { ...result });
        else if (noop) ctx.out(`No changes: ${quiet} step${quiet === 1 ? '' : 's'} already applied${notApplied > 0 ? `, ${notApplied} not applied (see above)` : ''}\n`);
        else ctx.out(summary(result.steps, c) + '\n');
        const held = result.steps.filter((s) => s.status === 'not-applied' && (s.cause === 'contract' || s.cause?.startsWith('destructive:')));
        if (!json && held.length > 0) {
          ctx.err(ce.yellow(`apply: ${held.length} step${held.length === 1 ? '' : 's'} not applied: ${held.length === 1 ? 'it destroys' : 'they destroy'} data or depend on a step that does; to run them after a backup, re-run with --contract or allow them in the topology (allowDestructive:, as the lines above show)`) + '\n');
        }
        for (const r of result.rootCauses) {
          if (r.status === 'failed') ctx.err(ce.red(`apply: root cause: ${r.id}: ${r.error?.message ?? r.reason}`) + '\n');
        }
        if (ctx.signal.aborted) ctx.stopped(stoppedDetail(result.steps));
        ctx.setExit(result.ok ? EXIT_OK : EXIT_PROBLEMS);
      } finally {
        live?.close();
        forget?.();
        ctx.signal.removeEventListener('abort', stopping);
        await connections.stop();
      }
    });
}

/** What an interrupted apply did, in one clause. */
function stoppedDetail(steps: readonly StepResult[]): string {
  const applied = steps.filter((s) => s.status === 'applied').length;
  const interrupted = steps.filter((s) => s.cause === 'interrupted').length;
  return `${applied} step${applied === 1 ? '' : 's'} applied, ${interrupted} not applied; every store's ledger is consistent: apply again to finish`;
}

function renderEvent(e: ApplyEvent, say: (l: string) => void, c: ReturnType<typeof pc.createColors>, file: string): void {
  if (e.type === 'locked') say(c.dim(`locked store ${e.store}`));
  else if (e.type === 'engine') say(c.yellow(`topoplan: ${e.message}`));
  else if (e.type === 'backup') {
    const what = e.files.map((f) => `${f.table} (${f.rows} rows)`).join(', ');
    say(c.yellow(`backup of store ${e.store} before ${e.step}: ${what || 'nothing that exists'} in ${e.dir}`));
    for (const n of e.notBackedUp) say(c.yellow(`  not backed up: ${n}`));
    if (e.files.some((f) => f.manifest)) say(c.dim(`  to restore it: topoplan restore ${file} --backup ${e.dir}`));
  }
  else if (e.type === 'step-done') say(stepLine(e.result, c));
  else if (e.type === 'verify') {
    say(c.bold('verification'));
    for (const k of e.result.checks) {
      const mark = k.status === 'ok' ? c.green('ok     ') : k.status === 'failed' ? c.red('FAILED ') : c.yellow(k.status.padEnd(7));
      say(`  ${mark} ${k.store.padEnd(14)} ${k.message} ${c.dim(`(${k.at})`)}`);
    }
  }
}

function stepLine(r: StepResult, c: ReturnType<typeof pc.createColors>): string {
  const status =
    r.status === 'applied' ? c.green('applied        ') : r.status === 'already-applied' ? c.dim('already-applied') : r.status === 'failed' ? c.red('FAILED         ') : r.status === 'skipped' ? c.yellow('skipped        ') : c.yellow('not-applied    ');
  const extra = [r.durationMs !== undefined && r.status === 'applied' ? `${r.durationMs} ms` : '', r.rows !== undefined ? `${r.rows} rows copied` : '', r.error ? r.error.message : r.reason ?? ''].filter(Boolean).join(' · ');
  const notes = (r.notes ?? []).map((n) => `\n${' '.repeat(16)}${c.yellow(n)}`).join('');
  return `${status} ${r.id}${extra ? c.dim(`  ${extra}`) : ''}${notes}`;
}

function summary(steps: readonly StepResult[], c: ReturnType<typeof pc.createColors>): string {
  const stores = [...new Set(steps.map((s) => s.store))].sort();
  const cols = ['applied', 'already-applied', 'failed', 'skipped', 'not-applied'] as const;
  const lines = [c.bold(`\n${'store'.padEnd(16)}${cols.map((k) => k.padStart(17)).join('')}`)];
  for (const store of stores) {
    const mine = steps.filter((s) => s.store === store);
    lines.push(`${store.padEnd(16)}${cols.map((k) => String(mine.filter((s) => s.status === k).length).padStart(17)).join('')}`);
  }
  lines.push(`${'total'.padEnd(16)}${cols.map((k) => String(steps.filter((s) => s.status === k).length).padStart(17)).join('')}`);
  return lines.join('\n');
}
