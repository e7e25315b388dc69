/**
 * Drift on real PostgreSQL: objects made by hand in an applied store are
 * reported by `status` and `verify` (against the plan, and against the
 * committed schema file: added, removed, changed), while what the database
 * makes by itself (indexes behind primary-key and unique constraints,
 * indexes of partitions, sequences owned by columns) never is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../../src/engines/postgres/postgres-url.js';
import { postgresEngine } from '../../../src/engines/postgres/postgres-engine.js';
import { applyPlan } from '../../../src/execute/apply-plan.js';
import type { StoreStatus } from '../../../src/execute/store-status.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { renderSchemaFile } from '../../../src/schema/schema-file.js';
import { storeSchema } from '../../../src/schema/store-schema.js';
import { cli } from '../../helpers/cli.js';
import { startTestPostgres, tempDir, type TestEngine } from '../../helpers/engines.js';
import { makeProject } from '../../helpers/project.js';

let server: TestEngine;
beforeAll(async () => { server = await startTestPostgres(); });
afterAll(async () => { await server?.stop(); });

const files = {
  'accounts/migrations/0001_users.sql': `-- users and their handles; handles are unique (the constraint makes its own index)
CREATE TABLE users (
    id         BIGSERIAL PRIMARY KEY,
    email      TEXT NOT NULL,
    handle     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_handle_uniq UNIQUE (handle)
);
CREATE INDEX idx_users_created ON users (created_at DESC);
`,
  'accounts/migrations/0002_audit.sql': `/* audit events, one partition per year */
CREATE TABLE audit_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    at      TIMESTAMPTZ NOT NULL,
    what    TEXT,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE audit_events_2025 PARTITION OF audit_events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE audit_events_2026 PARTITION OF audit_events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX idx_audit_events_user ON audit_events (user_id, at);
`,
};

async function sql(database: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl(server.url, database) });
  await c.connect();
  try { await c.query(text); } finally { await c.end(); }
}

/** Applies the project to a database of its own; returns its topology file and a status run through the CLI. */
async function appliedProject(database: string) {
  const p = makeProject(files, {});
  const topology = { topoplan: 1, name: database, stores: { main: { engine: 'postgres', database, url: server.url } }, sets: { accounts: { dir: 'accounts/migrations' } }, services: { accounts: { stores: { postgres: 'main' }, sets: ['accounts'], owns: ['users', 'audit_events*'] } } };
  writeFileSync(p.topologyFile, stringify(topology));
  const plan = await planMigration(p.topologyFile);
  const applied = await applyPlan(plan, { connections: { main: server.url }, workDir: await tempDir('drift-') });
  expect(applied.ok).toBe(true);
  const status = async () => {
    const run = await cli(['status', p.topologyFile, '--json']);
    expect(run.err).toBe('');
    return { code: run.code, store: (JSON.parse(run.out) as { stores: StoreStatus[] }).stores[0]! };
  };
  /** Writes the committed schema file from what the store holds now, as `check --update` would from a check. */
  const commitSchema = async () => {
    const session = await postgresEngine.connect({ store: 'main', database, url: server.url });
    try {
      mkdirSync(join(p.dir, 'schema', database), { recursive: true });
      writeFileSync(join(p.dir, 'schema', database, 'main.json'), renderSchemaFile(storeSchema(await session.inspect(), { store: 'main', engine: 'postgres', database })));
    } finally { await session.close(); }
  };
  return { ...p, status, commitSchema };
}

describe('drift', () => {
  it('what the database made with a constraint, a partition or a column is not unknown; an object made by hand is', async () => {
    const p = await appliedProject('drift_plan');
    const before = await p.status();
    expect(before.code).toBe(0);
    expect(before.store.unknown).toEqual([]);
    expect(before.store.drift).toEqual({ against: 'plan', changes: [] });

    await sql('drift_plan', `CREATE TABLE tmp_fix (id int);
      CREATE INDEX idx_users_email_by_hand ON users (lower(email));
      CREATE SEQUENCE invoice_numbers START 1000;`);
    const after = await p.status();
    expect(after.store.unknown).toEqual(['public.idx_users_email_by_hand', 'public.invoice_numbers', 'public.tmp_fix']);
    expect(after.store.drift!.changes.map((c) => [c.change, c.kind, c.name])).toEqual([
      ['added', 'sequence', 'public.invoice_numbers'],
      ['added', 'table', 'public.tmp_fix'],
      ['added', 'index', 'public.idx_users_email_by_hand'],
    ]);
    // Without a committed schema, an unknown object is listed but does not fail the status.
    expect(after.code).toBe(0);
    const text = await cli(['status', p.topologyFile]);
    expect(text.out).toContain('  unknown    public.tmp_fix: no step of the plan creates it\n');
    expect(text.out).not.toMatch(/users_handle_uniq|users_pkey|audit_events_20\d\d_|users_id_seq/);
  });

  it('against the committed schema: added, removed and changed objects outside migrations fail status and verify', async () => {
    const p = await appliedProject('drift_file');
    await p.commitSchema();
    expect((await p.status()).store.drift).toEqual({ against: 'schema-file', file: expect.stringMatching(/schema\/drift_file\/main\.json$/), changes: [] });
    const clean = await cli(['verify', p.topologyFile]);
    expect(clean.code, clean.out + clean.err).toBe(0);
    expect(clean.out).toMatch(/main\n  schema     matches .*main\.json\n$/);

    await sql('drift_file', `CREATE TABLE tmp_fix (id int);
      DROP INDEX idx_users_created;
      ALTER TABLE users ADD COLUMN note text, ALTER COLUMN handle DROP NOT NULL;`);
    const drifted = await p.status();
    expect(drifted.code).toBe(1);
    expect(drifted.store.drift!.changes).toEqual([
      { change: 'added', kind: 'table', name: 'public.tmp_fix', details: ['1 column: id'] },
      { change: 'changed', kind: 'table', name: 'public.users', details: ['column "handle": text not null → text', 'column "note" added (text)'] },
      { change: 'removed', kind: 'index', name: 'public.idx_users_created', details: ['CREATE INDEX idx_users_created ON public.users USING btree (created_at DESC)'] },
    ]);
    const verify = await cli(['verify', p.topologyFile]);
    expect(verify.code).toBe(1);
    expect(verify.out).toContain('  drift      3 changes outside migrations, against ');
    expect(verify.out).toContain('    + table public.tmp_fix: 1 column: id\n    ~ table public.users\n        column "handle": text not null → text\n');
    expect(verify.out).toContain('    - index public.idx_users_created: CREATE INDEX');
  });
});

