/**
 * Expectations of every kind against real engines (started by the tests):
 * columns with types and nullability, foreign keys present and absent,
 * extensions, enums and their labels, views, indexes and functions by name,
 * on PostgreSQL and ClickHouse; each passing and failing with a message that
 * says what is wrong. Planning warns about those that can never fail.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import type { CheckResult } from '../../../src/execute/verify.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { loadTopology } from '../../../src/topology/index.js';
import { startTestClickHouse, startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';

const file = join(resolve(import.meta.dirname, '..', '..', 'fixtures', 'check'), 'corpus-expectations.yaml');
let pg: TestEngine;
let ch: TestEngine;
let checks: readonly CheckResult[];
let warnings: string[];

beforeAll(async () => {
  [pg, ch] = await Promise.all([startTestPostgres(), startTestClickHouse()]);
  const { topology } = await loadTopology(file, { env: {} });
  const plan = await planMigration(topology!);
  warnings = plan.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.line}: ${d.message}`);
  const connections = { app: pg.url, billing: pg.url, events: ch.url };
  const result = await applyPlan(plan, { connections, workDir: await tempDir('expectations') });
  expect(result.steps.filter((s) => s.status !== 'applied')).toEqual([]);
  checks = result.verification!.checks;
});
afterAll(async () => {
  await Promise.all([pg?.stop(), ch?.stop()]);
});

const at = (line: number) => checks.find((c) => c.at.endsWith(`:${line}`))!;

describe('expectations against real engines', () => {
  it('columns: names, types as written in a migration, nullability; on both engines', () => {
    expect(at(8)).toMatchObject({ status: 'ok', store: 'app', message: 'table "posts": 3 columns as expected, 1 absent' });
    expect(at(13)).toMatchObject({
      status: 'failed',
      message: 'table "public.posts": column "title" is character varying(200), expected text; column "body" is nullable, expected not null; missing column "author"; column "created_at" is still present',
    });
    expect(at(18)).toMatchObject({ status: 'ok', store: 'events' });
    expect(at(22)).toMatchObject({ status: 'failed', message: 'table "events.page_views": column "account" is String, expected UInt64' });
  });

  it('foreign keys between two tables, present and absent', () => {
    expect(at(26)).toMatchObject({ status: 'ok', message: 'foreign keys: 1 present, 1 absent' });
    expect(at(30)).toMatchObject({ status: 'failed', message: 'no foreign key from "invoices" to "accounts"; a foreign key from "invoice_lines" to "invoices" is still present' });
  });

  it('extensions, enums with their labels, views, indexes and functions by name', () => {
    expect(at(34)).toMatchObject({ status: 'ok', message: 'extensions: 1 present' });
    expect(at(36)).toMatchObject({ status: 'failed', message: 'missing extensions: pgcrypto' });
    expect(at(38)).toMatchObject({ status: 'ok', message: 'enums: 1 present, values of 1 as expected' });
    expect(at(42)).toMatchObject({ status: 'failed', message: 'enum "invoice_state" has values draft, open, paid, void, expected draft, paid' });
    expect(at(45)).toMatchObject({ status: 'ok', message: 'views: 1 present' });
    expect(at(47)).toMatchObject({ status: 'failed', message: 'missing views: daily_views' });
    expect(at(49)).toMatchObject({ status: 'ok', message: 'indexes: 2 present' });
    expect(at(51)).toMatchObject({ status: 'failed', message: 'missing indexes: idx_posts_published' });
    expect(at(53)).toMatchObject({ status: 'ok', message: 'functions: 2 present' });
    expect(at(55)).toMatchObject({ status: 'failed', message: 'missing functions: set_updated_at' });
  });

  it('planning warns about each expectation that can never fail, and they pass', () => {
    expect(warnings).toEqual([
      '58: plan: the expectation that table "post_tag" is absent in store "app" can never fail: no step creates table "post_tag" there',
      '60: plan: the expectation that column "posts.subtitle" is absent in store "app" can never fail: no statement there names a column "subtitle"',
      '62: plan: the expectation that a foreign key from "invoice_lines" to "accounts" is absent in store "billing" can never fail: no step creates table "accounts" there',
      '64: plan: the expectation that extension "pg_trgm" is absent in store "app" can never fail: no step creates extension "pg_trgm" there',
    ]);
    for (const line of [58, 60, 62, 64]) expect(at(line).status).toBe('ok');
  });
});
