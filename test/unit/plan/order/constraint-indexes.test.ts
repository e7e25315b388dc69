/**
 * Indexes PostgreSQL makes for PRIMARY KEY and UNIQUE constraints (`t_pkey`, `t_email_key`, or the name the
 * constraint gives) are there once their statement ran: a statement naming one runs after it, in any set,
 * and is no `missing_object`; one no statement makes, or one its own set makes only later, still is.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, twoServices } from '../../../helpers/project.js';

const twoSets = twoServices(['accounts']);
const plan = async (files: Record<string, string>) => planMigration(makeProject(files, twoSets).topologyFile, { env: {}, allowErrors: true });
const problems = (p: Awaited<ReturnType<typeof plan>>) => p.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.file}:${d.line} ${d.code}`);

describe('indexes made by constraints', () => {
  it('are found where a statement names them, in the same file or another set, which then runs after them', async () => {
    const p = await plan({
      'a/001_accounts.sql': "CREATE TABLE accounts (id bigint PRIMARY KEY, email text UNIQUE);\nCOMMENT ON INDEX accounts_pkey IS 'by id';\n",
      'a/002_handle.sql': 'ALTER TABLE accounts ADD COLUMN handle text;\nALTER TABLE accounts ADD CONSTRAINT accounts_handle_uq UNIQUE (handle);\n',
      'b/001_tune.sql': "COMMENT ON INDEX accounts_email_key IS 'lookups by email';\nALTER INDEX accounts_handle_uq SET (fillfactor = 70);\n",
    });
    expect(problems(p)).toEqual([]);
    const reasons = (from: string, to: string) => p.edges.find((e) => e.from === from && e.to === to)?.reasons ?? [];
    expect(reasons('main:a/001_accounts.sql#1-2', 'main:b/001_tune.sql#1-2')).toContain('index accounts_email_key is made by a constraint here');
    expect(reasons('main:a/002_handle.sql#1-2', 'main:b/001_tune.sql#1-2')).toContain('index accounts_handle_uq is made by a constraint here');
  });

  it('are still missing when no statement makes them, or only a later one of the same set', async () => {
    const p = await plan({
      'a/001_accounts.sql': "COMMENT ON INDEX accounts_pkey IS 'too early';\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n",
      'b/001_tune.sql': "COMMENT ON INDEX accounts_nope_key IS 'no such index';\n",
    });
    expect(problems(p)).toEqual(['a/001_accounts.sql:1 plan.missing_object', 'b/001_tune.sql:1 plan.missing_object']);
  });

  it('REINDEX INDEX and CLUSTER ... USING name their index: they run after what makes it, and a missing one is reported', async () => {
    const p = await plan({
      'a/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n',
      'a/002_email.sql': 'CREATE INDEX accounts_email_idx ON accounts (email);\n',
      'b/001_tune.sql': 'REINDEX INDEX accounts_email_idx;\nCLUSTER accounts USING accounts_pkey;\nREINDEX TABLE accounts;\nCLUSTER accounts;\n',
      'b/002_nope.sql': 'REINDEX INDEX accounts_nope;\nCLUSTER accounts USING accounts_gone;\n',
    });
    expect(problems(p)).toEqual(['b/002_nope.sql:1 plan.missing_object', 'b/002_nope.sql:2 plan.missing_object']);
    const reasons = (from: string, to: string) => p.edges.find((e) => e.from === from && e.to === to)?.reasons ?? [];
    expect(reasons('main:a/002_email.sql#1', 'main:b/001_tune.sql#1-4').join()).toContain('accounts_email_idx');
    expect(reasons('main:a/001_accounts.sql#1', 'main:b/001_tune.sql#1-4')).toContain('index accounts_pkey is made by a constraint here');
  });
});
