/**
 * ClickHouse apply benchmark: the collector fixture (three databases, 30-odd
 * statements) applied by applyPlan to embedded ClickHouse, against what a
 * golang-migrate user has — the same statements, one by one through the same
 * client, in the plan's order, with no ledger — measured alternately in one
 * process (chdb opens one data directory per process, so each run drops the
 * fixture's databases first; the order rotates each round, since what a run
 * costs depends on what the drop before it removed: the files a run makes
 * cost the kernel more after many were deleted), plus the time of a no-op re-apply. Both wall
 * time and the process's CPU time are measured: chdb runs inside the process,
 * so CPU time counts the work of both sides and not what other processes on a
 * busy machine make them wait. For context only (the target is against the
 * statements alone), the same statements with what golang-migrate itself adds
 * in each database: its `schema_migrations` table (looked for, created, its
 * version read) and a dirty row before each file and a clean one after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouse } from '../src/engines/clickhouse/clickhouse-connection.js';
import { embeddedClickHouseUrl } from '../src/engines/embedded/embedded-clickhouse-url.js';
import { applyPlan } from '../src/execute/apply-plan.js';
import { namedClusters } from '../src/execute/named-clusters.js';
import { planMigration } from '../src/plan/plan-migration.js';

const topology = process.argv[2] ?? 'test/fixtures/collector/collector-single.yaml';
const dir = mkdtempSync(join(tmpdir(), 'topoplan-ch-bench-'));
/** Each variant runs first, second and third in as many rounds. */
const ROUNDS = 6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plan = await planMigration(topology, { env: {} });
const url = await embeddedClickHouseUrl(join(dir, 'ch'), namedClusters(plan));
const conn = await openClickHouse(url);
const databases = plan.stores.map((s) => s.database);
const connections = Object.fromEntries(plan.stores.map((s) => [s.name, url]));

async function fresh(): Promise<void> {
  for (const db of databases) await conn.command(`DROP DATABASE IF EXISTS \`${db}\` SYNC`);
}

interface Took { wall: number; cpu: number }
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function timed(work: () => Promise<void>): Promise<Took> {
  const [t0, c0] = [performance.now(), cpuMs()];
  await work();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

function ours(): Promise<Took> {
  return timed(async () => {
    const r = await applyPlan(plan, { connections, workDir: dir });
    if (!r.ok) throw new Error(`apply failed: ${r.rootCauses.map((x) => x.error?.message).join('; ')}`);
  });
}

function baseline(): Promise<Took> {
  return timed(async () => {
    for (const step of plan.steps) {
      for (const [i, sql] of step.statements.entries()) await conn.command(sql, step.kind === 'create_database' ? undefined : step.database, step.settings?.[i]);
    }
  });
}

/** The statements as golang-migrate runs them, with its version table in each database (TinyLog, as its ClickHouse driver makes it). */
function withVersionTable(): Promise<Took> {
  return timed(async () => {
    const open = new Map<string, { file: string; version: number }>();
    const mark = (db: string, version: number, dirty: 0 | 1) =>
      conn.command(`INSERT INTO \`${db}\`.schema_migrations (version, dirty, sequence) VALUES (${version}, ${dirty}, ${Date.now() * 1000 + (seq++ % 1000)})`);
    let seq = 0;
    for (const step of plan.steps) {
      for (const [i, sql] of step.statements.entries()) {
        const db = step.database;
        const file = step.source?.file;
        const now = open.get(db);
        if (file && now?.file !== file) {
          if (now) await mark(db, now.version, 0);
          const version = Number(/(\d+)_[^/]*$/.exec(file)?.[1] ?? 0);
          open.set(db, { file, version });
          await mark(db, version, 1);
        }
        await conn.command(sql, step.kind === 'create_database' ? undefined : db, step.settings?.[i]);
        if (step.kind === 'create_database') {
          await conn.rows(`SHOW TABLES FROM \`${db}\` LIKE 'schema_migrations'`);
          await conn.command(`CREATE TABLE IF NOT EXISTS \`${db}\`.schema_migrations (version Int64, dirty UInt8, sequence UInt64) ENGINE = TinyLog`);
          await conn.rows(`SELECT version, dirty FROM \`${db}\`.schema_migrations ORDER BY sequence DESC LIMIT 1`);
        }
      }
    }
    for (const [db, now] of open) await mark(db, now.version, 0);
  });
}

try {
  const oursMs: Took[] = [];
  const migrateMs: Took[] = [];
  const baseMs: Took[] = [];
  // One warm-up of each: chdb loads lazily and the first statements pay for it.
  await fresh();
  await baseline();
  await fresh();
  await ours();
  const variants = [() => ours().then((t) => oursMs.push(t)), () => baseline().then((t) => baseMs.push(t)), () => withVersionTable().then((t) => migrateMs.push(t))];
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < variants.length; k++) {
      await fresh();
      await variants[(i + k) % variants.length]!();
    }
  }
  await fresh();
  await ours();
  const noop: Took[] = [];
  for (let i = 0; i < 3; i++) noop.push(await ours());
  const statements = plan.steps.reduce((n, s) => n + s.statements.length, 0);
  const [wall, cpu] = [(xs: Took[]) => median(xs.map((x) => x.wall)), (xs: Took[]) => median(xs.map((x) => x.cpu))];
  const show = (xs: Took[]) => `${wall(xs).toFixed(0)} ms (CPU ${cpu(xs).toFixed(0)} ms)`;
  process.stdout.write(`${plan.topology}: ${plan.steps.length} steps, ${statements} statements on ${databases.length} databases (embedded ClickHouse), median of ${ROUNDS} alternating runs (order rotating)\n`);
  process.stdout.write(`topoplan apply (ledger rows, lock, expectations): ${show(oursMs)}\n`);
  process.stdout.write(`baseline (each statement in order through the same client, no ledger): ${show(baseMs)}\n`);
  process.stdout.write(`ratio apply/baseline: ${(wall(oursMs) / wall(baseMs)).toFixed(2)} wall, ${(cpu(oursMs) / cpu(baseMs)).toFixed(2)} CPU (target <= 1.50)\n`);
  process.stdout.write(`no-op re-apply: ${show(noop)}\n`);
  process.stdout.write(`for context: the statements with golang-migrate's version table (schema_migrations per database, a dirty and a clean row per file): ${show(migrateMs)}; apply against it ${(wall(oursMs) / wall(migrateMs)).toFixed(2)} wall, ${(cpu(oursMs) / cpu(migrateMs)).toFixed(2)} CPU\n`);
} finally {
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
