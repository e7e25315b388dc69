/**
 * The topoplan ledger of a Neo4j store: one `(:TopoplanLedger)` node per step,
 * unique on `step_id`. Neo4j cannot run schema commands and data writes in one
 * transaction, so a step is written `started`, its statements run one
 * auto-commit transaction each, then it is marked `applied`.
 *
 * @example
 * await ensureLedger(session)
 * await writeLedger(session, step, 'started', 0)
 */
import type { Session } from 'neo4j-driver';
import type { LedgerEntry } from '../engine.js';
import type { Step } from '../../plan/model.js';

export async function ensureLedger(session: Session): Promise<void> {
  await session.run('CREATE CONSTRAINT topoplan_ledger_step IF NOT EXISTS FOR (l:TopoplanLedger) REQUIRE l.step_id IS UNIQUE');
}

export async function writeLedger(session: Session, step: Step, status: 'applied' | 'started', durationMs: number): Promise<void> {
  await session.run(
    `MERGE (l:TopoplanLedger {step_id: $id})
     SET l.file = $file, l.statements = $statements, l.checksum = $checksum, l.phase = $phase,
         l.status = $status, l.applied_at = datetime(), l.duration_ms = $duration, l.sql = $sql`,
    {
      id: step.id,
      file: step.source?.file ?? '',
      statements: step.source ? `${step.source.firstStatement}-${step.source.lastStatement}` : '',
      checksum: step.checksum,
      phase: step.phase,
      status,
      duration: Math.round(durationMs),
      sql: step.statements.join(';\n'),
    },
  );
}

export async function rerecordLedger(session: Session, step: Step): Promise<number> {
  const r = await session.run(
    'MATCH (l:TopoplanLedger {step_id: $id}) SET l.checksum = $checksum, l.sql = $sql RETURN count(l) AS n',
    { id: step.id, checksum: step.checksum, sql: step.statements.join(';\n') },
  );
  return Number(r.records[0]?.get('n') ?? 0);
}

export async function readLedger(session: Session): Promise<LedgerEntry[]> {
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
