/**
 * Checks a topology's expectations against the databases: tables present or
 * absent, counts of triggers or indexes by SQL LIKE pattern, row counts, and
 * the shape of a store (columns, foreign keys, extensions, enums, views,
 * indexes, functions; see schema-expectations.ts).
 * Checks declared `after: contract` wait (pending) until the contract phase ran.
 *
 * @example
 * const result = await verifyExpectations(plan.expectations, sessions, { contractApplied: false });
 * result.ok // false when any check failed
 */
import type { EngineSession, SchemaSnapshot } from '../engines/engine.js';
import type { Expectation } from '../topology/model.js';
import { likeToRegExp } from '../sql/like-pattern.js';
import { checkSchemaExpectation, describeSchemaExpectation, isSchemaExpectation } from './schema-expectations.js';

export type CheckStatus = 'ok' | 'failed' | 'pending' | 'not-checked';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly store: string;
  readonly message: string;
  /** Where the expectation is declared: file:line. */
  readonly at: string;
}

export { likeToRegExp };

export interface VerifyResult {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}


const bare = (qualified: string) => qualified.slice(qualified.lastIndexOf('.') + 1);

export async function verifyExpectations(expectations: readonly Expectation[], sessions: ReadonlyMap<string, EngineSession>, options: { contractApplied: boolean }): Promise<VerifyResult> {
  const snapshots = new Map<string, Promise<SchemaSnapshot>>();
  // A store whose expectations are all about names needs no full description of its objects, nor index names unless counted.
  const full = new Set(expectations.filter(isSchemaExpectation).map((e) => e.store));
  const counted = new Set(expectations.filter((e) => e.kind === 'indexes' || e.kind === 'triggers').map((e) => e.store));
  const snapshot = (store: string, s: EngineSession) => {
    if (!snapshots.has(store)) snapshots.set(store, s.inspect(full.has(store) ? 'full' : counted.has(store) ? 'names' : 'tables'));
    return snapshots.get(store)!;
  };
  // An expectation about the contract phase waits for it: it is neither inspected nor checked before.
  const waits = (e: Expectation) => e.after === 'contract' && !options.contractApplied;
  // Every snapshot is asked for at once: an engine may read several stores in one query (embedded ClickHouse does).
  for (const e of expectations) {
    const session = sessions.get(e.store);
    if (session && !waits(e)) snapshot(e.store, session).catch(() => undefined);
  }
  const checks: CheckResult[] = [];
  for (const e of expectations) {
    const at = `${e.pos.file}:${e.pos.line}`;
    const session = sessions.get(e.store);
    if (!session) {
      checks.push({ status: 'not-checked', store: e.store, message: `store "${e.store}" is not reachable`, at });
      continue;
    }
    if (waits(e)) {
      checks.push({ status: 'pending', store: e.store, message: `${describe(e)}: waits for the contract phase (apply --contract)`, at });
      continue;
    }
    checks.push(await check(e, session, await snapshot(e.store, session), at));
  }
  return { ok: checks.every((c) => c.status !== 'failed'), checks };
}

function describe(e: Expectation): string {
  if (isSchemaExpectation(e)) return describeSchemaExpectation(e);
  if (e.kind === 'tables') return `tables ${[...e.present.map((t) => `+${t}`), ...e.absent.map((t) => `-${t}`)].join(' ')}`;
  if (e.kind === 'rows') return `rows of ${e.table}`;
  return `${e.kind} like "${e.like}"`;
}

async function check(e: Expectation, session: EngineSession, snap: SchemaSnapshot, at: string): Promise<CheckResult> {
  const ok = (message: string): CheckResult => ({ status: 'ok', store: e.store, message, at });
  const failed = (message: string): CheckResult => ({ status: 'failed', store: e.store, message, at });
  if (isSchemaExpectation(e)) {
    const r = checkSchemaExpectation(e, snap);
    return r.ok ? ok(r.message) : failed(r.message);
  }
  if (e.kind === 'tables') {
    const names = new Set([...snap.tables, ...snap.views].flatMap((t) => [t, bare(t)]));
    const missing = e.present.filter((t) => !names.has(t));
    const extra = e.absent.filter((t) => names.has(t));
    if (missing.length || extra.length) {
      return failed([missing.length ? `missing tables: ${missing.join(', ')}` : '', extra.length ? `tables still present: ${extra.join(', ')}` : ''].filter(Boolean).join('; '));
    }
    return ok(`${e.present.length ? `${e.present.length} tables present` : ''}${e.present.length && e.absent.length ? ', ' : ''}${e.absent.length ? `${e.absent.length} absent` : ''}`);
  }
  if (e.kind === 'rows') {
    let rows: number;
    try {
      rows = await session.countRows(e.table);
    } catch (err) {
      return failed(`cannot count rows of "${e.table}": ${(err as Error).message}`);
    }
    if (e.equals !== undefined && rows !== e.equals) return failed(`"${e.table}" has ${rows} rows, expected ${e.equals}`);
    if (e.min !== undefined && rows < e.min) return failed(`"${e.table}" has ${rows} rows, expected at least ${e.min}`);
    return ok(`"${e.table}" has ${rows} rows`);
  }
  const re = likeToRegExp(e.like);
  const found = (e.kind === 'triggers' ? snap.triggers : snap.indexes).map(bare).filter((n) => re.test(n));
  return found.length === e.count ? ok(`${found.length} ${e.kind} like "${e.like}"`) : failed(`expected ${e.count} ${e.kind} like "${e.like}", found ${found.length}${found.length ? `: ${found.sort().join(', ')}` : ''}`);
}
