/**
 * Copy benchmark: a moving table of N rows copied between two databases by
 * the transition's copy (COPY TO STDOUT piped into COPY FROM STDIN), against
 * `psql -c "\copy t to stdout" | psql -c "\copy t from stdin"` measured in the
 * same run, alternately. Each copy of ours runs in a fresh child process so
 * its peak memory can be compared between 100,000 and 1,000,000 rows.
 * Usage: tsx bench/copy-bench.ts            (the whole benchmark)
 *        tsx bench/copy-bench.ts child URL A B ROWS   (one copy, prints JSON)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/engines/embedded/start-embedded-postgres.js';
import { databaseUrl } from '../src/engines/postgres/postgres-url.js';
import { columnMapping } from '../src/transition/column-mapping.js';
import { copyTable } from '../src/transition/copy-table.js';
import { pgClient } from './pg-client.js';

const TABLE = 'shares_big';
const DDL = `CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, post_id uuid NOT NULL, user_id uuid NOT NULL, created_at timestamptz NOT NULL, note text NOT NULL)`;

if (process.argv[2] === 'child') {
  const [, , , server, a, b] = process.argv as string[];
  const source = await pgClient(databaseUrl(server!, a!));
  const target = await pgClient(databaseUrl(server!, b!));
  await target.query(`TRUNCATE ${TABLE}`);
  const t0 = performance.now();
  const map = await columnMapping(source, target, TABLE, { from: 'source', to: 'target' });
  const rows = await copyTable({ source, target, table: TABLE, columns: map.copied, format: map.format });
  const ms = performance.now() - t0;
  await Promise.all([source.end(), target.end()]);
  process.stdout.write(JSON.stringify({ rows, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
}

const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'topoplan-copy-bench-'));
chmodSync(dir, 0o755);
const server = await startEmbeddedPostgres({ dir: join(dir, 'pg') });
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const psql = ['/usr/bin/psql', '/usr/lib/postgresql/15/bin/psql'].find((p) => existsSync(p));

async function prepare(rows: number, suffix: string): Promise<[string, string]> {
  const admin = await pgClient(server.url);
  const [a, b] = [`copy_src_${suffix}`, `copy_dst_${suffix}`];
  for (const d of [a, b]) await admin.query(`CREATE DATABASE ${d}`);
  await admin.end();
  const src = await pgClient(databaseUrl(server.url, a));
  await src.query(DDL);
  await src.query(`INSERT INTO ${TABLE} SELECT g, md5(g::text)::uuid, md5((g * 7)::text)::uuid, now() - g * interval '1 second', 'note about share number ' || g || ' of the benchmark' FROM generate_series(1, ${rows}) g`);
  await src.end();
  const dst = await pgClient(databaseUrl(server.url, b));
  await dst.query(DDL);
  await dst.end();
  return [a, b];
}

function ours(a: string, b: string): { rows: number; ms: number; maxRssMb: number } {
  const out = execFileSync(tsx, [join(here, 'copy-bench.ts'), 'child', server.url, a, b], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function pipe(a: string, b: string): Promise<number> {
  const dst = await pgClient(databaseUrl(server.url, b));
  await dst.query(`TRUNCATE ${TABLE}`);
  await dst.end();
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${psql}" -X -q -d "$A" -c "\\copy ${TABLE} to stdout" | "${psql}" -X -q -d "$B" -c "\\copy ${TABLE} from stdin"`], {
    env: { ...process.env, A: databaseUrl(server.url, a), B: databaseUrl(server.url, b) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql pipe failed: ${r.stderr}`);
  return performance.now() - t0;
}

try {
  const [a, b] = await prepare(1_000_000, 'm');
  const [sa, sb] = await prepare(100_000, 's');
  const oursMs: number[] = [];
  const pipeMs: number[] = [];
  let big = { rows: 0, ms: 0, maxRssMb: 0 };
  for (let i = 0; i < 3; i++) {
    big = ours(a, b);
    oursMs.push(big.ms);
    if (psql) pipeMs.push(await pipe(a, b));
  }
  const small = ours(sa, sb);
  const rate = (ms: number) => (1_000_000 / (ms / 1000)).toFixed(0);
  process.stdout.write(`1,000,000 rows (id, 2 uuids, timestamptz, ~45-char text), median of 3 alternating runs\n`);
  process.stdout.write(`topoplan copy (COPY binary stream, one transaction): ${rate(median(oursMs))} rows/s (${median(oursMs).toFixed(0)} ms)\n`);
  if (psql) {
    process.stdout.write(`psql \\copy to stdout | psql \\copy from stdin: ${rate(median(pipeMs))} rows/s (${median(pipeMs).toFixed(0)} ms)\n`);
    process.stdout.write(`ratio topoplan/pipe in rows per second: ${(median(pipeMs) / median(oursMs)).toFixed(2)} (target >= 0.80)\n`);
  } else process.stdout.write('psql not found: baseline skipped (apt-get install postgresql-client)\n');
  process.stdout.write(`peak memory of the copying process: ${small.maxRssMb.toFixed(0)} MB at 100,000 rows, ${big.maxRssMb.toFixed(0)} MB at 1,000,000 rows (flat = streaming)\n`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
