import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectationWarnings } from '../../../src/plan/expectation-warnings.js';
import { planMigration } from '../../../src/plan/plan-migration.js';

const file = join(resolve(import.meta.dirname, '..', '..', 'fixtures', 'check'), 'corpus-expectations.yaml');

describe('expectationWarnings', () => {
  it('warns about each expectation that can never fail, at its line', async () => {
    const plan = await planMigration(file, { env: {} });
    const warnings = expectationWarnings(plan.expectations, plan.steps).map((d) => `${d.line}: ${d.message}`);
    expect(warnings).toEqual([
      '58: plan: the expectation that table "post_tag" is absent in store "app" can never fail: no step creates table "post_tag" there',
      '60: plan: the expectation that column "posts.subtitle" is absent in store "app" can never fail: no statement there names a column "subtitle"',
      '62: plan: the expectation that a foreign key from "invoice_lines" to "accounts" is absent in store "billing" can never fail: no step creates table "accounts" there',
      '64: plan: the expectation that extension "pg_trgm" is absent in store "app" can never fail: no step creates extension "pg_trgm" there',
    ]);
  });

  it('reads no step when nothing is expected', async () => {
    const plan = await planMigration(file, { env: {} });
    const steps = plan.steps.map((s) => new Proxy(s, { get: () => { throw new Error('a step was read'); } }));
    expect(expectationWarnings([], steps)).toEqual([]);
  });
});
