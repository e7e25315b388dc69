/**
 * `topoplan transition --live | --status | --abort`: the live transition's
 * lines. --live runs expand, copy (streams started, initial copy awaited) and
 * cutover (default; `--phase` picks, `--contract` adds contract), printing
 * each stream's progress and the freeze; --status prints per stream its
 * phase and lag and per table its initial copy and rows on both sides;
 * --abort takes the streams down.
 *
 * @example
 * topoplan transition --from a.yaml --to b.yaml --live --phase expand copy
 * topoplan transition --from a.yaml --to b.yaml --status
 * topoplan transition --from a.yaml --to b.yaml --live --phase cutover
 */
import type pc from 'picocolors';
import type { TransitionPhase } from '../transition/phases.js';
import type { TransitionPlan } from '../transition/plan-transition.js';
import type { CliContext } from './cli-context.js';
import { cutoverLines, cutoverSetting, type CutoverContext } from './cutover-lines.js';
import { printEnvelope } from './output-format.js';

export interface LiveCommand {
  readonly ctx: CliContext;
  readonly tp: TransitionPlan;
  readonly json: boolean;
  readonly say: (line: string) => void;
  readonly c: ReturnType<typeof pc.createColors>;
  readonly mode: 'live' | 'status' | 'abort';
  readonly from: Readonly<Record<string, string | undefined>>;
  readonly to: Readonly<Record<string, string | undefined>>;
  readonly workDir: string;
  readonly cutover: CutoverContext;
  readonly phases?: readonly TransitionPhase[];
  readonly contract: boolean;
  readonly lockTimeoutMs: number;
  readonly catchUpTimeoutMs: number;
}

const bytes = (n: number | undefined) => (n === undefined ? '-' : n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} kB` : `${(n / (1 << 20)).toFixed(1)} MB`);

/** Runs the mode; true when it succeeded. */
export async function liveTransitionCommand(x: LiveCommand): Promise<boolean> {
  const { runLiveTransition, liveTransitionStatus, abortLiveTransition } = await import('../transition/live/run-live-transition.js');
  const { c, say } = x;
  const connections = { fromConnections: x.from, toConnections: x.to };
  if (x.mode === 'status') {
    const streams = await liveTransitionStatus(x.tp, connections);
    for (const s of streams) {
      say(`${c.bold(s.subscription)} ${s.from} → ${s.to}: ${s.phase ?? 'not started'}${s.running ? `, lag ${bytes(s.lagBytes)}${s.lagSeconds !== undefined ? ` / ${s.lagSeconds.toFixed(3)} s` : ''}` : ''}${s.freezeMs !== undefined ? `, cut over with a ${s.freezeMs} ms write freeze` : ''}`);
      for (const t of s.tables) say(`  ${(t.copied ? c.green : c.yellow)(t.state.padEnd(12))} ${t.table.padEnd(24)} ${String(t.rowsOld ?? '-').padStart(10)} rows old  ${String(t.rowsNew ?? '-').padStart(10)} rows new${t.copyingRows !== undefined ? `  (${t.copyingRows} copied so far)` : ''}`);
    }
    if (x.json) printEnvelope(x.ctx, 'transition', { ok: true, streams });
    return true;
  }
  if (x.mode === 'abort') {
    const r = await abortLiveTransition(x.tp, connections);
    for (const s of r.streams) say(s.error ? c.red(s.error) : `aborted ${s.subscription} ${s.from} → ${s.to}: subscription, slot and publication removed; the new side's moving tables emptied`);
    if (x.json) printEnvelope(x.ctx, 'transition', r);
    return r.ok;
  }
  let last = '';
  const r = await runLiveTransition(x.tp, {
    ...connections,
    workDir: x.workDir,
    ...(x.phases ? { phases: x.phases } : {}),
    contract: x.contract,
    lockTimeoutMs: x.lockTimeoutMs,
    catchUpTimeoutMs: x.catchUpTimeoutMs,
    onEvent: (e) => {
      if (e.type === 'phase') say(c.bold(`phase ${e.phase}`) + (e.phase === 'copy' ? c.dim('  (the moving tables are copied under a replication slot\'s snapshot, then a subscription per new database streams every write after it)') : ''));
      else if (e.type === 'status') {
        const line = `  ${e.status.subscription}: ${e.status.tables.filter((t) => t.copied).length}/${e.status.tables.length} tables copied, lag ${bytes(e.status.lagBytes)}`;
        if (line !== last) say(c.dim(line));
        last = line;
      } else if (e.type === 'mapping') {
        say(`  ${c.yellow('shape differs'.padEnd(14))} ${e.mapping.table}: A's columns → B's (the copy and the stream convert through the text form)`);
        for (const m of e.mapping.columns) say(`    ${m.name.padEnd(20)} ${(m.from ?? '-').padEnd(16)} → ${(m.to ?? '-').padEnd(16)} ${m.how === 'copy' ? '' : m.how}`.trimEnd());
      } else if (e.type === 'freeze') say(c.dim(`  ${e.subscription}: writes held`));
      else if (e.stream.error) say(c.red(`  ${e.stream.error}`));
      else if (e.stream.cutover) {
        const k = e.stream.cutover;
        say(`  ${c.green('cut over'.padEnd(14))} ${e.stream.from} → ${e.stream.to}: ${k.tables.map((t) => `${t.table} ${t.rows}`).join(', ')} rows; write freeze ${c.bold(`${k.freezeMs} ms`)} (the last writes arrived in ${k.catchUpMs} ms; lag at the lock ${bytes(e.stream.lagBytesAtCutover)})${k.sequences.length ? `; sequences set: ${k.sequences.map((q) => `${q.table}.${q.column} ${q.value}`).join(', ')}` : ''}`);
      } else say(`  ${c.green('streaming'.padEnd(14))} ${e.stream.from} → ${e.stream.to} as ${e.stream.subscription}${e.stream.created?.length ? ` (created ${e.stream.created.join(', ')})` : ' (already running)'}${e.stream.copied ? `; copied ${Object.entries(e.stream.copied).map(([t, n]) => `${t} ${n}`).join(', ')} rows` : ''}`);
    },
  });
  for (const p of r.problems) x.ctx.err(c.red(p) + '\n');
  for (const root of r.expand?.rootCauses ?? []) if (root.status === 'failed') x.ctx.err(c.red(`transition: ${root.id}: ${root.error?.message}`) + '\n');
  for (const t of r.tables) say(`  ${(t.status === 'failed' ? c.red : c.green)(t.status.padEnd(14))} ${t.table} ${t.from}${t.error ? `: ${t.error}` : ''}`);
  for (const o of r.objects) if (o.status !== 'absent') say(`  ${(o.status === 'failed' ? c.red : c.green)(o.status.padEnd(14))} ${o.kind.replace('_', ' ')} ${o.dropped?.join(', ') ?? o.name} in ${o.from}${o.error ? `: ${o.error}` : ''}`);
  for (const l of cutoverLines(r.cutover, x.cutover, c)) say(l);
  for (const b of r.backups) say(c.yellow(`backup of ${b.table} (${b.rows} rows): ${b.path}`));
  if (x.json) printEnvelope(x.ctx, 'transition', { ...r, cutover: r.cutover.map((s) => ({ ...s, setting: `${s.env}=${cutoverSetting(s, x.cutover).value}` })) });
  return r.ok;
}
