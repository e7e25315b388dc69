/**
 * One plan in a fresh process, for the planning benchmark's memory figures:
 * plans the topology with the built package (dist/, as users run it: no
 * TypeScript loader in the process, whose own memory is some 60-70 MB at
 * 1,000 services), with the parse cache in CACHE_DIR when given and the
 * default parse workers, and prints JSON with its time, the peak RSS of the
 * process and the heap the finished plan keeps alive.
 * Usage: node --expose-gc bench/plan-once.mjs TOPOLOGY [CACHE_DIR] (after npm run build)
 */
import { planMigration } from '../dist/index.js';

const [topologyFile, cacheDir] = process.argv.slice(2);
const t0 = performance.now();
const plan = await planMigration(topologyFile, { allowErrors: true, env: {}, ...(cacheDir ? { cacheDir } : {}) });
const ms = performance.now() - t0;
globalThis.gc?.();
const retainedMb = process.memoryUsage().heapUsed / 1e6;
process.stdout.write(JSON.stringify({ ms, steps: plan.steps.length, maxRssMb: process.resourceUsage().maxRSS / 1024, retainedMb }) + '\n');
