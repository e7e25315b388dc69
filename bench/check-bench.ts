/**
 * Check benchmark: `checkPlan()` of the Nova example (plan B: PostgreSQL and
 * ClickHouse stores) against a plain `applyPlan()` of the same plan to fresh
 * stores, alternately in the same run, median of 3.
 *
 * The check is timed whole, as a user waits for it: making its scratch
 * engines (PostgreSQL copied from the cached template, a new chdb), the
 * apply, the expectations, inspecting every store and comparing it with the
 * committed schema files, and removing it all. The apply is timed on
 * engines already running (a durable embedded PostgreSQL, a chdb opened
 * beforehand), on databases it has never seen: its own cost, without any
 * engine start. A first check on a machine also makes the template (initdb);
 * it runs before the timed ones and is reported apart.
 *
 * Then a checker that keeps its engines between checks (`openChecker()`,
 * each check on emptied engines) against the same apply: the two do the
 * same work, apart from the check's inspection and reset (three applies,
 * then three checks: chdb opens one data directory per process at a time).
 *
 * Then the same as a user types it, each a process of its own that plans
 * first: `topoplan check FILE` against `topoplan apply FILE --data-dir NEW`
 * (which starts embedded engines in a new data directory, as a first apply
 * on a machine does).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkPlan } from '../src/check/check-plan.js';
import { openChecker } from '../src/check/open-checker.js';
import { acquireChdb } from '../src/engines/clickhouse/chdb-registry.js';
import { chdbPath } from '../src/engines/clickhouse/clickhouse-connection.js';
import { embeddedClickHouseUrl } from '../src/engines/embedded/embedded-clickhouse-url.js';
import { startEmbeddedPostgres } from '../src/engines/embedded/start-embedded-postgres.js';
import { applyPlan } from '../src/execute/apply-plan.js';
import type { Plan } from '../src/plan/model.js';
import { planMigration } from '../src/plan/plan-migration.js';
import { connectionsFor, novaCopy } from '../test/helpers/nova.js';

const repo = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'topoplan-check-bench-'));
// The server runs as its own user, which must be able to enter the directory.
chmodSync(dir, 0o755);
const cacheDir = join(dir, 'cache');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const server = await startEmbeddedPostgres({ dir: join(dir, 'pg') });

const checked = await planMigration(join(repo, 'topologies', 'nova-plan-b.yaml'));
const schemaDir = join(repo, 'topologies', 'schema', 'nova-plan-b');

async function check(): Promise<number> {
  const t0 = performance.now();
  const r = await checkPlan(checked, { schemaDir, cacheDir });
  if (!r.ok) throw new Error(`check failed: ${r.failures.map((f) => `${f.file}:${f.line}: ${f.message}`).join('; ') || JSON.stringify(r.schemaFiles.filter((f) => f.status !== 'same'))}`);
  return performance.now() - t0;
}

async function apply(i: number): Promise<number> {
  const copy = novaCopy('b', `bench${i}`);
  const topology = await copy.load();
  const plan: Plan = await planMigration(topology);
  const chUrl = await embeddedClickHouseUrl(join(dir, `ch${i}`));
  const ch = await acquireChdb(chdbPath(chUrl)!);
  try {
    await ch.run((c) => c.ping());
    const t0 = performance.now();
    const r = await applyPlan(plan, { connections: connectionsFor(topology, server.url, chUrl), workDir: join(dir, `work${i}`), concurrency: 4 });
    const ms = performance.now() - t0;
    const failed = r.steps.filter((x) => x.status === 'failed' || x.status === 'skipped');
    if (failed.length > 0) throw new Error(`apply failed: ${failed.map((x) => `${x.id}: ${x.error?.message ?? x.reason ?? x.status}`).join('; ')}`);
    return ms;
  } finally {
    await ch.release();
    rmSync(copy.dir, { recursive: true, force: true });
  }
}

/** One CLI run, timed; it must exit 0. */
function cli(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'topoplan.js'), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`topoplan ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout.slice(-2000)}`);
  return performance.now() - t0;
}

try {
  const first = await check();
  const checkMs: number[] = [];
  const applyMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    applyMs.push(await apply(i));
    checkMs.push(await check());
  }
  const steps = checked.steps.filter((s) => s.engine !== 'neo4j').length;
  process.stdout.write(`nova plan B, ${steps} PostgreSQL and ClickHouse steps on ${checked.stores.filter((s) => s.engine !== 'neo4j').length} stores, median of 3 alternating runs\n`);
  process.stdout.write(`topoplan check (scratch engines made and removed, expectations, schema files compared): ${median(checkMs).toFixed(0)} ms (runs: ${checkMs.map((x) => x.toFixed(0)).join(', ')})\n`);
  process.stdout.write(`topoplan apply to fresh stores on running engines: ${median(applyMs).toFixed(0)} ms (runs: ${applyMs.map((x) => x.toFixed(0)).join(', ')})\n`);
  process.stdout.write(`ratio check/apply: ${(median(checkMs) / median(applyMs)).toFixed(2)} (target <= 1.20)\n`);
  process.stdout.write(`first check on this machine (makes the PostgreSQL template): ${first.toFixed(0)} ms\n`);
  // chdb opens one data directory per process at a time: the applies run before the checker opens its engines.
  const applyMs2: number[] = [];
  for (let i = 0; i < 3; i++) applyMs2.push(await apply(10 + i));
  const checker = await openChecker({ cacheDir });
  const keptMs: number[] = [];
  try {
    await checker.check(checked, { schemaDir });
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await checker.check(checked, { schemaDir });
      keptMs.push(performance.now() - t0);
      if (!r.ok) throw new Error('check on kept engines failed');
    }
  } finally {
    await checker.close();
  }
  process.stdout.write(`checker with kept engines (emptied after each check): ${median(keptMs).toFixed(0)} ms against apply ${median(applyMs2).toFixed(0)} ms: ratio ${(median(keptMs) / median(applyMs2)).toFixed(2)} (target <= 1.20)\n`);
  const cliCheck: number[] = [];
  const cliApply: number[] = [];
  for (let i = 0; i < 3; i++) {
    cliApply.push(cli(['apply', 'topologies/nova-plan-b.yaml', '--data-dir', join(dir, `cli${i}`)]));
    cliCheck.push(cli(['check', 'topologies/nova-plan-b.yaml', '--cache-dir', cacheDir]));
  }
  process.stdout.write(`as typed: topoplan check ${median(cliCheck).toFixed(0)} ms against topoplan apply --data-dir NEW ${median(cliApply).toFixed(0)} ms: ratio ${(median(cliCheck) / median(cliApply)).toFixed(2)}\n`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
