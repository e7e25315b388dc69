import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { loadTopology } from '../../../../src/topology/index.js';
import { renderDryRun } from '../../../../src/render/dry-run.js';
import { renderPlanText } from '../../../../src/render/plan-text.js';
import { makeProject } from '../../../helpers/project.js';

async function plan(files: Record<string, string>, topology: Record<string, unknown>, env: Record<string, string> = {}): Promise<Plan> {
  const { topologyFile } = makeProject(files, topology);
  return planMigration(topologyFile, { allowErrors: true, env });
}

const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error');

const twoStores = (set: Record<string, unknown>) => ({
  stores: { main: { engine: 'postgres', database: 'main_db' }, state: { engine: 'postgres', database: 'state_db' } },
  sets: { app: { dir: 'app', ...set } },
  services: { api: { stores: { postgres: 'state' }, sets: ['app'] } },
});

describe('substitutions and variables', () => {
  const files = {
    'app/001_users.sql': 'CREATE TABLE users (id $%AUTO_INCREMENT_PRIMARY_KEY%$, region text DEFAULT \'${REGION}\');\nCOMMENT ON TABLE users IS \'lives in {{.DB}}\';\nCREATE TABLE plain (id int);',
  };
  const set = {
    substitute: { '$%AUTO_INCREMENT_PRIMARY_KEY%$': 'BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY' },
    variables: { REGION: { env: 'APP_REGION', default: 'eu' }, DB: { store: 'database' } },
  };

  it('fill the statements before parsing and are shown on the step, with the entry that gives each value', async () => {
    const p = await plan(files, twoStores(set), { APP_REGION: 'us' });
    expect(errors(p)).toEqual([]);
    const step = p.steps.find((s) => s.source?.file === 'app/001_users.sql')!;
    expect(step.statements).toEqual([
      "CREATE TABLE users (id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY, region text DEFAULT 'us')",
      "COMMENT ON TABLE users IS 'lives in state_db'",
      'CREATE TABLE plain (id int)',
    ]);
    expect(step.source!.statementLines).toEqual([1, 2, 3]);
    expect(step.substitutions!.map((s) => [s.placeholder, s.value])).toEqual([
      ['$%AUTO_INCREMENT_PRIMARY_KEY%$', 'BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY'],
      ['${REGION}', 'us'],
      ['{{.DB}}', 'state_db'],
    ]);
    expect(step.substitutions!.map((s) => s.source)).toEqual([
      expect.stringMatching(/^substitute \(.*topology\.yaml:\d+\)$/),
      expect.stringMatching(/^variable REGION: \$APP_REGION \(.*topology\.yaml:\d+\)$/),
      expect.stringMatching(/^variable DB: store "state" setting "database" \(.*topology\.yaml:\d+\)$/),
    ]);
    expect(renderPlanText(p)).toContain('# {{.DB}} → "state_db" (variable DB: store "state" setting "database"');
    expect(renderDryRun(p)).toContain('-- ${REGION} → "us" (variable REGION: $APP_REGION');
  });

  it('an environment variable falls back to its default; a placeholder nothing fills fails the plan at its line', async () => {
    const p = await plan(files, twoStores({ ...set, variables: { REGION: { env: 'APP_REGION', default: 'eu' } } }));
    expect(p.steps.find((s) => s.source?.file === 'app/001_users.sql')!.statements[0]).toContain("DEFAULT 'eu'");
    const [e, ...others] = errors(p);
    expect(others).toEqual([]);
    expect(e).toMatchObject({ code: 'sql.placeholder', file: 'app/001_users.sql', line: 2, object: '{{.DB}}' });
    expect(e!.hint).toContain('sets:\n  app:\n    variables:\n      DB:');
  });

  it('a store variable needs a store known before parsing, and a setting the store has', async () => {
    const shared = await plan(files, {
      ...twoStores({}),
      sets: { app: { dir: 'app', shared: true, ...set } },
      services: { api: { stores: { postgres: 'state' }, owns: ['users', 'plain'] } },
    });
    expect(errors(shared).find((d) => d.code === 'plan.variable')!.message).toBe('plan: variable "DB" of set "app" comes from the store, but the store of "app/001_users.sql" is not known before it is parsed');
    const missing = await plan(files, twoStores({ ...set, variables: { ...set.variables, DB: { store: 'cluster' } } }));
    const d = errors(missing).find((x) => x.code === 'plan.variable')!;
    expect(d.message).toBe('plan: variable "DB" of set "app" comes from setting "cluster" of store "state", which it does not have');
    expect(d.hint).toContain('default:');
    const mapped = await plan(files, twoStores({ ...set, variables: { ...set.variables, DB: { store: 'engine', values: { postgres: 'pg' } } } }));
    expect(mapped.steps.find((s) => s.source?.file === 'app/001_users.sql')!.statements[1]).toBe("COMMENT ON TABLE users IS 'lives in pg'");
  });

  it('the topology rejects a variable without a value, an unset environment variable, the store URL and text over lines', async () => {
    const { topologyFile } = makeProject(files, twoStores({
      substitute: { 'a\nb': 'c' },
      variables: { A: { env: 'NOT_SET' }, B: { store: 'url' }, C: { default: 'x' } },
    }));
    const { topology, diagnostics } = await loadTopology(topologyFile, { env: {} });
    expect(topology).toBeUndefined();
    expect(diagnostics.filter((d) => d.code === 'topology.variable').map((d) => d.message)).toEqual([
      'topology: set "app" substitutes text over more than one line',
      'topology: variable "A" of set "app" comes from ${NOT_SET}, which is not set',
      'topology: variable "B" of set "app" cannot come from the store\'s "url"',
      'topology: variable "C" of set "app" needs exactly one of "value", "env", "store"',
    ]);
    const bad = makeProject(files, twoStores({ variables: { 'not-a-name': { value: 'x' } } }));
    const schema = (await loadTopology(bad.topologyFile, { env: {} })).diagnostics.find((d) => d.code === 'topology.schema')!;
    expect(schema.hint).toContain('variable names are letters, digits and "_"');
  });
});
