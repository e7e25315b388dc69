/**
 * `runLiveTransition()`: moves a running system from A to B while its
 * services keep writing, with PostgreSQL logical replication. expand is the
 * snapshot transition's; copy checks what replication needs (all problems at
 * once), compares the columns, and starts one stream per (old, new) database
 * pair (publication, a slot whose exported snapshot the tables are copied
 * under, and a subscription streaming every write after it; see
 * start-stream.ts), waiting until the stream has applied what was written
 * while the copy ran; cutover waits until a
 * stream's lag is small, then holds writes briefly and switches (see
 * cut-over-stream.ts); contract is the snapshot transition's. verify is part
 * of the cut-over (rows counted on both sides while writes are held). Each
 * phase resumes where an interrupted run stopped. `liveTransitionStatus()`
 * reports the streams; `abortLiveTransition()` takes them down.
 *
 * @example
 * const r = await runLiveTransition(tp, { fromConnections, toConnections, workDir, phases: ['expand', 'copy', 'cutover'] });
 * r.streams[0].cutover?.freezeMs // 84
 */
import type { ApplyResult } from '../../execute/apply-plan.js';
import { columnMapping, type ColumnMapping } from '../column-mapping.js';
import type { TransitionPlan } from '../plan-transition.js';
import type { TransitionPhase } from '../phases.js';
import { Clients, runTransition, type TransitionResultBase } from '../run-transition.js';
import { ensureStreamLedger, readStreamRow, type StreamPhase } from '../transition-ledger.js';
import { cutOverStream, type CutOverResult } from './cut-over-stream.js';
import { liveStreams, type LiveStream } from './replication-names.js';
import { replicationPreflight } from './replication-preflight.js';
import { startStream } from './start-stream.js';
import { abortStream } from './stop-stream.js';
import { streamStatus, waitForStream, type StreamStatus } from './stream-status.js';

export interface LiveTransitionOptions {
  readonly fromConnections: Readonly<Record<string, string | undefined>>;
  readonly toConnections: Readonly<Record<string, string | undefined>>;
  readonly workDir: string;
  /** Default expand, copy, cutover (contract also needs `contract: true`); verify happens within the cut-over. */
  readonly phases?: readonly TransitionPhase[];
  readonly contract?: boolean;
  /** How long the cut-over waits for writers in flight before writes are held. Default 2 s. */
  readonly lockTimeoutMs?: number;
  /** How long copy waits for the initial copy, and cutover for the lag to drop. Default 10 min. */
  readonly catchUpTimeoutMs?: number;
  readonly pollMs?: number;
  readonly onEvent?: (e: { type: 'phase'; phase: TransitionPhase } | { type: 'status'; status: StreamStatus } | { type: 'stream'; stream: LiveStreamResult } | { type: 'freeze'; subscription: string } | { type: 'mapping'; mapping: ColumnMapping }) => void;
}

export interface LiveStreamResult {
  readonly subscription: string;
  readonly from: string;
  readonly to: string;
  /** What this run created (publication, slot, subscription); empty when it was there. */
  readonly created?: readonly string[];
  /** Rows the initial copy of this run brought, per table. */
  readonly copied?: Readonly<Record<string, number>>;
  readonly cutover?: CutOverResult;
  /** Bytes of lag when the cut-over took the lock. */
  readonly lagBytesAtCutover?: number;
  readonly error?: string;
}

export interface LiveTransitionResult extends TransitionResultBase {
  /** What replication needs and is missing; nothing was created. */
  readonly problems: readonly string[];
  readonly streams: readonly LiveStreamResult[];
}

const label = (s: LiveStream) => ({ subscription: s.subscription, from: `${s.from.store}/${s.from.database}`, to: `${s.to.store}/${s.to.database}` });

export async function runLiveTransition(tp: TransitionPlan, o: LiveTransitionOptions): Promise<LiveTransitionResult> {
  const phases = (o.phases ?? ['expand', 'copy', 'cutover']).filter((p) => p !== 'contract' || o.contract);
  const emit = o.onEvent ?? (() => undefined);
  const streams = liveStreams(tp);
  const out: LiveStreamResult[] = [];
  const result = (ok: boolean, extra: Partial<LiveTransitionResult> = {}): LiveTransitionResult => ({ ok, problems: [], streams: out, tables: [], objects: [], cutover: [], backups: [], ...extra });
  let expand: ApplyResult | undefined;
  let snapshot: Awaited<ReturnType<typeof runTransition>> | undefined;
  const clients = new Clients();
  const ends = (s: LiveStream) => Promise.all([clients.get(o.fromConnections[s.from.store], s.from.database, `the old database ${s.from.database}`), clients.get(o.toConnections[s.to.store], s.to.database, `the new database ${s.to.database}`)]);
  const wait = { timeoutMs: o.catchUpTimeoutMs ?? 600_000, ...(o.pollMs ? { pollMs: o.pollMs } : {}), onStatus: (status: StreamStatus) => emit({ type: 'status', status }) };
  try {
    if (phases.includes('expand')) {
      emit({ type: 'phase', phase: 'expand' });
      const r = await runTransition(tp, { fromConnections: o.fromConnections, toConnections: o.toConnections, workDir: o.workDir, phases: ['expand'] });
      expand = r.expand;
      if (!r.ok) return result(false, { ...(expand ? { expand } : {}) });
    }
    const base = expand ? { expand } : {};
    if (phases.includes('copy')) {
      emit({ type: 'phase', phase: 'copy' });
      const problems: string[] = [];
      const binary = new Map<string, boolean>();
      const todo: LiveStream[] = [];
      const copiedAt = new Map<string, string>();
      for (const s of streams) {
        const [source, target] = await ends(s);
        // A role that may not read topoplan's ledger is told why by the checks below.
        if ((await readStreamRow(target, s.subscription).catch(() => undefined))?.phase === 'cut-over') continue;
        todo.push(s);
        problems.push(...(await replicationPreflight(source, target, s)));
        let same = true;
        for (const t of s.tables) {
          const m = await columnMapping(source, target, t.table, { from: t.from.database, to: t.to.database });
          if (!m.same) emit({ type: 'mapping', mapping: m });
          problems.push(...m.problems.map((p) => p.replace(/^transition:/, 'transition --live:')));
          same &&= m.same;
        }
        binary.set(s.subscription, same);
      }
      if (problems.length) return result(false, { ...base, problems });
      for (const s of todo) {
        const [source, target] = await ends(s);
        const started = await startStream(source, target, s, { sourceUrl: o.fromConnections[s.from.store]!, binary: binary.get(s.subscription) ?? false });
        if (started.lsn) copiedAt.set(s.subscription, started.lsn);
        const r: LiveStreamResult = { ...label(s), created: started.created, ...(started.rows ? { copied: started.rows } : {}), ...(started.error ? { error: started.error } : {}) };
        out.push(r);
        emit({ type: 'stream', stream: r });
        if (started.error) return result(false, base);
      }
      for (const s of todo) {
        const [source, target] = await ends(s);
        // Caught up with what was written while the copy ran, so the cut-over's wait and its write freeze stay short.
        const through = copiedAt.get(s.subscription);
        const w = await waitForStream(source, target, s, { ...wait, lagBytes: Infinity, ...(through ? { throughLsn: through } : {}) });
        if (!w.caughtUp) return result(false, { ...base, problems: [`transition --live: the stream ${s.from.database} → ${s.to.database} did not catch up with the writes made during its initial copy within ${wait.timeoutMs} ms; it goes on: hint: follow it with topoplan transition --status, then run --phase cutover`] });
      }
    }
    if (phases.includes('cutover')) {
      emit({ type: 'phase', phase: 'cutover' });
      for (const s of streams) {
        const [source, target] = await ends(s);
        if ((await readStreamRow(target, s.subscription))?.phase === 'cut-over') continue;
        const w = await waitForStream(source, target, s, wait);
        if (!w.caughtUp) {
          const r = { ...label(s), error: `transition --live: ${s.from.database} → ${s.to.database} did not catch up within ${wait.timeoutMs} ms (${w.status.running ? `lag ${w.status.lagBytes ?? '?'} bytes` : 'no subscription: run the copy phase first'})` };
          out.push(r);
          emit({ type: 'stream', stream: r });
          return result(false, base);
        }
        const cut = await cutOverStream(source, target, s, { sourceUrl: o.fromConnections[s.from.store]!, planB: tp.planB, lockTimeoutMs: o.lockTimeoutMs ?? 2_000, catchUpTimeoutMs: Math.min(wait.timeoutMs, 60_000), onFreeze: () => emit({ type: 'freeze', subscription: s.subscription }) });
        const r: LiveStreamResult = { ...label(s), cutover: cut, ...(w.status.lagBytes !== undefined ? { lagBytesAtCutover: w.status.lagBytes } : {}), ...(cut.error ? { error: cut.error } : {}) };
        out.push(r);
        emit({ type: 'stream', stream: r });
        if (cut.error) return result(false, base);
      }
    }
    if (phases.includes('contract')) {
      emit({ type: 'phase', phase: 'contract' });
      snapshot = await runTransition(tp, { fromConnections: o.fromConnections, toConnections: o.toConnections, workDir: o.workDir, phases: ['contract'], contract: true });
      if (!snapshot.ok) return result(false, { ...base, tables: snapshot.tables, objects: snapshot.objects, backups: snapshot.backups });
    }
    return result(true, { ...base, cutover: phases.includes('cutover') ? tp.cutover : [], ...(snapshot ? { tables: snapshot.tables, objects: snapshot.objects, backups: snapshot.backups } : {}) });
  } catch (e) {
    // Every step resumes from what the databases hold: the same command finishes the job once the cause is fixed.
    return result(false, { ...(expand ? { expand } : {}), problems: [`transition --live: ${(e as Error).message}; hint: fix the cause and run the same command again, it resumes where this one stopped`] });
  } finally {
    await clients.close();
  }
}

export interface LiveStreamState extends StreamStatus {
  /** The phase the transition ledger records; undefined before the stream started. */
  readonly phase?: StreamPhase;
  readonly freezeMs?: number;
}

/** Per stream: its ledger phase, whether it runs, its lag and per table the initial copy and rows on both sides. */
export async function liveTransitionStatus(tp: TransitionPlan, o: Pick<LiveTransitionOptions, 'fromConnections' | 'toConnections'>): Promise<LiveStreamState[]> {
  const clients = new Clients();
  try {
    const out: LiveStreamState[] = [];
    for (const s of liveStreams(tp)) {
      const [source, target] = await Promise.all([clients.get(o.fromConnections[s.from.store], s.from.database, `the old database ${s.from.database}`), clients.get(o.toConnections[s.to.store], s.to.database, `the new database ${s.to.database}`)]);
      const row = await readStreamRow(target, s.subscription);
      out.push({ ...(await streamStatus(source, target, s)), ...(row ? { phase: row.phase, ...(row.freezeMs !== undefined ? { freezeMs: row.freezeMs } : {}) } : {}) });
    }
    return out;
  } finally {
    await clients.close();
  }
}

/** Removes every stream's subscription, slot and publication and empties the new side's moving tables; the old databases stay as they were. */
export async function abortLiveTransition(tp: TransitionPlan, o: Pick<LiveTransitionOptions, 'fromConnections' | 'toConnections'>): Promise<{ ok: boolean; streams: LiveStreamResult[] }> {
  const clients = new Clients();
  try {
    const streams: LiveStreamResult[] = [];
    for (const s of liveStreams(tp)) {
      const [source, target] = await Promise.all([clients.get(o.fromConnections[s.from.store], s.from.database, `the old database ${s.from.database}`), clients.get(o.toConnections[s.to.store], s.to.database, `the new database ${s.to.database}`)]);
      try {
        const r = await abortStream(source, target, s);
        streams.push({ ...label(s), ...(r.error ? { error: r.error } : {}) });
      } catch (e) {
        streams.push({ ...label(s), error: `transition --abort: ${s.from.database} → ${s.to.database}: ${(e as Error).message}` });
      }
    }
    return { ok: streams.every((s) => !s.error), streams };
  } finally {
    await clients.close();
  }
}
