/**
 * Run as its own process (`node --expose-gc --import tsx test/helpers/parse-retention.ts TOPOLOGY`):
 * plans the topology on the calling thread only, then with two parse workers,
 * and prints, as JSON, the heap each finished plan keeps in use (measured at
 * once, before the workers have exited). A process of its own, because a test
 * runner keeps more alive than the plan.
 *
 * @example
 * node --expose-gc --import tsx test/helpers/parse-retention.ts /tmp/project/topology.yaml // {"alone":31000000,"withWorkers":31200000,"steps":2001}
 */
import { planMigration } from '../../src/plan/plan-migration.js';

const topologyFile = process.argv[2]!;
const gc = (globalThis as { gc?: () => void }).gc!;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const base = heap();
let plan = await planMigration(topologyFile, { allowErrors: true, parseWorkers: 0 });
const alone = heap() - base;
const steps = plan.steps.length;
plan = await planMigration(topologyFile, { allowErrors: true, parseWorkers: 2 });
const withWorkers = heap() - base;
process.stdout.write(JSON.stringify({ alone, withWorkers, steps: plan.steps.length === steps ? steps : -1 }) + '\n');
