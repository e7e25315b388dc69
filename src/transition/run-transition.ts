/**
 * `runTransition()`: moves a running system from topology A to B in phases
 * that can be stopped and resumed. expand applies B's plan (new databases
 * and schema); copy streams each moving table, parents first, recording it
 * in the target's transition ledger in the same transaction; verify compares
 * row counts and key checksums; cutover returns each moved service's new
 * connection; contract (opt-in) backs up and drops the moved tables from
 * their old database, and the functions, types, sequences and views the
 * moved services owned there (kept as definitions that recreate them). Every phase is idempotent.
 *
 * @example
 * const r = await runTransition(planTransition(planA, planB), { fromConnections, toConnections, workDir: '/tmp/t' });
 * r.tables // [{ table: 'likes', status: 'copied', rows: 1200 }, ...]
 */
import pg from 'pg';
import type { BackupFile } from '../engines/engine.js';
import { backupDirFor, backupRunId } from '../engines/backup-manifest.js';
import { databaseUrl } from '../engines/postgres/postgres-url.js';
import { engineFor } from '../engines/registry.js';
import { applyPlan, type ApplyResult } from '../execute/apply-plan.js';
import { columnMapping, type ColumnMapping } from './column-mapping.js';
import { contractObject, type ObjectResult } from './contract-objects.js';
import { copyTable, quoteIdent, tableChecksum } from './copy-table.js';
import type { Cutover, TableMove, TransitionPlan } from './plan-transition.js';
import { seedRowsToReplace } from './seed-rows.js';
import { syncSequences } from './sync-sequences.js';
import { ensureTransitionLedger, readTransitionRow, recordMovedTable, writeTransitionRow } from './transition-ledger.js';

import { PHASES, type TransitionPhase } from './phases.js';
export { PHASES, type TransitionPhase };

export interface TransitionOptions {
  readonly fromConnections: Readonly<Record<string, string | undefined>>;
  readonly toConnections: Readonly<Record<string, string | undefined>>;
  /** Phases to run, in order; default all but contract (contract also needs `contract: true`). */
  readonly phases?: readonly TransitionPhase[];
  readonly contract?: boolean;
  readonly workDir: string;
  readonly onEvent?: (e: { type: 'phase'; phase: TransitionPhase } | { type: 'table'; result: TableResult } | { type: 'mapping'; mapping: ColumnMapping } | { type: 'object'; result: ObjectResult }) => void;
  /** Called inside a table's copy transaction just before COMMIT; throwing aborts that table's copy. */
  readonly beforeTableCommit?: (table: string) => void | Promise<void>;
}

export interface TableResult {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly status: 'copied' | 'already-copied' | 'verified' | 'mismatch' | 'contracted' | 'failed';
  readonly rows?: number;
  /** Seed rows (put there by B's migrations) that the copy replaced, per table, in the copy's transaction. */
  readonly replaced?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** What a snapshot and a live transition both report, phase by phase. */
export interface TransitionResultBase {
  readonly ok: boolean;
  readonly expand?: ApplyResult;
  readonly tables: readonly TableResult[];
  /** What contract did with each function, type, sequence and view the moved services left in their old database. */
  readonly objects: readonly ObjectResult[];
  readonly cutover: readonly Cutover[];
  readonly backups: readonly BackupFile[];
}

export interface TransitionResult extends TransitionResultBase {
  /** Per table the copy phase copied, how its columns map from A's shape to B's (see `same`). */
  readonly mappings: readonly ColumnMapping[];
}

export async function runTransition(tp: TransitionPlan, options: TransitionOptions): Promise<TransitionResult> {
  const phases = (options.phases ?? PHASES.filter((p) => p !== 'contract')).filter((p) => p !== 'contract' || options.contract);
  const emit = options.onEvent ?? (() => undefined);
  const clients = new Clients();
  const tables: TableResult[] = [];
  const backups: BackupFile[] = [];
  const mappings: ColumnMapping[] = [];
  const objects: ObjectResult[] = [];
  let expand: ApplyResult | undefined;
  let ok = true;
  const record = (r: TableResult) => {
    tables.push(r);
    if (r.status === 'failed' || r.status === 'mismatch') ok = false;
    emit({ type: 'table', result: r });
  };
  try {
    for (const phase of PHASES.filter((p) => phases.includes(p))) {
      emit({ type: 'phase', phase });
      if (phase === 'expand') {
        expand = await applyPlan(tp.planB, { connections: options.toConnections, workDir: options.workDir, verify: false });
        if (!expand.ok) return { ok: false, expand, tables, objects, cutover: [], backups, mappings };
        for (const m of tp.tables) await markExpanded(clients, m, options);
      } else if (phase === 'copy') {
        // Every table still to copy is compared first: a shape problem stops the phase before any row moves.
        const mapped = new Map<string, ColumnMapping>();
        for (const m of tp.tables) {
          const r = await mapOne(clients, m, options);
          if (!r) continue;
          if ('status' in r) record(r);
          else {
            mapped.set(m.table, r);
            mappings.push(r);
            if (!r.same) emit({ type: 'mapping', mapping: r });
            if (r.problems.length) record({ ...where(m), status: 'failed', error: r.problems.join('; ') });
          }
        }
        if (!ok) break;
        for (const m of tp.tables) {
          const r = await copyOne(clients, m, options, tp, mapped.get(m.table));
          record(r);
          if (r.status === 'failed') break;
        }
      } else if (phase === 'verify') {
        for (const m of tp.tables) record(await verifyOne(clients, m, options));
      } else if (phase === 'contract') {
        // Views go before the tables they read; functions, types and sequences after the tables that use them.
        const contractObjects = async (views: boolean) => {
          for (const m of tp.objects.filter((x) => (x.kind === 'view' || x.kind === 'materialized_view') === views)) {
            const r = await contractObject(await clients.get(options.fromConnections[m.from.store], m.from.database, `${m.kind} "${m.name}" in A`), m, { workDir: options.workDir, backups });
            objects.push(r);
            if (r.status === 'failed') ok = false;
            emit({ type: 'object', result: r });
          }
        };
        await contractObjects(true);
        for (const m of [...tp.tables].reverse()) record(await contractOne(clients, m, options, backups));
        if (ok) await contractObjects(false);
      }
      if (!ok) break;
    }
  } finally {
    await clients.close();
  }
  return { ok, ...(expand ? { expand } : {}), tables, objects, cutover: phases.includes('cutover') && ok ? tp.cutover : [], backups, mappings };
}

/** One connection per (server, database), opened on first use. */
export class Clients {
  private readonly open = new Map<string, Promise<pg.Client>>();
  get(url: string | undefined, database: string, what: string): Promise<pg.Client> {
    if (!url) throw new Error(`transition: store of ${what} has no connection url`);
    const key = databaseUrl(url, database);
    let c = this.open.get(key);
    if (!c) {
      c = (async () => {
        const client = new pg.Client({ connectionString: key, application_name: 'topoplan transition' });
        client.on('error', () => undefined);
        await client.connect();
        return client;
      })();
      this.open.set(key, c);
    }
    return c;
  }
  async close(): Promise<void> {
    for (const c of this.open.values()) await (await c).end().catch(() => undefined);
  }
}

const ends = (clients: Clients, m: TableMove, o: TransitionOptions) =>
  Promise.all([clients.get(o.fromConnections[m.from.store], m.from.database, `"${m.table}" in A`), clients.get(o.toConnections[m.to.store], m.to.database, `"${m.table}" in B`)]);

/** After expand, remember how many rows B's own migrations put in each target table (seed data the copy may replace). */
async function markExpanded(clients: Clients, m: TableMove, o: TransitionOptions): Promise<void> {
  const target = await clients.get(o.toConnections[m.to.store], m.to.database, `"${m.table}" in B`);
  await ensureTransitionLedger(target);
  const row = await readTransitionRow(target, m.table);
  if (row) return;
  const n = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(m.table)}`);
  await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'expanded', rows: Number(n.rows[0]!.n) });
}

const where = (m: TableMove) => ({ table: m.table, from: `${m.from.store}/${m.from.database}`, to: `${m.to.store}/${m.to.database}` });

/** The column mapping of a table still to copy; undefined when it is copied already. */
async function mapOne(clients: Clients, m: TableMove, o: TransitionOptions): Promise<ColumnMapping | TableResult | undefined> {
  try {
    const [source, target] = await ends(clients, m, o);
    await ensureTransitionLedger(target);
    const row = await readTransitionRow(target, m.table);
    if (row && row.status !== 'expanded') return undefined;
    return await columnMapping(source, target, m.table, { from: m.from.database, to: m.to.database });
  } catch (e) {
    return { ...where(m), status: 'failed', error: `transition: comparing the columns of "${m.table}" in ${m.from.database} and ${m.to.database} failed: ${(e as Error).message}` };
  }
}

async function copyOne(clients: Clients, m: TableMove, o: TransitionOptions, tp: TransitionPlan, mapping: ColumnMapping | undefined): Promise<TableResult> {
  const base = where(m);
  try {
    const [source, target] = await ends(clients, m, o);
    await ensureTransitionLedger(target);
    const row = await readTransitionRow(target, m.table);
    if (row && row.status !== 'expanded') return { ...base, status: 'already-copied', rows: row.rows };
    const present = Number((await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(m.table)}`)).rows[0]!.n);
    if (present > 0 && (!row || row.rows !== present)) {
      return { ...base, status: 'failed', error: `transition: "${m.table}" in ${m.to.database} already holds ${present} rows that this transition did not put there; move them aside or empty the table, then re-run` };
    }
    const seeds = await seedRowsToReplace(target, m.table, {
      present,
      database: m.to.database,
      moving: (t) => tp.tables.some((x) => x.table === t && x.to.store === m.to.store && x.to.database === m.to.database),
    });
    if (seeds.error) return { ...base, status: 'failed', error: seeds.error };
    const map = mapping ?? (await columnMapping(source, target, m.table, { from: m.from.database, to: m.to.database }));
    const rows = await copyTable({
      source,
      target,
      table: m.table,
      columns: map.copied,
      format: map.format,
      clear: seeds.clear.map((c) => c.table),
      beforeCommit: async (t, n) => {
        // A referencing table emptied here now holds no seed rows; its own copy comes later.
        for (const c of seeds.clear) {
          const d = tp.tables.find((x) => x.table === c.table && c.table !== m.table);
          if (d) await writeTransitionRow(t, { table: d.table, from: d.from.store, to: d.to.store, status: 'expanded', rows: 0 });
        }
        await syncSequences(source, t, m.table);
        await writeTransitionRow(t, { table: m.table, from: m.from.store, to: m.to.store, status: 'copied', rows: n });
        await recordMovedTable(t, tp.planB, m.to.store, m.table);
        await o.beforeTableCommit?.(m.table);
      },
    });
    if (seeds.clear.length) return { ...base, status: 'copied', rows, replaced: Object.fromEntries(seeds.clear.map((c) => [c.table, c.rows])) };
    return { ...base, status: 'copied', rows };
  } catch (e) {
    const hint = mapping?.format === 'text' ? `; the columns ${mapping.columns.filter((c) => c.how === 'convert').map((c) => `"${c.name}" (${c.from} → ${c.to})`).join(', ')} are converted through their text form: make B's types accept A's values, or convert them in A first` : '';
    return { ...base, status: 'failed', error: `transition: copying "${m.table}" from ${m.from.database} to ${m.to.database} failed: ${(e as Error).message}${hint}` };
  }
}

async function verifyOne(clients: Clients, m: TableMove, o: TransitionOptions): Promise<TableResult> {
  const base = { table: m.table, from: `${m.from.store}/${m.from.database}`, to: `${m.to.store}/${m.to.database}` };
  try {
    const [source, target] = await ends(clients, m, o);
    const [a, b] = await Promise.all([tableChecksum(source, m.table), tableChecksum(target, m.table)]);
    if (a.rows !== b.rows || a.checksum !== b.checksum) {
      return { ...base, status: 'mismatch', rows: b.rows, error: `transition: "${m.table}" differs: ${a.rows} rows (key checksum ${a.checksum.slice(0, 12)}) in ${m.from.database}, ${b.rows} (${b.checksum.slice(0, 12)}) in ${m.to.database}` };
    }
    await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'verified', rows: b.rows, checksum: a.checksum });
    return { ...base, status: 'verified', rows: b.rows };
  } catch (e) {
    return { ...base, status: 'failed', error: `transition: verifying "${m.table}" failed: ${(e as Error).message}` };
  }
}

async function contractOne(clients: Clients, m: TableMove, o: TransitionOptions, backups: BackupFile[]): Promise<TableResult> {
  const base = { table: m.table, from: `${m.from.store}/${m.from.database}`, to: `${m.to.store}/${m.to.database}` };
  try {
    const target = await clients.get(o.toConnections[m.to.store], m.to.database, `"${m.table}" in B`);
    const row = await readTransitionRow(target, m.table);
    if (row?.status === 'contracted') return { ...base, status: 'contracted', rows: row.rows };
    if (row?.status !== 'verified') return { ...base, status: 'failed', error: `transition: "${m.table}" is not verified yet; run the verify phase before contract` };
    const url = o.fromConnections[m.from.store]!;
    const session = await engineFor('postgres').connect({ store: m.from.store, database: m.from.database, url });
    try {
      if ((await session.countRows(m.table).catch(() => -1)) > 0) backups.push(...(await session.backupTables([m.table], backupDirFor(o.workDir, backupRunId(), `${m.from.store}:contract:${m.table}`))));
    } finally {
      await session.close();
    }
    const source = await clients.get(url, m.from.database, `"${m.table}" in A`);
    await source.query(`DROP TABLE IF EXISTS ${quoteIdent(m.table)}`);
    await writeTransitionRow(target, { table: m.table, from: m.from.store, to: m.to.store, status: 'contracted', rows: row.rows, ...(row.checksum ? { checksum: row.checksum } : {}) });
    return { ...base, status: 'contracted', rows: row.rows };
  } catch (e) {
    return { ...base, status: 'failed', error: `transition: contract of "${m.table}" failed: ${(e as Error).message}` };
  }
}
