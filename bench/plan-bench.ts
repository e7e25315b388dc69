/**
 * One planning measurement in a fresh process: generates N services x F files,
 * times the bare libpg-query parse of the same SQL (the floor a planner built
 * on the real parser cannot beat on one thread) and planMigration(), on the
 * calling thread only and with its default parse workers, and prints JSON.
 * Usage: tsx bench/plan-bench.ts SERVICES FILES
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import { planMigration } from '../src/plan/plan-migration.js';
import { defaultParseWorkers } from '../src/sql/parse-pool.js';
import { generateSystem } from './generate.js';

const services = Number(process.argv[2] ?? 100);
const files = Number(process.argv[3] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'topoplan-bench-'));
try {
  const sys = generateSystem(dir, services, files);
  await loadModule();
  const texts = sys.files.map((f) => readFileSync(f, 'utf8'));
  const parseOnce = () => {
    const t0 = performance.now();
    for (const t of texts) parseSync(t);
    return performance.now() - t0;
  };
  const planOnce = async (parseWorkers: number) => {
    const t0 = performance.now();
    const plan = await planMigration(sys.topologyFile, { allowErrors: true, env: {}, parseWorkers });
    return { ms: performance.now() - t0, steps: plan.steps.length, errors: plan.diagnostics.filter((d) => d.severity === 'error').length };
  };
  // Warm every path once, then alternate and keep the best of each: the machine is shared and noisy.
  const workers = defaultParseWorkers();
  parseOnce();
  await planOnce(0);
  if (workers > 0) await planOnce(workers);
  const parse: number[] = [];
  const plan: number[] = [];
  const planParallel: number[] = [];
  let last = { ms: 0, steps: 0, errors: 0 };
  for (let i = 0; i < 2; i++) {
    parse.push(parseOnce());
    last = await planOnce(0);
    plan.push(last.ms);
    if (workers > 0) planParallel.push((await planOnce(workers)).ms);
  }
  const result = {
    services,
    files: sys.files.length,
    mb: sys.bytes / 1e6,
    parseMs: Math.min(...parse),
    planMs: Math.min(...plan),
    workers,
    ...(planParallel.length ? { planParallelMs: Math.min(...planParallel) } : {}),
    steps: last.steps,
    errors: last.errors,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
