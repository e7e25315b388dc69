/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline
 * measured in the same run (never absolute targets alone: machines differ).
 * Sections: planning (vs bare libpg-query parse), apply (vs one-file-at-a-time
 * over one connection), copy (vs a psql \copy pipe), transition (the live
 * stream's initial copy vs the snapshot copy, with a writer; lag and write freeze at cut-over), clickhouse (the collector
 * fixture vs its statements one by one through the same client), check (Nova
 * checked on throwaway engines vs applied to fresh stores). `npm run bench -- plan`
 * runs one section.
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

function planSection(): void {
  if (only && only !== 'plan') return;
  const rows: { services: number; files: number; mb: number; parseMs: number; planMs: number; workers: number; planParallelMs?: number; maxRssMb: number; steps: number; errors: number }[] = [];
  for (const services of [100, 300, 1000]) {
    const out = execFileSync(tsx, ['--max-old-space-size=8192', join(here, 'plan-bench.ts'), String(services), '20'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    rows.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  const w = rows[0]?.workers ?? 0;
  process.stdout.write(`plan: services  files    MB    parse ms  plan ms (1 thread)  plan/parse  plan ms (+${w} workers)  plan/parse   peak MB   steps  errors\n`);
  for (const r of rows) {
    const par = r.planParallelMs;
    process.stdout.write(
      `plan: ${String(r.services).padStart(8)} ${String(r.files).padStart(6)} ${r.mb.toFixed(1).padStart(5)} ${r.parseMs.toFixed(0).padStart(11)} ${r.planMs.toFixed(0).padStart(18)} ${(r.planMs / r.parseMs).toFixed(2).padStart(11)} ${(par ? par.toFixed(0) : '-').padStart(22)} ${(par ? (par / r.parseMs).toFixed(2) : '-').padStart(11)} ${r.maxRssMb.toFixed(0).padStart(9)} ${String(r.steps).padStart(7)} ${String(r.errors).padStart(7)}\n`,
    );
  }
  const [a, , c] = rows;
  if (a && c) {
    const growth = c.planMs / a.planMs / (c.files / a.files);
    process.stdout.write(`plan: growth 100 -> 1000 services (1 thread): time x${(c.planMs / a.planMs).toFixed(1)} for x${(c.files / a.files).toFixed(0)} files (1.00 = linear; measured ${growth.toFixed(2)})\n`);
    const best = Math.min(c.planMs, c.planParallelMs ?? Infinity);
    process.stdout.write(`plan: target plan/parse < 1.5 at 1000 services: ${(best / c.parseMs).toFixed(2)}\n`);
  }
}

planSection();
section('apply', 'apply-bench.ts', [[]]);
section('copy', 'copy-bench.ts', [[]]);
section('transition', 'transition-bench.ts', [[]]);
section('check', 'check-bench.ts', [[]]);
section('clickhouse', 'clickhouse-bench.ts', [['test/fixtures/collector/collector-single.yaml'], ['test/fixtures/collector/collector-cluster.yaml']]);
