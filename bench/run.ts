/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline
 * measured in the same run (never absolute targets alone: machines differ).
 * Sections: planning (vs bare libpg-query parse), apply (vs one-file-at-a-time
 * over one connection), copy (vs a psql \copy pipe), transition (the live
 * stream's initial copy vs the snapshot copy, with a writer; lag and write freeze at cut-over), clickhouse (the collector
 * fixture vs its statements one by one through the same client), check (Nova
 * checked on throwaway engines vs applied to fresh stores). `npm run bench -- plan`
 * runs one section; `npm run bench -- plan 30,100` plans at those numbers of
 * services only (default 100, 300 and 1000), for quick comparisons.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const only = process.argv[2];

function section(name: string, script: string, args: string[][]): void {
  if (only && only !== name) return;
  for (const a of args) {
    const out = execFileSync(tsx, [join(here, script), ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
    const lines = out.trim().split('\n');
    process.stdout.write(lines.map((l) => `${name}: ${l}`).join('\n') + '\n');
  }
}

interface PlanRow {
  services: number;
  files: number;
  mb: number;
  parseMs: number;
  planMs: number;
  workers: number;
  planParallelMs?: number;
  maxRssMb: number;
  steps: number;
  errors: number;
  warmMs: number;
  readFilesMs: number;
  loadPlanMs: number;
  planMb: number;
  coldRssMb: number;
  coldRetainedMb: number;
  warmRssMb: number;
  warmRetainedMb: number;
  coldStages: { stage: string; ms: number }[];
  warmStages: { stage: string; ms: number }[];
}

/** `npm run bench -- plan [SERVICES,...]`: 100, 300 and 1000 services of 20 files unless a smaller list is given. */
function planSection(): void {
  if (only && only !== 'plan') return;
  const scales = (process.argv[3] ?? '100,300,1000').split(',').map(Number);
  const rows: PlanRow[] = [];
  // Memory is measured on the built package (see plan-bench.ts): built once for all scales.
  execFileSync('npm', ['run', 'build'], { cwd: join(here, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  for (const services of scales) {
    const out = execFileSync(tsx, ['--expose-gc', '--max-old-space-size=8192', join(here, 'plan-bench.ts'), String(services), '20'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TOPOPLAN_BENCH_BUILT: '1' } });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as PlanRow);
  }
  const w = rows[0]?.workers ?? 0;
  const cols: [string, number, (r: PlanRow) => string][] = [
    ['services', 8, (r) => String(r.services)],
    ['files', 6, (r) => String(r.files)],
    ['MB', 5, (r) => r.mb.toFixed(1)],
    ['parse ms', 9, (r) => r.parseMs.toFixed(0)],
    ['cold ms', 8, (r) => r.planMs.toFixed(0)],
    ['cold/parse', 10, (r) => (r.planMs / r.parseMs).toFixed(2)],
    [`cold +${w}w ms`, 11, (r) => (r.planParallelMs ? r.planParallelMs.toFixed(0) : '-')],
    [`cold +${w}w/parse`, 14, (r) => (r.planParallelMs ? (r.planParallelMs / r.parseMs).toFixed(2) : '-')],
    ['warm ms', 8, (r) => r.warmMs.toFixed(0)],
    ['warm/parse', 10, (r) => (r.warmMs / r.parseMs).toFixed(2)],
    ['floor/parse', 11, (r) => ((r.readFilesMs + r.loadPlanMs) / r.parseMs).toFixed(2)],
    ['RSS cold MB', 11, (r) => r.coldRssMb.toFixed(0)],
    ['RSS warm MB', 11, (r) => r.warmRssMb.toFixed(0)],
    ['heap kept MB', 12, (r) => r.coldRetainedMb.toFixed(0)],
    ['steps', 6, (r) => String(r.steps)],
    ['errors', 6, (r) => String(r.errors)],
  ];
  process.stdout.write(`plan: ${cols.map(([h, n]) => h.padStart(n)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`plan: ${cols.map(([, n, f]) => f(r).padStart(n)).join('  ')}\n`);
  process.stdout.write('plan: cold = no parse cache; warm = parse cache filled, one file changed; RSS: peak of one plan of the built package in a process of its own; heap kept: what the finished cold plan keeps alive\n');
  process.stdout.write('plan: floor = what any warm plan costs before planning: reading and hashing every file, plus JSON.parse of the finished plan (its objects built from a stored copy)\n');
  const a = rows[0];
  const c = rows[rows.length - 1];
  if (a && c && c !== a) {
    const growth = c.planMs / a.planMs / (c.files / a.files);
    process.stdout.write(`plan: growth ${a.services} -> ${c.services} services (1 thread): time x${(c.planMs / a.planMs).toFixed(1)} for x${(c.files / a.files).toFixed(0)} files (1.00 = linear; measured ${growth.toFixed(2)})\n`);
  }
  if (c) {
    process.stdout.write(
      `plan: warm floor at ${c.services} services: reading and hashing ${c.files} files ${c.readFilesMs.toFixed(0)} ms (${(c.readFilesMs / c.parseMs).toFixed(2)}x parse), JSON.parse of the ${c.planMb.toFixed(0)} MB plan ${c.loadPlanMs.toFixed(0)} ms (${(c.loadPlanMs / c.parseMs).toFixed(2)}x)\n`,
    );
    const stages = (list: PlanRow['coldStages']) => list.map((s) => `${s.stage} ${s.ms.toFixed(0)} (${(s.ms / c.parseMs).toFixed(2)}x)`).join(', ');
    process.stdout.write(`plan: stages at ${c.services} services, ms (x parse): cold, 1 thread: ${stages(c.coldStages)}\n`);
    process.stdout.write(`plan: stages at ${c.services} services, ms (x parse): warm: ${stages(c.warmStages)}\n`);
    const par = c.planParallelMs ? `, ${(c.planParallelMs / c.parseMs).toFixed(2)} with ${w} worker${w === 1 ? '' : 's'}` : '';
    process.stdout.write(
      `plan: targets at ${c.services} services: warm/parse <= 0.25: ${(c.warmMs / c.parseMs).toFixed(2)}; cold/parse <= 2 (1 thread): ${(c.planMs / c.parseMs).toFixed(2)}${par}; RSS cold < 600 MB: ${c.coldRssMb.toFixed(0)}; RSS warm < 300 MB: ${c.warmRssMb.toFixed(0)}\n`,
    );
  }
}

planSection();
section('apply', 'apply-bench.ts', [[]]);
section('copy', 'copy-bench.ts', [[]]);
section('transition', 'transition-bench.ts', [[]]);
section('check', 'check-bench.ts', [[]]);
section('clickhouse', 'clickhouse-bench.ts', [['test/fixtures/collector/collector-single.yaml'], ['test/fixtures/collector/collector-cluster.yaml']]);
