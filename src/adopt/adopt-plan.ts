/**
 * `adoptPlan()`: takes over a system that is already migrated by other means
 * (`sqlx migrate run`, psql, a runbook). For every reachable store it reads
 * the live schema, topoplan's ledger, the sqlx tables of the plan's services
 * and other tools' ledgers, and compares the live schema with the one a fresh
 * apply of the plan gives (applied on throwaway engines, as `check` does).
 * Each step is then adopted, pending or conflicting (see classify-adoption).
 * Unless it is a dry run, the adopted steps are recorded as applied without
 * running anything, with their sqlx rows; a conflict stops every write unless
 * `prefer` says which side wins: `live` adopts the step and keeps the live
 * definition, `plan` leaves it pending so the next apply runs the plan's
 * statements against what is there.
 *
 * @example
 * const r = await adoptPlan(plan, { connections: { nova: 'postgres://localhost/postgres' }, dryRun: true });
 * for (const s of r.stores) console.log(s.store, s.counts);
 */
import type { EngineSession, SqlxRow } from '../engines/engine.js';
import { ledgerWrites } from '../engines/ledger-records.js';
import { closeSessions, openSessions } from '../execute/open-sessions.js';
import { loadStoreLedger } from '../execute/store-ledger.js';
import { checkPlan } from '../check/check-plan.js';
import type { Plan, Step } from '../plan/model.js';
import { diffSchemas } from '../schema/diff-schemas.js';
import { storeSchema, type StoreSchema } from '../schema/store-schema.js';
import { classifyAdoption, type AdoptionStatus, type StepAdoption } from './classify-adoption.js';

export type AdoptSide = 'live' | 'plan';

export interface AdoptOptions {
  /** Server URL per store; a store without one is reported as not reachable. */
  readonly connections: Readonly<Record<string, string | undefined>>;
  /** Show what would be adopted without writing anything. */
  readonly dryRun?: boolean;
  /** Which side wins a conflict: for every object, or per object (`table public.comments` → side); unresolved conflicts write nothing. */
  readonly prefer?: AdoptSide | ((object: string) => AdoptSide | undefined);
  /** The schema per store a fresh apply of the plan gives; default: applied on throwaway engines now. */
  readonly planned?: readonly StoreSchema[];
  /** How long to wait for another apply's lock. Default 30 s. */
  readonly lockTimeoutMs?: number;
  /** As root, create the `postgres` OS user the throwaway engines' server runs as when it is missing (default true). */
  readonly createServerUser?: boolean;
  /** Told what the throwaway engines did beyond themselves (an OS user created). */
  readonly onNote?: (line: string) => void;
}

export interface StoreAdoption {
  readonly store: string;
  readonly reachable: boolean;
  readonly reason?: string;
  readonly steps: readonly StepAdoption[];
  readonly counts: Readonly<Record<AdoptionStatus, number>>;
  /** Other tools' ledgers found, e.g. `dbmate public.schema_migrations (12 rows)`. */
  readonly knownLedgers: readonly string[];
  /** Ledger records and sqlx rows written (0 in a dry run). */
  readonly written: number;
}

export interface AdoptResult {
  /** False when a conflict is left unresolved (then nothing was written). */
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly stores: readonly StoreAdoption[];
}

export async function adoptPlan(plan: Plan, options: AdoptOptions): Promise<AdoptResult> {
  const planned = options.planned ?? (await checkPlan(plan, { reverts: false, ...(options.createServerUser === false ? { createServerUser: false } : {}), ...(options.onNote ? { onNote: options.onNote } : {}) })).schemas;
  const sessions = await openSessions(plan.stores, options.connections);
  const releases: (() => Promise<void>)[] = [];
  try {
    const stores: { store: string; session?: EngineSession; steps: StepAdoption[]; known: string[]; reason?: string }[] = [];
    for (const declared of plan.stores) {
      const steps = plan.steps.filter((s) => s.store === declared.name);
      if (steps.length === 0) continue;
      const session = sessions.get(declared.name);
      if (!session) {
        stores.push({ store: declared.name, steps: [], known: [], reason: `store "${declared.name}" (${declared.engine}) has no connection url` });
        continue;
      }
      if (!options.dryRun) releases.push(await session.lock({ timeoutMs: options.lockTimeoutMs ?? 30_000 }));
      const ledger = await loadStoreLedger(session, steps, { store: declared.name, engine: declared.engine, upgrade: !options.dryRun });
      const live = await session.inspect();
      const plannedSchema = planned.find((p) => p.store === declared.name);
      const liveSchema = storeSchema(live, { store: declared.name, engine: declared.engine, database: declared.database });
      const knownLedgers = (await session.readKnownLedgers?.()) ?? [];
      const tables = new Map<string, Promise<ReadonlyMap<string, SqlxRow>>>();
      const classified = await classifyAdoption({
        steps,
        ledger,
        live,
        differences: plannedSchema ? diffSchemas(plannedSchema.objects, liveSchema.objects) : [],
        sqlxRows: (table) => {
          const key = table ?? '';
          if (!tables.has(key)) tables.set(key, session.readSqlxRows?.(table) ?? Promise.resolve(new Map()));
          return tables.get(key)!;
        },
        knownLedgers,
        countRows: (t) => session.countRows(t).catch(() => undefined),
      });
      const known = [...new Set(knownLedgers.map((k) => `${k.tool} ${k.table}`))].map((k) => `${k} (${knownLedgers.filter((r) => `${r.tool} ${r.table}` === k).length} rows)`);
      stores.push({ store: declared.name, session, steps: classified.map((a) => settle(a, options.prefer)), known });
    }
    const open = stores.some((s) => s.steps.some((a) => a.status === 'conflicting'));
    const out: StoreAdoption[] = [];
    for (const s of stores) {
      const written = !options.dryRun && !open && s.session ? await record(s.session, plan.steps.filter((x) => x.store === s.store), s.steps) : 0;
      out.push({ store: s.store, reachable: !!s.session, ...(s.reason ? { reason: s.reason } : {}), steps: s.steps, counts: counts(s.steps), knownLedgers: s.known, written });
    }
    return { ok: !open, dryRun: !!options.dryRun, stores: out };
  } finally {
    await Promise.all(releases.map((r) => r().catch(() => undefined)));
    await closeSessions(sessions);
  }
}

/** A conflict the caller decided: `live` adopts it, `plan` leaves it pending. */
function settle(a: StepAdoption, prefer: AdoptOptions['prefer']): StepAdoption {
  if (a.status !== 'conflicting' || !prefer) return a;
  const sides = (a.objects ?? []).map((o) => (typeof prefer === 'string' ? prefer : prefer(o)));
  if (sides.length === 0 || sides.some((s) => s === undefined) || new Set(sides).size > 1) return a;
  return sides[0] === 'live'
    ? { ...a, status: 'adopted', evidence: `${a.evidence}; the live definition is kept (prefer live)` }
    : { ...a, status: 'pending', evidence: `${a.evidence}; the plan's statements run on the next apply (prefer plan)` };
}

/** Records the adopted steps (statements not known yet) and the sqlx rows of files now wholly in effect. */
async function record(session: EngineSession, steps: readonly Step[], adoption: readonly StepAdoption[]): Promise<number> {
  const status = new Map(adoption.map((a) => [a.id, a.status]));
  const adopted = steps.filter((s) => status.get(s.id) === 'adopted');
  const writes = adopted.flatMap((s) => ledgerWrites(s, 'applied', 0, 'adopt'));
  if (writes.length > 0) await session.record(writes);
  const done = (file: string) => steps.filter((s) => s.source?.file === file).every((s) => status.get(s.id) === 'adopted' || status.get(s.id) === 'recorded');
  const sqlx = adopted.filter((s) => s.sqlx?.completesFile && done(s.source!.file)).map((s) => s.sqlx!);
  if (sqlx.length > 0 && session.writeSqlxRows) {
    // Only rows not already true to the file: an existing sqlx row of the same checksum stays as sqlx wrote it.
    const current = new Map<string, ReadonlyMap<string, SqlxRow>>();
    const missing = [];
    for (const r of sqlx) {
      const key = r.table ?? '';
      if (!current.has(key)) current.set(key, (await session.readSqlxRows?.(r.table)) ?? new Map());
      const row = current.get(key)!.get(r.version);
      if (!row || row.checksum !== r.checksumSha384) missing.push(r);
    }
    if (missing.length > 0) await session.writeSqlxRows(missing);
    return writes.length + missing.length;
  }
  return writes.length;
}

function counts(steps: readonly StepAdoption[]): Record<AdoptionStatus, number> {
  const c: Record<AdoptionStatus, number> = { recorded: 0, adopted: 0, pending: 0, conflicting: 0 };
  for (const s of steps) c[s.status]++;
  return c;
}
