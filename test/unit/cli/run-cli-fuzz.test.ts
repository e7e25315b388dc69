/**
 * A seeded, bounded fuzz campaign over the CLI, in-process: a small
 * two-engine project whose topology and SQL files are mutated (bytes and
 * structure), run through validate, plan and apply --dry-run. Whatever the
 * input, every run ends in time with exit 0, 1 or 2, and no output holds a
 * stack trace or an internal error. A failure names its seed and case, so it
 * replays exactly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, STACK_FRAME } from '../../helpers/cli.js';

// TOPOPLAN_FUZZ_SEED and TOPOPLAN_FUZZ_CASES replay another campaign or widen this one.
const SEED = Number(process.env.TOPOPLAN_FUZZ_SEED ?? 0x7e5a11);
const CASES = Number(process.env.TOPOPLAN_FUZZ_CASES ?? 300);
const CASE_LIMIT_MS = 10_000;
const root = mkdtempSync(join(tmpdir(), 'topoplan-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number) => Math.floor(r() * n);

const FILES: Record<string, string> = {
  'accounts/migrations/001_users.sql': `-- users and their settings
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_created_idx ON users (created_at);
`,
  'accounts/migrations/002_settings.sql': `CREATE TABLE user_settings (user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE, theme text DEFAULT 'dark');
ALTER TABLE users ADD COLUMN locale text;
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.created_at := now(); RETURN NEW; END $$;
`,
  'posts/migrations/20240101120000_posts.up.sql': `CREATE TABLE posts (id bigserial PRIMARY KEY, author_id bigint NOT NULL REFERENCES users (id), body text NOT NULL);
COMMENT ON TABLE posts IS 'what people write; it''s long';
`,
  'posts/migrations/20240101120000_posts.down.sql': 'DROP TABLE posts;\n',
  'posts/migrations/20240301000000_drop_body.up.sql': 'ALTER TABLE posts DROP COLUMN body;\nTRUNCATE posts;\n',
  'analytics/clickhouse/001_events.sql': `CREATE DATABASE IF NOT EXISTS events;
CREATE TABLE IF NOT EXISTS events.page_views (
  ts DateTime64(3), user_id UInt64, path String, INDEX path_idx path TYPE bloom_filter GRANULARITY 4
) ENGINE = MergeTree ORDER BY (user_id, ts) TTL toDateTime(ts) + INTERVAL 90 DAY;
`,
};

const TOPOLOGY = {
  topoplan: 1,
  name: 'fuzz',
  stores: {
    main: { engine: 'postgres', database: 'main', url: '${FUZZ_PG_URL:-}' },
    events: { engine: 'clickhouse', database: 'events', url: '${FUZZ_CH_URL:-${FUZZ_CH_FALLBACK:-}}' },
  },
  sets: {
    accounts: { dir: 'accounts/migrations' },
    posts: { dir: 'posts/migrations' },
    analytics: { dir: 'analytics/clickhouse', engines: { '*.sql': 'clickhouse' } },
  },
  services: {
    accounts: { stores: { postgres: 'main' }, sets: ['accounts'], owns: ['users', 'user_settings', 'function:touch'] },
    posts: { stores: { postgres: 'main' }, sets: ['posts'], owns: ['posts'], ledger: 'sqlx' },
    analytics: { stores: { clickhouse: 'events' }, sets: ['analytics'], owns: ['events.*'] },
  },
  skip: [{ set: 'accounts', file: '002_settings.sql', statements: '2', reason: 'locale comes later' }],
};

/** Bytes that break parsers: NUL, lone continuation bytes, a cut multi-byte sequence, CR, tabs. */
const NASTY = [Buffer.from([0]), Buffer.from([0xe9]), Buffer.from([0xc3]), Buffer.from([0xff, 0xfe]), Buffer.from('\r'), Buffer.from('\t'), Buffer.from('\u2028'), Buffer.from('é')];
const YAML_BITS = [': ', '- ', '{', '}', '[', ']', '&a', '*a', '!!binary ', '${', '${X:-${Y:-', '}}', '"', "'", '#', '\n  ', '\n', '? ', '|', '>-', '<<: *a', '~', '0x1F', '.inf', 'null'];
const SQL_BITS = ["'", '"', '$$', '$tag$', '(', ')', ';', '--', '/*', '*/', 'E\'\\', 'CREATE TABLE', 'DROP TABLE users CASCADE', 'ALTER TABLE posts DROP COLUMN id', 'DELETE FROM users', 'BEGIN;', 'COMMIT;', '\\', 'ENGINE =', 'ON CLUSTER x', '${SCHEMA}', 'COPY users FROM stdin;'];
const VALUES: unknown[] = [null, 0, -1, 1.5, true, '', 'x', '../../escape', '/etc', [], {}, ['a', 1], { a: { b: {} } }, '${NOPE}', '*', 'postgres', 'clickhouse', 'neo4j', 'sqlx'];

function mutateBytes(r: Rand, text: Buffer, bits: readonly string[]): Buffer {
  let b = text;
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const at = int(r, b.length + 1);
    switch (int(r, 5)) {
      case 0: b = Buffer.concat([b.subarray(0, at), pick(r, NASTY), b.subarray(at)]); break;
      case 1: b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, bits)), b.subarray(at)]); break;
      case 2: b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(r, 40)))]); break;
      case 3: b = b.subarray(0, at); break;
      default: {
        const from = int(r, b.length + 1);
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + int(r, 60)), b.subarray(at)]);
      }
    }
  }
  return b;
}

/** Changes the topology as a value: a key dropped, a value of the wrong kind, a reference to nothing. */
function mutateTree(r: Rand, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return r() < 0.5 ? pick(r, VALUES) : value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return r() < 0.5 ? pick(r, VALUES) : copy;
  const key = pick(r, keys);
  const rec = copy as Record<string, unknown>;
  const roll = r();
  if (roll < 0.2) delete rec[key];
  else if (roll < 0.35) rec[pick(r, ['extra', 'url', 'dir', 'owns', 'sets', 'stores', 'engine', 'ledger', key])] = pick(r, VALUES);
  else if (roll < 0.45 || depth > 4) rec[key] = pick(r, VALUES);
  else rec[key] = mutateTree(r, rec[key], depth + 1);
  return copy;
}

interface Case { readonly files: Record<string, Buffer>; readonly args: string[] }

function makeCase(r: Rand, dir: string): Case {
  const files: Record<string, Buffer> = Object.fromEntries(Object.entries(FILES).map(([k, v]) => [k, Buffer.from(v)]));
  let topology: Buffer = Buffer.from(stringify(TOPOLOGY));
  const what = r();
  if (what < 0.3) topology = Buffer.from(stringify(mutateTree(r, mutateTree(r, parse(topology.toString())))));
  else if (what < 0.5) topology = mutateBytes(r, topology, YAML_BITS);
  if (what >= 0.4) {
    for (let n = 1 + int(r, 2); n > 0; n--) {
      const name = pick(r, Object.keys(files));
      files[name] = mutateBytes(r, files[name]!, SQL_BITS);
    }
  }
  if (r() < 0.05) files[`accounts/migrations/00${int(r, 9)}_extra.sql`] = Buffer.from(pick(r, SQL_BITS));
  files['topology.yaml'] = topology;
  const file = join(dir, 'topology.yaml');
  const args = pick(r, [
    ['validate', file],
    ['plan', file],
    ['plan', file, '--format', 'json'],
    ['plan', file, '--format', pick(r, ['dot', 'mermaid', 'markdown', 'yaml', 'bogus'])],
    ['apply', file, '--dry-run'],
    ['apply', file, '--dry-run', '--contract'],
  ]);
  return { files, args };
}

describe('fuzzed topologies and SQL files', () => {
  it(`${CASES} cases from seed ${SEED}: exit 0, 1 or 2, in time, never a stack trace or an internal error`, async () => {
    const r = prng(SEED);
    const codes = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const dir = join(root, `case-${i}`);
      const c = makeCase(r, dir);
      for (const [name, bytes] of Object.entries(c.files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), bytes);
      }
      let timer: NodeJS.Timeout | undefined;
      const stop = new AbortController();
      const run = await Promise.race([
        cli(c.args, { signal: stop.signal, env: { FUZZ_CH_FALLBACK: undefined } }),
        new Promise<'hang'>((resolve) => { timer = setTimeout(() => { stop.abort(); resolve('hang'); }, CASE_LIMIT_MS); }),
      ]);
      clearTimeout(timer);
      const label = `seed ${SEED} case ${i}: topoplan ${c.args.join(' ')}`;
      expect(run, `${label} did not end within ${CASE_LIMIT_MS} ms`).not.toBe('hang');
      if (run === 'hang') return;
      expect([0, 1, 2], `${label}: exit ${run.code}\n${run.err}`).toContain(run.code);
      expect(run.out + run.err, `${label}: a stack trace`).not.toMatch(STACK_FRAME);
      expect(run.err, `${label}: an internal error`).not.toContain('internal error');
      codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
      rmSync(dir, { recursive: true, force: true });
    }
    // The campaign reaches both sides: inputs that pass and inputs that are refused.
    expect(codes.get(0) ?? 0).toBeGreaterThan(CASES / 20);
    expect(codes.get(1) ?? 0).toBeGreaterThan(CASES / 20);
  }, Math.max(120_000, CASES * 400));
});
