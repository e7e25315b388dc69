/**
 * What `status` says of a store's `_sqlx_migrations` rows: for every file of
 * an sqlx service that the ledger has as applied, whether its row is there
 * and holds the SHA-384 of the file's bytes now. A file edited after it was
 * applied in ways topoplan's own ledger does not count (white space, a
 * comment, line endings) leaves every statement applied, yet the service's
 * `sqlx::migrate!()` fails at start-up on it: status names it, with what to do.
 * It reads and never writes.
 *
 * @example
 * await sqlxRowStatus(steps, ledger, session)
 * // [{ file: 'social/003_likes.sql', version: '3', table: '_sqlx_migrations_social', problem: 'mismatch', message: '…', hint: '… --rerecord …' }]
 */
import type { EngineSession, SqlxRow } from '../engines/engine.js';
import type { Step } from '../plan/model.js';
import { sourceChange, sqlxTableName, type SqlxRowOptions } from './sqlx-row-check.js';
import type { StoreLedger } from './store-ledger.js';

/** An applied file whose sqlx row its service's migrator would not accept. */
export interface SqlxRowProblem {
  readonly file: string;
  readonly version: string;
  /** The table as people read it: `_sqlx_migrations` unless the service declares another. */
  readonly table: string;
  /** `missing`: no row (sqlx would run the file again); `mismatch`: another checksum (VersionMismatch); `dirty`: marked failed. */
  readonly problem: 'missing' | 'mismatch' | 'dirty';
  readonly message: string;
  readonly hint: string;
}

const REVERT_OR_RERECORD = 'revert the file to the bytes it had when applied, or accept it as it is with `topoplan apply --rerecord` (updates the checksum; the database is not changed)';

export async function sqlxRowStatus(steps: readonly Step[], ledger: StoreLedger, session: EngineSession, options: Pick<SqlxRowOptions, 'readSource'> = {}): Promise<SqlxRowProblem[]> {
  if (!session.readSqlxRows) return [];
  const tables = new Map<string, Promise<ReadonlyMap<string, SqlxRow>>>();
  const rowsOf = (table: string | undefined) => {
    const key = table ?? '';
    if (!tables.has(key)) tables.set(key, session.readSqlxRows!(table));
    return tables.get(key)!;
  };
  // The steps of each file, grouped once: a file is applied when all of them are.
  const byFile = new Map<string, Step[]>();
  for (const s of steps) {
    if (!s.source) continue;
    const list = byFile.get(s.source.file);
    if (list) list.push(s);
    else byFile.set(s.source.file, [s]);
  }
  const out: SqlxRowProblem[] = [];
  for (const step of steps) {
    const sqlx = step.sqlx;
    if (!sqlx?.completesFile || !step.source) continue;
    const file = step.source.file;
    const applied = byFile.get(file)!.every((s) => ledger.states(s).every((st) => st.state === 'applied' || st.state === 'changed'));
    if (!applied) continue;
    const row = (await rowsOf(sqlx.table)).get(sqlx.version);
    const table = sqlxTableName(step);
    const where = `version ${sqlx.version} of ${table}`;
    const service = step.service ? `service "${step.service}"` : 'the service';
    if (!row) {
      out.push({ file, version: sqlx.version, table, problem: 'missing', message: `"${file}" is applied but has no row (${where}): ${service}'s sqlx::migrate!() would run it again at start-up`, hint: 'the next `topoplan apply` writes the row' });
    } else if (row.checksum !== sqlx.checksumSha384) {
      const change = sourceChange(file, row.checksum, options.readSource);
      out.push({ file, version: sqlx.version, table, problem: 'mismatch', message: `"${file}" changed since it was applied: the SHA-384 of its bytes is not the checksum in ${where}, so ${service}'s sqlx::migrate!() fails at start-up (VersionMismatch(${sqlx.version}))${change ? `; ${change}` : ''}`, hint: REVERT_OR_RERECORD });
    } else if (!row.success) {
      out.push({ file, version: sqlx.version, table, problem: 'dirty', message: `${where} ("${file}") is marked failed: ${service}'s sqlx::migrate!() fails at start-up (Dirty(${sqlx.version}))`, hint: 'the file is applied in topoplan\'s ledger: `topoplan apply --rerecord` marks the row successful' });
    }
  }
  return out;
}
