/**
 * A check goes on past a failing ClickHouse statement, on a real chdb: a
 * ClickHouse step is not transactional, so the statements before the failure
 * stay in effect, the ones after it run one by one, and each that fails is
 * reported with its own line; the next file of the set still runs.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject } from '../../helpers/project.js';

const files = {
  'events/001_tables.sql': `CREATE TABLE events.visits (id UInt64) ENGINE = MergeTree ORDER BY id;

CREATE TABLE events.sessions (id UInt64, at Date DEFAULT no_such_function()) ENGINE = MergeTree ORDER BY id;

CREATE TABLE events.pages (id UInt64) ENGINE = MergeTree ORDER BY id;

CREATE TABLE events.clicks (id UInt64 DEFAULT another_missing_function()) ENGINE = MergeTree ORDER BY id;
`,
  'events/002_more.sql': `CREATE TABLE events.referrers (id UInt64) ENGINE = MergeTree ORDER BY id;
`,
};

describe('check on ClickHouse', () => {
  it('reports every failing statement of a file with its line, keeps what the others made, and runs the next file', async () => {
    const p = makeProject(files, {
      stores: { events: { engine: 'clickhouse', database: 'events' } },
      sets: { events: { dir: 'events', engines: { '*.sql': 'clickhouse' } } },
      services: { analytics: { stores: { clickhouse: 'events' }, sets: ['events'], owns: ['events.*'] } },
    });
    const plan = await planMigration(p.topologyFile, { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const result = await checkPlan(plan, { reverts: false });
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => [f.file, f.line, f.statement, f.store])).toEqual([
      ['events/001_tables.sql', 3, 2, 'events'],
      ['events/001_tables.sql', 7, 4, 'events'],
    ]);
    expect(result.failures[0]!.message).toContain('no_such_function');
    expect(result.failures[1]!.message).toContain('another_missing_function');
    expect(result.failures[1]!.mayFollowFrom).toEqual([{ step: result.failures[0]!.step, file: 'events/001_tables.sql', line: 3, statement: 2 }]);
    const tables = result.schemas.find((s) => s.store === 'events')!.objects.filter((o) => o.kind === 'table').map((o) => o.name);
    expect(tables).toEqual(['events.pages', 'events.referrers', 'events.visits']);
  });
});
