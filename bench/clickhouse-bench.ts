/**
 * ClickHouse apply benchmark: the collector fixture (three databases, 30-odd
 * statements) applied by applyPlan to embedded ClickHouse, against what a
 * golang-migrate user has — the same statements, one by one through the same
 * client, in the plan's order, with no ledger — measured alternately in one
 * process (chdb opens one data directory per process, so each run drops the
 * fixture's databases first), plus the time of a no-op re-apply.
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
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const plan = await planMigration(topology, { env: {} });
const url = await embeddedClickHouseUrl(join(dir, 'ch'), namedClusters(plan));
const conn = await openClickHouse(url);
const databases = plan.stores.map((s) => s.database);
const connections = Object.fromEntries(plan.stores.map((s) => [s.name, url]));

async function fresh(): Promise<void> {
  for (const db of databases) await conn.command(`DROP DATABASE IF EXISTS \`${db}\` SYNC`);
}

async function ours(): Promise<number> {
  const t0 = performance.now();
  const r = await applyPlan(plan, { connections, workDir: dir });
  if (!r.ok) throw new Error(`apply failed: ${r.rootCauses.map((x) => x.error?.message).join('; ')}`);
  return performance.now() - t0;
}

async function baseline(): Promise<number> {
  const t0 = performance.now();
  for (const step of plan.steps) {
    for (const [i, sql] of step.statements.entries()) await conn.command(sql, step.kind === 'create_database' ? undefined : step.database, step.settings?.[i]);
  }
  return performance.now() - t0;
}

try {
  const oursMs: number[] = [];
  const baseMs: number[] = [];
  // One warm-up of each: chdb loads lazily and the first statements pay for it.
  await fresh();
  await baseline();
  await fresh();
  await ours();
  for (let i = 0; i < 5; i++) {
    await fresh();
    oursMs.push(await ours());
    await fresh();
    baseMs.push(await baseline());
  }
  await fresh();
  await ours();
  const noop: number[] = [];
  for (let i = 0; i < 3; i++) noop.push(await ours());
  const statements = plan.steps.reduce((n, s) => n + s.statements.length, 0);
  process.stdout.write(`${plan.topology}: ${plan.steps.length} steps, ${statements} statements on ${databases.length} databases (embedded ClickHouse), median of 5 alternating runs\n`);
  process.stdout.write(`topoplan apply (ledger rows, lock, parallel stores): ${median(oursMs).toFixed(0)} ms\n`);
  process.stdout.write(`baseline (each statement in order through the same client, no ledger): ${median(baseMs).toFixed(0)} ms\n`);
  process.stdout.write(`ratio apply/baseline: ${(median(oursMs) / median(baseMs)).toFixed(2)} (target <= 1.50)\n`);
  process.stdout.write(`no-op re-apply: ${median(noop).toFixed(0)} ms\n`);
} finally {
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
