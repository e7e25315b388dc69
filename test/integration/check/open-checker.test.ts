/**
 * A checker keeps its scratch engines between checks, and every check still
 * starts from empty engines: the corpus checked twice gives the same result
 * (no ledger, table or ClickHouse database left from the first), a role a
 * migration creates can be created again, and another plan runs in between.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChecker, type Checker } from '../../../src/check/open-checker.js';
import type { CheckResult } from '../../../src/check/check-result.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject } from '../../helpers/project.js';

const fixtures = resolve(import.meta.dirname, '..', '..', 'fixtures', 'check');
const outcome = (r: CheckResult) => ({ ok: r.ok, failures: r.failures.map((f) => `${f.file}:${f.line} ${f.code}`), steps: r.steps.map((s) => `${s.id} ${s.status}`), schemas: r.schemas });

let checker: Checker;
beforeAll(async () => { checker = await openChecker(); });
afterAll(async () => { await checker?.close(); });

describe('openChecker', () => {
  it('checks the corpus twice with the same result, and another plan in between', async () => {
    const corpus = await planMigration(join(fixtures, 'corpus.yaml'));
    const first = await checker.check(corpus);
    expect(first.failures).toHaveLength(5);
    expect(first.steps.filter((s) => s.status === 'already-applied')).toEqual([]);
    const skipped = await checker.check(await planMigration(join(fixtures, 'corpus-skipped.yaml')));
    expect(skipped.ok).toBe(true);
    expect(outcome(await checker.check(corpus))).toEqual(outcome(first));
  });

  it('drops what a check made outside its databases: a role can be created again', async () => {
    const p = makeProject({
      'reporting/migrations/001_reader.sql': `CREATE ROLE reporting_reader NOLOGIN;
CREATE TABLE daily_totals (day date PRIMARY KEY, total bigint NOT NULL DEFAULT 0);
GRANT SELECT ON daily_totals TO reporting_reader;
`,
    }, {});
    const topology = (database: string) => stringify({ topoplan: 1, name: 'reporting', stores: { main: { engine: 'postgres', database } }, sets: { reporting: { dir: 'reporting/migrations' } }, services: { reporting: { stores: { postgres: 'main' }, sets: ['reporting'], owns: ['daily_totals'] } } });
    writeFileSync(p.topologyFile, topology('reporting'));
    const once = await checker.check(await planMigration(p.topologyFile));
    expect(once.failures).toEqual([]);
    // Another database on the same server: only a role left from the first check would be in its way.
    writeFileSync(p.topologyFile, topology('reporting_eu'));
    const twice = await checker.check(await planMigration(p.topologyFile));
    expect(twice.failures).toEqual([]);
    expect(twice.steps.map((s) => s.status)).toEqual(once.steps.map(() => 'applied'));
  });
});
