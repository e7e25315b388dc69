import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import type { Plan } from '../../../../src/plan/model.js';
import { withSearchPath } from '../../../../src/plan/resolve/sqlx-ledgers.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { novaCopy } from '../../../helpers/nova.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

const files = {
  'accounts/migrations/001_create_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n',
  'accounts/migrations/002_add_accounts_created_at.sql': 'ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();\n',
  'payments/migrations/001_create_payments.sql': 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id));\n',
  'reports/migrations/20240105120000_create_reports.sql': 'CREATE TABLE reports (id bigint PRIMARY KEY);\n',
};

async function plan(sqlx: Record<string, Record<string, unknown> | undefined>, only = ['accounts', 'payments', 'reports']): Promise<Plan> {
  const { topologyFile } = makeProject(files, pgTopology({
    sets: Object.fromEntries(only.map((s) => [s, { dir: `${s}/migrations` }])),
    services: Object.fromEntries(only.map((s) => [s, { stores: { postgres: 'main' }, sets: [s], owns: [], ledger: 'sqlx', ...(sqlx[s] ? { sqlx: sqlx[s] } : {}) }])),
  }));
  return planMigration(topologyFile, { allowErrors: true, env: {} });
}

const sqlxErrors = (p: Plan) => p.diagnostics.filter((d) => d.code === 'plan.sqlx_ledger');

describe('Nova without its per-service sqlx tables', () => {
  it('plan A, five sqlx services in one database each with a version 1, is a conflict; so is plan B, where two of them still share one', async () => {
    const nova = novaCopy('a', 'nosqlx');
    const a = nova.topologyFile;
    writeFileSync(a, readFileSync(a, 'utf8').replace(/^\s+sqlx:.*\n(?:\s+table:.*\n)?/gm, ''));
    expect(readFileSync(a, 'utf8')).not.toContain('_sqlx_migrations_');
    const [e, ...rest] = sqlxErrors(await planMigration(a, { allowErrors: true, env: {} }));
    expect(rest).toEqual([]);
    expect(e!.message).toMatch(/^plan: sqlx services "content-service", "feature-store", "realtime-chat-service", "social-service", "user-service" keep their ledgers in one table public._sqlx_migrations of store "nova", and their versions collide: version 1 \(/);
    expect(e!.hint).toContain('sqlx: { table: _sqlx_migrations_social_service }');
    const b = sqlxErrors(await planMigration(join(nova.dir, 'nova-plan-b.yaml'), { allowErrors: true, env: {} }));
    expect(b.map((d) => d.message)).toEqual([expect.stringMatching(/^plan: sqlx services "content-service", "user-service" keep their ledgers in one table public._sqlx_migrations of store "nova", and their versions collide: version 1 \("content-service\/migrations\/001_create_post_media.sql", "user-service\/migrations\/001_create_user_settings.sql"\);/)]);
  });
});

describe('sqlx ledgers sharing one table', () => {
  it('colliding versions in one table are one error naming the files, with the YAML of a table per service', async () => {
    const [e, ...rest] = sqlxErrors(await plan({}));
    expect(rest).toEqual([]);
    expect(e!.message).toContain('table public._sqlx_migrations of store "main"');
    expect(e!.message).toContain('version 1 ("accounts/migrations/001_create_accounts.sql", "payments/migrations/001_create_payments.sql")');
    expect(e!.message).toContain('VersionMismatch');
    expect(e!.file).toBe('accounts/migrations/001_create_accounts.sql');
    expect(e!.hint).toContain('services:\n  accounts:\n    sqlx: { table: _sqlx_migrations_accounts }\n  payments:\n    sqlx: { table: _sqlx_migrations_payments }');
    expect(e!.hint).toContain('sqlx: { schema: accounts }');
  });

  it('distinct versions in one table: each migrator lacking ignore_missing would see the others\' versions as missing', async () => {
    const p = await plan({}, ['accounts', 'reports']);
    const messages = sqlxErrors(p).map((d) => d.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/sqlx service "accounts" shares table public._sqlx_migrations .* versions 20240105120000 it has no file for: .*VersionMissing/);
    expect(messages[1]).toMatch(/sqlx service "reports" .* versions 1, 2 it has no file for/);
    expect(sqlxErrors(p)[0]!.hint).toContain('sqlx: { ignoreMissing: true }');
    expect(sqlxErrors(await plan({ accounts: { ignoreMissing: true }, reports: { ignoreMissing: true } }, ['accounts', 'reports']))).toEqual([]);
    expect(sqlxErrors(await plan({ accounts: { ignoreMissing: true } }, ['accounts', 'reports'])).map((d) => d.object)).toEqual(['sqlx ledger public._sqlx_migrations in store "main"']);
  });

  it('a version both services have with the same bytes is each one\'s own row: only versions a service has no file for are missing to it', async () => {
    const baseline = "CREATE OR REPLACE FUNCTION baseline() RETURNS int LANGUAGE sql AS 'SELECT 1';\n";
    const { topologyFile } = makeProject({ ...files, 'accounts/migrations/000_baseline.sql': baseline, 'payments/migrations/000_baseline.sql': baseline }, pgTopology({
      sets: { accounts: { dir: 'accounts/migrations' }, payments: { dir: 'payments/migrations', include: ['000_*'] } },
      services: { accounts: { stores: { postgres: 'main' }, sets: ['accounts'], owns: [], ledger: 'sqlx' }, payments: { stores: { postgres: 'main' }, sets: ['payments'], owns: [], ledger: 'sqlx' } },
      shared: ['function:baseline'],
    }));
    const messages = sqlxErrors(await planMigration(topologyFile, { allowErrors: true, env: {} })).map((d) => d.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/sqlx service "payments" shares table public._sqlx_migrations of store "main" with "accounts", whose versions 1, 2 it has no file for/);
  });

  it('ignore_missing does not make colliding versions acceptable', async () => {
    expect(sqlxErrors(await plan({ accounts: { ignoreMissing: true }, payments: { ignoreMissing: true } }, ['accounts', 'payments']))).toHaveLength(1);
  });

  it('a table or a schema per service resolves it; each step carries its table; the schema shows the connection to use', async () => {
    const p = await plan({ accounts: { table: '_sqlx_migrations_accounts' }, payments: { schema: 'payments' } });
    expect(sqlxErrors(p)).toEqual([]);
    expect(p.steps.filter((s) => s.sqlx).map((s) => [s.service, s.sqlx!.version, s.sqlx!.table]).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`))).toEqual([
      ['accounts', '1', 'public._sqlx_migrations_accounts'],
      ['accounts', '2', 'public._sqlx_migrations_accounts'],
      ['payments', '1', 'payments._sqlx_migrations'],
      ['reports', '20240105120000', undefined],
    ]);
    expect(p.services.map((s) => s.sqlx)).toEqual([
      { table: 'public._sqlx_migrations_accounts' },
      { table: 'payments._sqlx_migrations', searchPath: 'payments,public', connection: 'DATABASE_URL=postgres://HOST/main?options=-c%20search_path%3Dpayments%2Cpublic' },
      { table: 'public._sqlx_migrations' },
    ]);
  });

  it('sqlx: without ledger: sqlx is a topology error', async () => {
    const { topologyFile } = makeProject(files, pgTopology({ sets: { accounts: { dir: 'accounts/migrations' } }, services: { accounts: { stores: { postgres: 'main' }, sets: ['accounts'], sqlx: { table: 't' } } } }));
    await expect(planMigration(topologyFile, { env: {} })).rejects.toThrow(/service "accounts" declares sqlx: but its ledger is not sqlx/);
  });

  it('a search_path goes into the URL as libpq options, after any query the URL has', () => {
    expect(withSearchPath('postgres://u:p@db:5432/app?sslmode=require', 's,public')).toBe('postgres://u:p@db:5432/app?sslmode=require&options=-c%20search_path%3Ds%2Cpublic');
  });
});
