/**
 * Apply benchmark: the Nova plan B (its PostgreSQL stores) applied to fresh
 * databases by applyPlan, against what a user runs today — every file's
 * statements in sequence over one connection per database, as `psql -f`
 * does, in the plan's order — measured alternately in the same run, plus
 * the time of a no-op re-apply. ClickHouse is left out: its example names
 * its database, so it cannot be applied fresh twice in one process.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/engines/embedded/start-embedded-postgres.js';
import { databaseUrl } from '../src/engines/postgres/postgres-url.js';
import { applyPlan } from '../src/execute/apply-plan.js';
import type { Plan } from '../src/plan/model.js';
import { planMigration } from '../src/plan/plan-migration.js';
import { novaCopy } from '../test/helpers/nova.js';

const dir = mkdtempSync(join(tmpdir(), 'topoplan-apply-bench-'));
// The server runs as its own user, which must be able to enter the directory.
chmodSync(dir, 0o755);
const server = await startEmbeddedPostgres({ dir: join(dir, 'pg') });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function freshPlan(suffix: string): Promise<Plan> {
  const plan = await planMigration(await novaCopy('b', suffix).load());
  const steps = plan.steps.filter((s) => s.engine === 'postgres');
  const ids = new Set(steps.map((s) => s.id));
  return { ...plan, steps: steps.map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => ids.has(d)) })), expectations: [] };
}

const connections = (plan: Plan) => Object.fromEntries(plan.stores.filter((s) => s.engine === 'postgres').map((s) => [s.name, server.url]));

async function ours(plan: Plan): Promise<number> {
  const t0 = performance.now();
  const r = await applyPlan(plan, { connections: connections(plan), workDir: dir, concurrency: 4 });
  if (!r.ok) throw new Error(`apply failed: ${r.rootCauses.map((x) => x.error?.message).join('; ')}`);
  return performance.now() - t0;
}

async function baseline(plan: Plan): Promise<number> {
  const t0 = performance.now();
  const clients = new Map<string, pg.Client>();
  try {
    for (const step of plan.steps) {
      if (step.kind === 'create_database') {
        const admin = new pg.Client({ connectionString: server.url });
        await admin.connect();
        await admin.query(step.statements[0]!);
        await admin.end();
        continue;
      }
      let c = clients.get(step.database);
      if (!c) {
        c = new pg.Client({ connectionString: databaseUrl(server.url, step.database) });
        await c.connect();
        clients.set(step.database, c);
      }
      for (const sql of step.statements) await c.query(sql);
    }
  } finally {
    for (const c of clients.values()) await c.end();
  }
  return performance.now() - t0;
}

try {
  const oursMs: number[] = [];
  const baseMs: number[] = [];
  let last: Plan | undefined;
  for (let i = 0; i < 3; i++) {
    const a = await freshPlan(`o${i}`);
    const b = await freshPlan(`s${i}`);
    oursMs.push(await ours(a));
    baseMs.push(await baseline(b));
    last = a;
  }
  const noop: number[] = [];
  for (let i = 0; i < 3; i++) noop.push(await ours(last!));
  const steps = last!.steps.length;
  process.stdout.write(`nova plan B, ${steps} PostgreSQL steps on ${new Set(last!.steps.map((s) => s.store)).size} databases, median of 3 alternating runs\n`);
  process.stdout.write(`topoplan apply (ledger, locks, parallel stores): ${median(oursMs).toFixed(0)} ms\n`);
  process.stdout.write(`baseline (each file in sequence over one connection, no ledger): ${median(baseMs).toFixed(0)} ms\n`);
  process.stdout.write(`ratio apply/baseline: ${(median(oursMs) / median(baseMs)).toFixed(2)} (target <= 0.70)\n`);
  process.stdout.write(`no-op re-apply: ${median(noop).toFixed(0)} ms (target < 300 ms)\n`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
