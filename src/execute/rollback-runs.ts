/**
 * `rollbackRuns()`: undoes applies recorded as runs (see run-record.ts) —
 * the last run, one run, every run after one, or all — across every store,
 * newest run first and, within a run, in reverse dependency order (the
 * apply's walker over the reversed edges: a revert runs once every step
 * that depended on its step is reverted). Every store is locked as apply
 * locks it. Each revert runs with the removal of its step's ledger records
 * and sqlx row (one transaction on PostgreSQL); a revert that destroys data
 * (a table that now holds rows) is backed up first and runs only with
 * `contract`; a step restorable from backup is restored from the backup its
 * apply took. An irreversible step stops the rollback before it (and every
 * step it depends on) unless `force` skips it. Afterwards each store's
 * schema is compared, object by object, with what it held before the
 * oldest run rolled back: any difference makes the result not ok.
 *
 * @example
 * const result = await rollbackRuns(plan, { connections: { nova: 'postgres://localhost/postgres' }, workDir: '.topoplan' });
 * for (const s of result.steps) console.log(s.status, s.id, s.reason ?? '');
 */
import { backupDirFor, readManifest } from '../engines/backup-manifest.js';
import type { Engine, EngineSession, LedgerKey, StepOutcome } from '../engines/engine.js';
import { engineFor } from '../engines/registry.js';
import { StatementError } from '../engines/statement-error.js';
import { keyString } from '../engines/ledger-records.js';
import type { Plan, Step } from '../plan/model.js';
import type { EngineName } from '../sql/effects.js';
import { loadParsers } from '../sql/parse-file.js';
import { maskSecrets } from '../mask-secrets.js';
import { lockStores } from './lock-stores.js';
import { keyOf, runWrite, runsOf, type RunRecord, type RunStep } from './run-record.js';
import { revertWorkOf, type RevertPlan } from './revert-work.js';
import { fingerprintDifferences, objectFingerprints } from './schema-fingerprint.js';
import type { StepResult } from './step-result.js';
import { walk } from './walker.js';

export interface RollbackOptions {
  readonly connections: Readonly<Record<string, string | undefined>>;
  /** The data directory: where apply's backups are, and where the rollback's go. */
  readonly workDir: string;
  /** Roll back this run only. */
  readonly run?: string;
  /** Roll back every run after this one (it stays applied). */
  readonly to?: string;
  /** Roll back every run. */
  readonly all?: boolean;
  /** Say what would run, per store in execution order, and change nothing. */
  readonly dryRun?: boolean;
  /** Run reverts that destroy data (after a backup), as apply's `contract`. */
  readonly contract?: boolean;
  /** Skip irreversible steps (their changes stay) instead of stopping before them. */
  readonly force?: boolean;
  readonly lockTimeoutMs?: number;
  readonly engines?: (name: EngineName) => Engine;
}

export type RevertStatus = 'reverted' | 'forced' | 'not-reverted' | 'skipped' | 'failed';

export interface RevertResult {
  readonly id: string;
  readonly store: string;
  readonly run: string;
  readonly status: RevertStatus;
  readonly reason?: string;
  readonly error?: { readonly message: string };
  /** Dry run: the statements it would run (or what it would restore). */
  readonly sql?: readonly string[];
  /** Where the backup of what the revert destroyed went. */
  readonly backup?: string;
}

export interface StoreComparison {
  readonly store: string;
  /** The run whose recorded "before" the store was compared with. */
  readonly run?: string;
  /** Object by object: `missing table public.users`, `extra index public.i`, `changed view public.v`. */
  readonly differences: readonly string[];
  /** Why the store was not compared (a later run stays applied, a revert failed, a dry run). */
  readonly notCompared?: string;
}

export interface RollbackResult {
  readonly ok: boolean;
  /** The runs rolled back, newest first. */
  readonly runs: readonly string[];
  /** Every revert, in the order they ran (or would run). */
  readonly steps: readonly RevertResult[];
  readonly comparisons: readonly StoreComparison[];
  /** Problems that stopped the rollback before any revert (a store locked, an unknown run). */
  readonly errors: readonly string[];
}

interface Target {
  readonly run: string;
  readonly store: string;
  readonly engine: EngineName;
  readonly database: string;
  readonly step: RunStep;
}

/** Stores whose own database a revert dropped (an author's down file of its CREATE DATABASE): their ledger went with it. */
type Gone = Map<string, string>;

export async function rollbackRuns(plan: Plan, options: RollbackOptions): Promise<RollbackResult> {
  const engines = options.engines ?? engineFor;
  const sessions = new Map<string, EngineSession>();
  const releases: (() => Promise<void>)[] = [];
  const errors: string[] = [];
  try {
    for (const store of plan.stores) {
      const url = options.connections[store.name];
      if (!url) continue;
      const cluster = store.cluster ? { cluster: store.cluster, ...(store.replicated ? { replicated: true } : {}) } : {};
      try {
        sessions.set(store.name, await engines(store.engine).connect({ store: store.name, database: store.database, url, ...cluster }));
      } catch (e) {
        errors.push(`rollback: cannot connect to store "${store.name}": ${maskSecrets((e as Error).message)}`);
      }
    }
    if (!options.dryRun) {
      const locked = await lockStores(sessions, { timeoutMs: options.lockTimeoutMs ?? 30_000 });
      releases.push(...locked.releases);
      for (const [store, why] of locked.failed) errors.push(`rollback: store "${store}" is locked: ${maskSecrets(why)}; hint: wait for the apply holding it, or see topoplan unlock`);
    }
    if (errors.length > 0) return { ok: false, runs: [], steps: [], comparisons: [], errors };
    const ledgers = new Map<string, { runs: RunRecord[]; keys: Set<string> }>();
    for (const [store, session] of sessions) {
      const state = await session.readLedger();
      ledgers.set(store, { runs: runsOf(state.records), keys: new Set(state.records.map(keyString)) });
    }
    const byId = runsById(ledgers);
    const chosen = chooseRuns([...byId.keys()], byId, options, errors);
    if (errors.length > 0) return { ok: false, runs: [], steps: [], comparisons: [], errors };
    await loadParsers();
    const storeOf = new Map(plan.stores.map((s) => [s.name, s]));
    const gone: Gone = new Map();
    const steps: RevertResult[] = [];
    const reverted = new Set<string>();
    for (const run of chosen) {
      const targets = stepsToRevert(byId.get(run)!, ledgers, storeOf);
      const done = await revertRun(run, targets, sessions, options, steps, gone);
      for (const [id, r] of done) if (r.status === 'reverted' || r.status === 'forced') reverted.add(`${r.store}|${id}`);
      if (steps.some((s) => s.run === run && (s.status === 'failed' || s.status === 'not-reverted' || s.status === 'skipped'))) break;
    }
    if (!options.dryRun) await markRolledBack(chosen, byId, steps, sessions, gone);
    const comparisons = options.dryRun ? [] : await compare(chosen, byId, [...byId.keys()], steps, sessions);
    const ok = steps.every((s) => s.status === 'reverted' || s.status === 'forced') && comparisons.every((c) => c.differences.length === 0);
    return { ok, runs: chosen, steps, comparisons, errors };
  } finally {
    await Promise.all(releases.map((release) => release().catch(() => undefined)));
    await Promise.all([...sessions.values()].map((s) => s.close().catch(() => undefined)));
  }
}

/** Every run, by id, with its record in each store; oldest first. */
function runsById(ledgers: ReadonlyMap<string, { runs: RunRecord[] }>): Map<string, Map<string, RunRecord>> {
  const all: RunRecord[] = [...ledgers.values()].flatMap((l) => l.runs);
  all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
  const out = new Map<string, Map<string, RunRecord>>();
  for (const r of all) {
    const m = out.get(r.id) ?? new Map<string, RunRecord>();
    m.set(r.store, r);
    out.set(r.id, m);
  }
  return out;
}

/** The runs to roll back, newest first: runs already rolled back everywhere are left out. */
function chooseRuns(ids: readonly string[], byId: ReadonlyMap<string, ReadonlyMap<string, RunRecord>>, options: RollbackOptions, errors: string[]): string[] {
  const live = ids.filter((id) => [...byId.get(id)!.values()].some((r) => r.status !== 'rolled-back'));
  const known = (id: string, flag: string) => {
    if (byId.has(id)) return true;
    errors.push(`rollback: ${flag} "${id}" is not a run recorded in any store; hint: the runs are ${ids.length ? ids.map((i) => `"${i}"`).join(', ') : 'none (nothing was applied with runs recorded)'}`);
    return false;
  };
  if (options.run !== undefined) return known(options.run, '--run') ? [options.run] : [];
  if (options.to !== undefined) {
    if (!known(options.to, '--to')) return [];
    const at = ids.indexOf(options.to);
    return live.filter((id) => ids.indexOf(id) > at).reverse();
  }
  if (options.all) return [...live].reverse();
  return live.length > 0 ? [live[live.length - 1]!] : [];
}

/** The run's steps still in effect: those it applied (a run killed midway: those its records say), in every store. */
function stepsToRevert(run: ReadonlyMap<string, RunRecord>, ledgers: ReadonlyMap<string, { keys: Set<string> }>, storeOf: ReadonlyMap<string, { engine: EngineName; database: string }>): Target[] {
  const out: Target[] = [];
  for (const [store, record] of run) {
    const keys = ledgers.get(store)?.keys ?? new Set<string>();
    const applied = record.applied ? new Set(record.applied) : undefined;
    for (const step of record.steps) {
      if (applied && !applied.has(step.id)) continue;
      if (!step.keys.some((k) => keys.has(k))) continue;
      out.push({ run: record.id, store, engine: storeOf.get(store)?.engine ?? 'postgres', database: storeOf.get(store)?.database ?? '', step });
    }
  }
  return out;
}

/** Reverts one run's steps, dependants first. */
async function revertRun(run: string, targets: readonly Target[], sessions: ReadonlyMap<string, EngineSession>, options: RollbackOptions, out: RevertResult[], gone: Gone): Promise<Map<string, RevertResult>> {
  const ids = new Set(targets.map((t) => t.step.id));
  // Reversed edges: a step waits for the reverts of every step that depended on it.
  const dependants = new Map<string, string[]>();
  for (const t of targets) for (const d of t.step.dependsOn) if (ids.has(d)) dependants.set(d, [...(dependants.get(d) ?? []), t.step.id]);
  // Within a store, the exact reverse of the order the run applied in: statements of one file, and objects of one
  // name that one step dropped and another made again, are ordered by it even where the plan has no edge.
  const byStore = new Map<string, Target[]>();
  for (const t of targets) byStore.set(t.store, [...(byStore.get(t.store) ?? []), t]);
  for (const list of byStore.values()) {
    for (let i = 0; i + 1 < list.length; i++) dependants.set(list[i]!.step.id, [...new Set([...(dependants.get(list[i]!.step.id) ?? []), list[i + 1]!.step.id])]);
  }
  const walkable = targets.map((t) => ({ id: t.step.id, store: t.store, dependsOn: dependants.get(t.step.id) ?? [], target: t }));
  const results = new Map<string, RevertResult>();
  await walk(walkable, {
    concurrency: 1,
    run: async ({ target }): Promise<StepResult> => {
      const r = await revertOne(target, revertWorkOf(target.step, target.engine, ids, target.database), sessions.get(target.store)!, options, gone);
      results.set(target.step.id, r);
      out.push(r);
      // The walker stops what depends on a step that did not succeed: here, the reverts of what it depends on.
      const ok = r.status === 'reverted' || r.status === 'forced';
      // A step that is not reverted is named as the cause of the reverts that wait for it.
      return { id: r.id, store: r.store, status: ok ? 'applied' : r.status === 'not-reverted' ? 'not-applied' : 'failed', ...(r.status === 'not-reverted' ? { cause: r.id } : {}), ...(r.reason ? { reason: r.reason } : {}) };
    },
  }).then((all) => {
    for (const t of targets) {
      if (results.has(t.step.id)) continue;
      const w = all.get(t.step.id)!;
      const reason = w.status === 'not-applied' && w.cause ? `waits for the revert of "${w.cause}", which is not reverted: ${w.reason ?? ''}` : `${w.reason ?? ''}`.replace(/^depends on/, 'waits for the revert of');
      const r: RevertResult = { id: t.step.id, store: t.store, run, status: w.status === 'not-applied' ? 'not-reverted' : 'skipped', reason };
      results.set(t.step.id, r);
      out.push(r);
    }
  });
  return results;
}

async function revertOne(t: Target, work: RevertPlan, session: EngineSession, options: RollbackOptions, gone: Gone): Promise<RevertResult> {
  const base = { id: t.step.id, store: t.store, run: t.run };
  const removals = t.step.keys.map(keyOf);
  const dropped = gone.get(t.store);
  if (dropped) return { ...base, status: 'reverted', reason: `the revert of "${dropped}" dropped the store's database, and this step with it` };
  if (work.kind === 'stop') {
    const forced = `${work.reason}; skipped (--force): its changes stay`;
    if (options.force) return options.dryRun ? { ...base, status: 'forced', reason: forced, sql: [] } : forget(base, session, removals, forced, 'forced', t.step.sqlx);
    return { ...base, status: 'not-reverted', reason: `${work.reason}; hint: write a revert for it (a down file), or pass --force to skip it and leave its changes` };
  }
  const dir = backupDirFor(options.workDir, t.run, t.step.id);
  if (work.kind === 'records') return options.dryRun ? { ...base, status: 'reverted', reason: work.why, sql: [] } : forget(base, session, removals, work.why, 'reverted', t.step.sqlx);
  if (work.kind === 'restore') {
    const found = await readManifest(dir).catch(() => undefined);
    if (options.dryRun) return { ...base, status: 'reverted', reason: found ? `restores ${dir}` : 'its backup holds nothing (what it destroyed did not exist)', sql: found ? [`-- restore ${dir}`] : [] };
    if (!found) return forget(base, session, removals, 'nothing to restore: what it destroyed did not exist when it ran', 'reverted', t.step.sqlx);
    if (!session.restoreBackup) return { ...base, status: 'not-reverted', reason: `store "${t.store}" cannot restore its backups; the rows are in ${dir}` };
    try {
      await session.restoreBackup(found, {});
      await forget(base, session, removals, '', 'reverted', t.step.sqlx).then((r) => { if (r.error) throw new Error(r.error.message); });
      return { ...base, status: 'reverted', reason: `restored from ${dir}` };
    } catch (e) {
      return { ...base, status: 'failed', error: { message: `rollback: restoring ${dir} for "${t.step.id}" in store "${t.store}" failed: ${maskSecrets((e as Error).message)}` } };
    }
  }
  const destroys = await holdingData(work, session);
  if (options.dryRun) return { ...base, status: 'reverted', reason: work.from, sql: work.statements };
  if (destroys.length > 0 && !options.contract) {
    return { ...base, status: 'not-reverted', reason: `its revert (${work.from}) destroys ${destroys.map((d) => d.summary).join('; ')}: pass --contract to run it after a backup` };
  }
  const revertDir = `${dir}-revert`;
  try {
    const outcome = await runRevert(t, work, destroys, session, removals, destroys.length > 0 ? revertDir : undefined);
    if (work.dropsStore) gone.set(t.store, t.step.id);
    return { ...base, status: 'reverted', reason: work.from, ...(outcome.backup ? { backup: outcome.backup.dir } : {}) };
  } catch (e) {
    return { ...base, status: 'failed', reason: work.from, error: { message: `rollback: the revert of "${t.step.id}" in store "${t.store}" failed: ${maskSecrets((e as Error).message)}` } };
  }
}

/** What the revert destroys that holds data now: tables with rows (dropped, or losing a column). */
async function holdingData(work: Extract<RevertPlan, { kind: 'run' }>, session: EngineSession): Promise<Extract<RevertPlan, { kind: 'run' }>['destroys'][number][]> {
  const out = [];
  for (const d of work.destroys) {
    if (d.object.kind !== 'table') continue;
    const table = d.object.schema ? `${d.object.schema}.${d.object.name}` : d.object.name;
    if ((await session.countRows(table).catch(() => 0)) > 0) out.push(d);
  }
  return out;
}

async function runRevert(t: Target, work: Extract<RevertPlan, { kind: 'run' }>, destroys: Step['destroys'], session: EngineSession, removals: LedgerKey[], backupDir: string | undefined): Promise<StepOutcome> {
  const sqlx = t.step.sqlx;
  if (session.revertStep) {
    return session.revertStep({ stepId: t.step.id, statements: work.statements, transactional: work.transactional, removals, ...(sqlx ? { sqlx } : {}), destroys }, backupDir ? { workDir: backupDir, backupDir } : { workDir: '' });
  }
  // No transactions: the statements run as a step of their own, then its record and the step's go.
  const name = `revert:${t.step.id}`;
  const step: Step = {
    id: `${t.store}:${name}`, kind: 'sql', store: t.store, engine: t.engine, database: '', statements: work.statements, transactional: work.transactional,
    phase: 'expand', destructive: destroys.length > 0, destroys, checksum: '', wave: 0, dependsOn: [], changes: [], notes: [],
  };
  let outcome: StepOutcome;
  try {
    outcome = await session.applyStep(step, backupDir ? { workDir: backupDir, backupDir } : { workDir: '' });
  } catch (e) {
    // Dropping the store's database takes the ledger along: only its statements' own failure counts.
    if (!work.dropsStore || e instanceof StatementError) throw e;
    return { durationMs: 0 };
  }
  if (!work.dropsStore) await session.record([], [...removals, { file: '', fingerprint: name }]);
  return outcome;
}

/** A step with nothing to run: only its ledger records go. */
async function forget(base: Omit<RevertResult, 'status'>, session: EngineSession, removals: LedgerKey[], reason: string, status: 'reverted' | 'forced' = 'reverted', sqlx?: RunStep['sqlx']): Promise<RevertResult> {
  try {
    // With its sqlx row, where the engine keeps one: the service's migrator must not see the file as applied.
    if (sqlx && session.revertStep) await session.revertStep({ stepId: base.id, statements: [], transactional: true, removals, sqlx, destroys: [] }, { workDir: '' });
    else await session.record([], removals);
    return { ...base, status, reason };
  } catch (e) {
    return { ...base, status: 'failed', error: { message: `rollback: removing the ledger records of "${base.id}" failed: ${maskSecrets((e as Error).message)}` } };
  }
}

/** Marks each run rolled back in every store where all its reverts went through. */
async function markRolledBack(chosen: readonly string[], byId: ReadonlyMap<string, ReadonlyMap<string, RunRecord>>, steps: readonly RevertResult[], sessions: ReadonlyMap<string, EngineSession>, gone: Gone): Promise<void> {
  for (const run of chosen) {
    for (const [store, record] of byId.get(run)!) {
      if (gone.has(store)) continue;
      const mine = steps.filter((s) => s.run === run && s.store === store);
      if (mine.some((s) => s.status !== 'reverted' && s.status !== 'forced')) continue;
      await sessions.get(store)?.record([runWrite({ ...record, status: 'rolled-back', rolledBackAt: new Date().toISOString() })]);
    }
  }
}

/** Each store the runs touched, against what it held before the oldest of them. */
async function compare(chosen: readonly string[], byId: ReadonlyMap<string, ReadonlyMap<string, RunRecord>>, ids: readonly string[], steps: readonly RevertResult[], sessions: ReadonlyMap<string, EngineSession>): Promise<StoreComparison[]> {
  const out: StoreComparison[] = [];
  const oldest = new Map<string, RunRecord>();
  for (const run of chosen) for (const [store, r] of byId.get(run)!) oldest.set(store, r);
  // A run rolled back earlier, just before the oldest chosen, took its changes with it: the state to come back to is from before it.
  for (const [store, r] of oldest) {
    let at = ids.indexOf(r.id);
    let back = r;
    while (at > 0) {
      const prev = byId.get(ids[--at]!)!.get(store);
      if (!prev) continue;
      if (prev.status !== 'rolled-back') break;
      back = prev;
    }
    oldest.set(store, back);
  }
  for (const [store, record] of [...oldest].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const later = ids.slice(ids.indexOf(record.id) + 1).filter((id) => !chosen.includes(id) && byId.get(id)!.has(store) && byId.get(id)!.get(store)!.status !== 'rolled-back');
    if (later.length > 0) {
      out.push({ store, run: record.id, differences: [], notCompared: `later runs stay applied: ${later.join(', ')}` });
      continue;
    }
    const failed = steps.filter((s) => s.store === store && s.status !== 'reverted');
    if (failed.length > 0) {
      out.push({ store, run: record.id, differences: [], notCompared: `${failed.length} step${failed.length === 1 ? ' was' : 's were'} not reverted` });
      continue;
    }
    const now = objectFingerprints(await sessions.get(store)!.inspect());
    out.push({ store, run: record.id, differences: fingerprintDifferences(record.before, now) });
  }
  return out;
}
