/**
 * The topoplan ledger of a Neo4j store: one `(:TopoplanStatement)` node per
 * statement in effect, unique on `key` (file and statement fingerprint).
 * Neo4j cannot run schema commands and data writes in one transaction, so a
 * step's statements are written `started`, run one auto-commit transaction
 * each, then written `applied`. The earlier per-step `(:TopoplanLedger)`
 * nodes are replaced in one write transaction.
 *
 * @example
 * await ensureLedger(session)
 * await writeRecords(session, ledgerWrites(step, 'started', 0))
 */
import type { Session } from 'neo4j-driver';
import type { LedgerKey, LedgerRecord, LedgerState, LedgerWrite, LegacyLedgerRow } from '../engine.js';
import { keyString, lastPerKey } from '../ledger-records.js';

export async function ensureLedger(session: Session): Promise<void> {
  await session.run('CREATE CONSTRAINT topoplan_statement_key IF NOT EXISTS FOR (l:TopoplanStatement) REQUIRE l.key IS UNIQUE');
}

const WRITE = `UNWIND $rows AS r
  MERGE (l:TopoplanStatement {key: r.key})
  SET l.file = r.file, l.fingerprint = r.fingerprint, l.ordinal = r.ordinal, l.store = r.store, l.step_id = r.stepId,
      l.phase = r.phase, l.status = r.status, l.origin = r.origin, l.duration_ms = r.durationMs, l.sql = r.sql, l.source = r.source,
      l.applied_at = CASE WHEN r.appliedAt IS NULL THEN datetime() ELSE datetime(r.appliedAt) END`;

const rowsOf = (writes: readonly LedgerWrite[]) =>
  lastPerKey(writes).map((w) => ({ ...w, key: keyString(w), source: w.source ?? null, appliedAt: w.appliedAt ?? null }));

type Runner = Pick<Session, 'run'>;

export async function writeRecords(session: Runner, writes: readonly LedgerWrite[]): Promise<void> {
  if (writes.length > 0) await session.run(WRITE, { rows: rowsOf(writes) });
}

export async function removeRecords(session: Runner, keys: readonly LedgerKey[]): Promise<void> {
  if (keys.length > 0) await session.run('UNWIND $keys AS k MATCH (l:TopoplanStatement {key: k}) DELETE l', { keys: keys.map(keyString) });
}

export async function readLedgerState(session: Session): Promise<LedgerState> {
  const r = await session.run(
    `MATCH (l:TopoplanStatement) RETURN l.file AS file, l.fingerprint AS fingerprint, l.ordinal AS ordinal, l.store AS store, l.step_id AS stepId,
       l.phase AS phase, l.status AS status, l.origin AS origin, toString(l.applied_at) AS appliedAt, l.duration_ms AS durationMs, l.sql AS sql, l.source AS source
     ORDER BY l.applied_at, l.file, l.ordinal`,
  );
  const records = r.records.map((rec): LedgerRecord => {
    const source = rec.get('source') as string | null;
    return {
      file: rec.get('file') as string,
      fingerprint: rec.get('fingerprint') as string,
      ordinal: Number(rec.get('ordinal') ?? 0),
      store: (rec.get('store') as string | null) ?? '',
      stepId: rec.get('stepId') as string,
      phase: rec.get('phase') as string,
      status: rec.get('status') as 'applied' | 'started',
      origin: (rec.get('origin') as LedgerRecord['origin'] | null) ?? 'apply',
      appliedAt: new Date(rec.get('appliedAt') as string).toISOString(),
      durationMs: Number(rec.get('durationMs') ?? 0),
      sql: (rec.get('sql') as string | null) ?? '',
      ...(source !== null ? { source } : {}),
    };
  });
  const legacy = await readLegacy(session);
  return legacy.length > 0 ? { records, legacy } : { records };
}

async function readLegacy(session: Session): Promise<LegacyLedgerRow[]> {
  const r = await session.run(
    `MATCH (l:TopoplanLedger) RETURN l.step_id AS stepId, l.file AS file, l.statements AS statements, l.checksum AS checksum,
       l.phase AS phase, l.status AS status, toString(l.applied_at) AS appliedAt, l.duration_ms AS durationMs, l.sql AS sql
     ORDER BY l.applied_at, l.step_id`,
  );
  return r.records.map((rec) => ({
    stepId: rec.get('stepId') as string,
    ...(rec.get('file') ? { file: rec.get('file') as string } : {}),
    statements: (rec.get('statements') as string | null) ?? '',
    checksum: rec.get('checksum') as string,
    phase: rec.get('phase') as string,
    status: rec.get('status') as 'applied' | 'started',
    appliedAt: new Date(rec.get('appliedAt') as string).toISOString(),
    durationMs: Number(rec.get('durationMs') ?? 0),
    sql: (rec.get('sql') as string | null) ?? '',
  }));
}

/** Writes the records and deletes the per-step nodes in one write transaction. */
export async function upgradeLedger(session: Session, records: readonly LedgerWrite[]): Promise<void> {
  await ensureLedger(session);
  await session.executeWrite(async (tx) => {
    const left = await tx.run('MATCH (l:TopoplanLedger) RETURN count(l) AS n');
    if (Number(left.records[0]?.get('n') ?? 0) === 0) return;
    await writeRecords(tx, records);
    await tx.run('MATCH (l:TopoplanLedger) DELETE l');
  });
  await session.run('DROP CONSTRAINT topoplan_ledger_step IF EXISTS');
}
