/**
 * Keeps a service's `_sqlx_migrations` true to its files when apply finds a
 * file applied already: its row must be there and hold the SHA-384 of the
 * file's bytes now, or the service's migrator fails at start-up. A missing
 * row is written; a row with another checksum means the file was edited
 * after it was applied (often only white space, a comment or line endings,
 * which topoplan's own ledger does not count): an error showing the change,
 * or, with `rerecord`, the row takes the new checksum. A row of the same
 * bytes marked failed (dirty) is an error too, and `rerecord` marks it
 * successful.
 *
 * @example
 * const r = await settleSqlxRow(step, [{ step, states }], rows, session, { rerecord: false });
 * if (r?.error) fail(r.error); else if (r?.note) notes.push(r.note);
 */
import type { EngineSession, SqlxRow } from '../engines/engine.js';
import type { Step } from '../plan/model.js';
import { changeSummary } from './change-summary.js';
import { explainChecksum } from './explain-checksum.js';
import type { StepError } from './step-result.js';
import type { StatementState } from './store-ledger.js';

export interface SqlxSettled {
  readonly note?: string;
  readonly error?: StepError;
}

/** The table a step's sqlx row goes to, as people read it. */
export function sqlxTableName(step: Step): string {
  return step.sqlx?.table ?? '_sqlx_migrations';
}

/** Each step of the file in the store, with what the ledger says of its statements (the last one completes the file). */
export type FileSteps = readonly { readonly step: Step; readonly states: readonly StatementState[] }[];

export interface SqlxRowOptions {
  readonly rerecord?: boolean;
  /** The file's bytes now (see ApplyOptions.readSource), to say what an invisible change was. */
  readonly readSource?: (file: string) => Buffer;
}

export async function settleSqlxRow(step: Step, file: FileSteps, rows: ReadonlyMap<string, SqlxRow>, session: EngineSession, options: SqlxRowOptions): Promise<SqlxSettled | undefined> {
  const sqlx = step.sqlx;
  if (!sqlx?.completesFile || !session.writeSqlxRows) return undefined;
  const row = rows.get(sqlx.version);
  const where = `version ${sqlx.version} of ${sqlxTableName(step)}`;
  if (row && row.checksum === sqlx.checksumSha384 && row.success) return undefined;
  if (!row) {
    await session.writeSqlxRows([sqlx]);
    return { note: `recorded its missing sqlx row (${where})` };
  }
  const src = step.source!;
  if (row.checksum === sqlx.checksumSha384) {
    // The bytes are the applied ones; only the row says the migration failed (a run of sqlx itself that broke off).
    if (options.rerecord) {
      await session.writeSqlxRows([sqlx]);
      return { note: `marked ${where} successful (it was marked failed)` };
    }
    return {
      error: {
        message: `apply: ${where} ("${src.file}") is marked failed (dirty), so the service's sqlx::migrate!() fails at start-up (Dirty(${sqlx.version})); topoplan's ledger has the file applied: check its effect in store "${step.store}", then mark the row successful with --rerecord (the database is not changed)`,
        file: src.file,
        line: src.line,
      },
    };
  }
  if (options.rerecord) {
    await session.writeSqlxRows([sqlx]);
    return { note: `re-recorded the sqlx checksum of ${where} (SHA-384 of the file as it is now)` };
  }
  return {
    error: {
      message: `apply: "${src.file}" changed since it was applied to store "${step.store}": the SHA-384 of its bytes is not the checksum in ${where}, so the service's sqlx::migrate!() fails at start-up (VersionMismatch(${sqlx.version}))${row.success ? '' : ' and the row is marked failed (dirty)'}:\n${fileChange(file, row.checksum, options.readSource)}\nrevert the file, or accept it as it is with --rerecord (updates the checksum; the database is not changed)`,
      file: src.file,
      line: src.line,
    },
  };
}

/** What changed in the step's statements since they were recorded, shown so that invisible changes can be seen. */
function fileChange(file: FileSteps, recorded: string, readSource: SqlxRowOptions['readSource']): string {
  const parts: string[] = [];
  for (const { step, states } of file) {
    const src = step.source!;
    states.forEach((s, i) => {
    if (s.state !== 'applied' && s.state !== 'changed') return;
    const before = s.record.source ?? s.record.sql;
    const now = src.original?.[i] ?? step.statements[i]!;
    if (before !== now) parts.push(`statement ${src.ordinals[i]! + 1} (line ${src.statementLines[i]}):\n${changeSummary(before, now)}`);
    });
  }
  if (parts.length > 0) return parts.join('\n');
  const explained = sourceChange(file[0]!.step.source!.file, recorded, readSource);
  if (explained) {
    const [head, ...lines] = explained.split('\n');
    return [`  (every statement reads as it did: ${head})`, ...lines].join('\n');
  }
  return '  (every statement reads as it did: the change is outside them, in comments, blank lines, line endings or a byte-order mark between or around them)';
}

/** The invisible change to the file's bytes that explains the recorded checksum, if the file can be read and one does. */
export function sourceChange(file: string, recorded: string, readSource: SqlxRowOptions['readSource']): string | undefined {
  if (!readSource) return undefined;
  try {
    return explainChecksum(readSource(file), recorded);
  } catch {
    // A file that cannot be read now (moved, no permission) leaves the general message.
    return undefined;
  }
}
