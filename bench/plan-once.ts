/**
 * One plan in a fresh process, for the planning benchmark's memory figures:
 * plans the topology (with the parse cache in CACHE_DIR when given, default
 * parse workers) and prints JSON with its time, the peak RSS of the process
 * and the heap the finished plan keeps alive.
 * Usage: tsx --expose-gc bench/plan-once.ts TOPOLOGY [CACHE_DIR]
 */
import { planMigration } from '../src/plan/plan-migration.js';

const [topologyFile, cacheDir] = process.argv.slice(2);
const t0 = performance.now();
const plan = await planMigration(topologyFile!, { allowErrors: true, env: {}, ...(cacheDir ? { cacheDir } : {}) });
const ms = performance.now() - t0;
(globalThis as { gc?: () => void }).gc?.();
const retainedMb = process.memoryUsage().heapUsed / 1e6;
process.stdout.write(JSON.stringify({ ms, steps: plan.steps.length, maxRssMb: process.resourceUsage().maxRSS / 1024, retainedMb }) + '\n');
