/**
 * Check benchmark: the Nova example (plan B: PostgreSQL and ClickHouse
 * stores) checked on throwaway engines against a plain `applyPlan()` of the
 * same plan to fresh stores, alternately in the same run, median of 3, in
 * wall time and in CPU time (this process, with chdb inside it, and the
 * PostgreSQL server used, with its backends; see process-cpu.ts). On a
 * shared machine wall time follows the load; CPU time follows the work.
 *
 * A check does two things an apply does not: it makes and removes its
 * engines, and it inspects every store to compare the schema with the
 * committed files. By default it also rolls the whole plan back on the same
 * engines (the proof that every revert works), which is a second plan's worth
 * of work; so each check is measured twice, without the reverts (what the
 * apply does, proven: the 1.2x target) and with them (against the apply
 * followed by the same rollback on its server).
 *
 * 1. Timed whole, as a user waits for it: making the scratch engines
 *    (PostgreSQL copied from the cached template, a new chdb), the apply, the
 *    expectations, inspecting every store and comparing it with the committed
 *    schema files, the reverts when asked, and removing it all; the apply on
 *    engines already running (a durable embedded PostgreSQL, a chdb opened
 *    beforehand), on databases it has never seen. A first check on a machine
 *    also makes the template (initdb); it runs before the timed ones.
 * 2. On kept engines (as `openChecker()` keeps them, each check on emptied
 *    engines) against the same apply: the same work apart from the check's
 *    inspection and reset.
 * 3. As a user types it, each a process of its own that plans first (wall
 *    time only): `topoplan check FILE` with and without `--no-reverts`
 *    against `topoplan apply FILE --data-dir NEW`, which starts embedded
 *    engines in a new data directory, as a first apply on a machine does.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkOn, storesUsed } from '../src/check/check-plan.js';
import type { CheckResult } from '../src/check/check-result.js';
import { startScratchEngines, type ScratchEngines } from '../src/check/scratch-engines.js';
import { separateDatabases } from '../src/check/separate-databases.js';
import { acquireChdb } from '../src/engines/clickhouse/chdb-registry.js';
import { chdbPath } from '../src/engines/clickhouse/clickhouse-connection.js';
import { embeddedClickHouseUrl } from '../src/engines/embedded/embedded-clickhouse-url.js';
import { startEmbeddedPostgres } from '../src/engines/embedded/start-embedded-postgres.js';
import { applyPlan } from '../src/execute/apply-plan.js';
import { namedClusters } from '../src/execute/named-clusters.js';
import { rollbackRuns } from '../src/execute/rollback-runs.js';
import type { Plan } from '../src/plan/model.js';
import { planMigration } from '../src/plan/plan-migration.js';
import { connectionsFor, novaCopy } from '../test/helpers/nova.js';
import { processCpuMs, serverCpuMs } from './process-cpu.js';

const repo = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'topoplan-check-bench-'));
// The server runs as its own user, which must be able to enter the directory.
chmodSync(dir, 0o755);
const cacheDir = join(dir, 'cache');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const server = await startEmbeddedPostgres({ dir: join(dir, 'pg') });

const checked = await planMigration(join(repo, 'topologies', 'nova-plan-b.yaml'));
const schemaDir = join(repo, 'topologies', 'schema', 'nova-plan-b');

interface Took { wall: number; cpu: number }
const scratchServer = (scratch: ScratchEngines) => [join(scratch.dir, 'postgres')];

function mustPass(r: CheckResult): void {
  if (!r.ok) throw new Error(`check failed: ${r.failures.map((f) => `${f.file}:${f.line}: ${f.message}`).join('; ') || JSON.stringify([r.schemaFiles.filter((f) => f.status !== 'same'), r.reverts])}`);
}

/**
 * `checkPlan()` timed whole, written out (separate the databases, make the
 * engines, check on them, remove them) so that the scratch server's CPU time
 * can be read just before it stops: it is not this process's child.
 */
async function check(reverts: boolean): Promise<Took> {
  const t0 = performance.now();
  const c0 = processCpuMs();
  const { plan } = separateDatabases(checked);
  const scratch = await startScratchEngines(storesUsed(plan), { cacheDir, clusters: namedClusters(plan) });
  let serverCpu = 0;
  try {
    mustPass(await checkOn(scratch, checked, { schemaDir, reverts }));
    serverCpu = serverCpuMs(scratchServer(scratch));
  } finally {
    await scratch.stop();
  }
  return { wall: performance.now() - t0, cpu: processCpuMs() - c0 + serverCpu };
}

/** A plain apply to fresh stores on running engines; with `rollback`, also the rollback of it, timed apart. */
async function apply(i: number, rollback = false): Promise<{ apply: Took; rollback?: Took }> {
  const copy = novaCopy('b', `bench${i}`);
  const topology = await copy.load();
  const plan: Plan = await planMigration(topology);
  const chUrl = await embeddedClickHouseUrl(join(dir, `ch${i}`));
  const ch = await acquireChdb(chdbPath(chUrl)!);
  const cpu = () => processCpuMs() + serverCpuMs([server.dataDir]);
  try {
    await ch.run((c) => c.ping());
    const connections = connectionsFor(topology, server.url, chUrl);
    const workDir = join(dir, `work${i}`);
    const t0 = performance.now();
    const c0 = cpu();
    const r = await applyPlan(plan, { connections, workDir, concurrency: 4 });
    const took = { wall: performance.now() - t0, cpu: cpu() - c0 };
    const failed = r.steps.filter((x) => x.status === 'failed' || x.status === 'skipped');
    if (failed.length > 0) throw new Error(`apply failed: ${failed.map((x) => `${x.id}: ${x.error?.message ?? x.reason ?? x.status}`).join('; ')}`);
    if (!rollback) return { apply: took };
    const t1 = performance.now();
    const c1 = cpu();
    const back = await rollbackRuns(plan, { connections, workDir, all: true, contract: true, force: true });
    if (!back.ok) throw new Error(`rollback failed: ${JSON.stringify(back.errors)}`);
    return { apply: took, rollback: { wall: performance.now() - t1, cpu: cpu() - c1 } };
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

const ms = (x: number) => `${x.toFixed(0)} ms`;
const wall = (xs: Took[]) => median(xs.map((x) => x.wall));
const cpu = (xs: Took[]) => median(xs.map((x) => x.cpu));
const show = (xs: Took[]) => `${ms(wall(xs))} wall (${xs.map((x) => x.wall.toFixed(0)).join(', ')}), CPU ${ms(cpu(xs))}`;
const ratio = (a: Took[], b: Took[]) => `${(wall(a) / wall(b)).toFixed(2)} wall, ${(cpu(a) / cpu(b)).toFixed(2)} CPU`;
const sum = (a: Took[], b: Took[]) => a.map((x, i) => ({ wall: x.wall + b[i]!.wall, cpu: x.cpu + b[i]!.cpu }));
const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  const first = performance.now();
  await check(true);
  const firstMs = performance.now() - first;
  const checks: Took[] = [];
  const lean: Took[] = [];
  const applies: Took[] = [];
  const rollbacks: Took[] = [];
  for (let i = 0; i < 3; i++) {
    const a = await apply(i, true);
    applies.push(a.apply);
    rollbacks.push(a.rollback!);
    lean.push(await check(false));
    checks.push(await check(true));
  }
  const steps = checked.steps.filter((s) => s.engine !== 'neo4j').length;
  out(`nova plan B, ${steps} PostgreSQL and ClickHouse steps on ${checked.stores.filter((s) => s.engine !== 'neo4j').length} stores, median of 3 alternating runs`);
  out(`apply to fresh stores on running engines: ${show(applies)}`);
  out(`check without reverts (engines made and removed, expectations, schema files compared): ${show(lean)}`);
  out(`ratio check without reverts / apply: ${ratio(lean, applies)} (target <= 1.20)`);
  out(`apply + rollback of it on the same server: ${show(sum(applies, rollbacks))}`);
  out(`check with reverts (the default): ${show(checks)}`);
  out(`ratio check with reverts / apply: ${ratio(checks, applies)}; / (apply + rollback): ${ratio(checks, sum(applies, rollbacks))}`);
  out(`first check on this machine (makes the PostgreSQL template): ${ms(firstMs)}`);

  // chdb opens one data directory per process at a time: the applies run before the kept engines open.
  const applies2: Took[] = [];
  for (let i = 0; i < 3; i++) applies2.push((await apply(10 + i)).apply);
  const { plan } = separateDatabases(checked);
  const scratch = await startScratchEngines(storesUsed(plan), { cacheDir, clusters: namedClusters(plan) });
  const kept = { lean: [] as Took[], full: [] as Took[] };
  try {
    const once = async (reverts: boolean): Promise<Took> => {
      const cpu0 = () => processCpuMs() + serverCpuMs(scratchServer(scratch));
      const t0 = performance.now();
      const c0 = cpu0();
      mustPass(await checkOn(scratch, checked, { schemaDir, reverts }));
      await scratch.reset();
      return { wall: performance.now() - t0, cpu: cpu0() - c0 };
    };
    await once(true);
    for (let i = 0; i < 3; i++) {
      kept.lean.push(await once(false));
      kept.full.push(await once(true));
    }
  } finally {
    await scratch.stop();
  }
  out(`kept engines (emptied after each check), apply ${show(applies2)}`);
  out(`  check without reverts ${show(kept.lean)}: ratio ${ratio(kept.lean, applies2)} (target <= 1.20)`);
  out(`  check with reverts ${show(kept.full)}: ratio ${ratio(kept.full, applies2)}`);

  const typed = { apply: [] as number[], check: [] as number[], lean: [] as number[] };
  for (let i = 0; i < 3; i++) {
    typed.apply.push(cli(['apply', 'topologies/nova-plan-b.yaml', '--data-dir', join(dir, `cli${i}`)]));
    typed.lean.push(cli(['check', 'topologies/nova-plan-b.yaml', '--no-reverts', '--cluster-cache-dir', cacheDir]));
    typed.check.push(cli(['check', 'topologies/nova-plan-b.yaml', '--cluster-cache-dir', cacheDir]));
  }
  const [a, l, c] = [median(typed.apply), median(typed.lean), median(typed.check)];
  out(`as typed (wall): topoplan apply --data-dir NEW ${ms(a)}; topoplan check --no-reverts ${ms(l)}: ratio ${(l / a).toFixed(2)}; topoplan check ${ms(c)}: ratio ${(c / a).toFixed(2)}`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
