/**
 * One planning measurement in a fresh process: generates N services x F files,
 * times the bare libpg-query parse of the same SQL (the floor a planner built
 * on the real parser cannot beat on one thread) and planMigration() of the
 * built package (`npm run build` first unless TOPOPLAN_BENCH_BUILT is set; each
 * plan from a collected heap) without a parse cache (cold), on the calling thread only and with its default parse
 * workers; then fills a parse cache and times warm plans, each after changing
 * one file, with the stages of the fastest cold and warm plans (PlanOptions.onStage); then measures peak RSS and retained heap of one cold and one warm
 * plan, each in a process of its own running the built package (bench/plan-once.mjs),
 * and prints JSON.
 * Usage: tsx --expose-gc bench/plan-bench.ts SERVICES FILES
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import { defaultParseWorkers } from '../src/sql/parse-pool.js';
import { generateSystem } from './generate.js';

const services = Number(process.argv[2] ?? 100);
const files = Number(process.argv[3] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'topoplan-bench-'));
try {
  // Plans are timed on the built package, as users run it: the code tsx transpiles on the fly planned some 10% slower.
  const root = join(import.meta.dirname, '..');
  if (!process.env.TOPOPLAN_BENCH_BUILT) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { planMigration } = (await import(join(root, 'dist', 'index.js'))) as typeof import('../src/index.js');
  // Each plan starts from a collected heap: what earlier plans left (up to 1.6 GB at 1,000 services with this
  // process's 8 GB limit) made the same plan take anywhere from 10 to 15 s.
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const sys = generateSystem(dir, services, files);
  await loadModule();
  const texts = sys.files.map((f) => readFileSync(f, 'utf8'));
  const parseOnce = () => {
    const t0 = performance.now();
    for (const t of texts) parseSync(t);
    return performance.now() - t0;
  };
  // `asJson`: also the plan's JSON text, for the floor of loading it (made once the plan is timed).
  // Each plan's stages too (PlanOptions.onStage), to show where the time goes.
  const planOnce = async (parseWorkers: number, cacheDir?: string, asJson = false) => {
    collect();
    const stages: { stage: string; ms: number }[] = [];
    const t0 = performance.now();
    const plan = await planMigration(sys.topologyFile, { allowErrors: true, env: {}, parseWorkers, onStage: ({ stage, ms }) => stages.push({ stage, ms }), ...(cacheDir ? { cacheDir } : {}) });
    const ms = performance.now() - t0;
    return { ms, stages, steps: plan.steps.length, errors: plan.diagnostics.filter((d) => d.severity === 'error').length, ...(asJson ? { json: JSON.stringify(plan) } : {}) };
  };
  type Timed = Awaited<ReturnType<typeof planOnce>>;
  const fastest = (runs: Timed[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const readFloor = () => {
    collect();
    const t0 = performance.now();
    for (const f of sys.files) createHash('sha384').update(readFileSync(f)).digest('hex');
    return performance.now() - t0;
  };
  const loadFloor = (json: string) => {
    collect();
    const t0 = performance.now();
    JSON.parse(json);
    return performance.now() - t0;
  };
  // Warm every path once, then alternate and keep the best of each: the machine is shared and noisy.
  const workers = defaultParseWorkers();
  parseOnce();
  await planOnce(0);
  if (workers > 0) await planOnce(workers);
  const parse: number[] = [];
  const plan: Timed[] = [];
  const planParallel: number[] = [];
  for (let i = 0; i < 2; i++) {
    parse.push(parseOnce());
    plan.push(await planOnce(0));
    if (workers > 0) planParallel.push((await planOnce(workers)).ms);
  }
  const last = plan[plan.length - 1]!;
  // Warm: the cache holds every file but the one just changed (as after an edit).
  const cacheDir = join(dir, 'cache');
  const fillMs = (await planOnce(workers, cacheDir)).ms;
  let changes = 0;
  const change = () => appendFileSync(sys.files[(changes++ * 7919) % sys.files.length]!, `\nCREATE INDEX idx_changed_${changes} ON accounts (email);\n`);
  const warm: Timed[] = [];
  const read: number[] = [];
  const load: number[] = [];
  let planMb = 0;
  for (let i = 0; i < 2; i++) {
    change();
    const { json, ...timed } = await planOnce(workers, cacheDir, true);
    warm.push(timed);
    read.push(readFloor());
    load.push(loadFloor(json!));
    planMb = Buffer.byteLength(json!) / 1e6;
  }
  // Memory is measured in processes of their own running the built package: through tsx, the loader's own memory came on top.
  const once = (args: string[]) =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', join(import.meta.dirname, 'plan-once.mjs'), sys.topologyFile, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { ms: number; maxRssMb: number; retainedMb: number };
  const coldOnce = once([]);
  change();
  const warmOnce = once([cacheDir]);
  const result = {
    services,
    files: sys.files.length,
    mb: sys.bytes / 1e6,
    parseMs: Math.min(...parse),
    planMs: fastest(plan).ms,
    coldStages: fastest(plan).stages,
    workers,
    ...(planParallel.length ? { planParallelMs: Math.min(...planParallel) } : {}),
    steps: last.steps,
    errors: last.errors,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    fillMs,
    warmMs: fastest(warm).ms,
    warmStages: fastest(warm).stages,
    readFilesMs: Math.min(...read),
    loadPlanMs: Math.min(...load),
    planMb,
    coldRssMb: coldOnce.maxRssMb,
    coldRetainedMb: coldOnce.retainedMb,
    warmRssMb: warmOnce.maxRssMb,
    warmRetainedMb: warmOnce.retainedMb,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
