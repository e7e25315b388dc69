/**
 * `topoplan check` on throwaway embedded engines (it starts its own: one
 * PostgreSQL server, one chdb): a tree with four corpus bugs is reported in
 * one run, each with file and line; the same tree with them skipped passes;
 * the Nova example's schemas match their reviewed files; a changed migration
 * fails with the schema diff until --update accepts it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/check/check-plan.js';
import type { CheckResult } from '../../../src/check/check-result.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { renderCheckText } from '../../../src/render/check-text.js';
import { novaCopy } from '../../helpers/nova.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const bin = join(repo, 'bin', 'topoplan.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const update = process.env.UPDATE_GOLDEN === '1';

describe('check on a tree with corpus bugs', () => {
  it('reports every bug with its file and line in one run, what it skipped and what may follow from it; exit 1', () => {
    const run = cli('check', 'test/fixtures/check/corpus.yaml', '--format', 'json');
    expect(run.status, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as CheckResult;
    expect(result.ok).toBe(false);
    const where = result.failures.map((f) => [f.file, f.line, f.statement, f.store, f.code]);
    expect(where).toEqual([
      // An index name taken twice: 0001's UNIQUE already made accounts_email_key.
      ['accounts/migrations/0002_case_insensitive_email.sql', 3, 1, 'app', '42P07'],
      // A DO block that raises unless a table of another database exists.
      ['billing/migrations/002_guard_accounts.sql', 2, 1, 'billing', 'P0001'],
      // A column no migration created, and the comment on the index it could not make.
      ['legacy/004_post_indexes.sql', 3, 1, 'app', '42703'],
      ['legacy/004_post_indexes.sql', 5, 2, 'app', '42P01'],
      // A function drop that other triggers depend on, in a later file of the same set.
      ['legacy/090_cleanup_helpers.sql', 2, 1, 'app', '2BP01'],
    ]);
    const [email, guard, column, comment, drop] = result.failures;
    expect(email!.message).toBe('relation "accounts_email_key" already exists');
    expect(guard!.message).toBe('billing: table accounts must exist before invoices are backfilled');
    expect(column!.message).toBe('column "published_at" does not exist');
    expect(column!.skipped).toEqual(['app:legacy/005_tune_feed.sql#1']);
    expect(comment!.mayFollowFrom).toEqual([{ step: column!.step, file: 'legacy/004_post_indexes.sql', line: 3, statement: 1 }]);
    expect(drop!.message).toContain('cannot drop function set_updated_at() because other objects depend on it');
    expect(drop!.detail).toContain('trigger trg_accounts_updated_at on table accounts depends on function set_updated_at()');
    expect(drop!.mayFollowFrom.map((p) => p.file)).toEqual(['legacy/004_post_indexes.sql']);
    // Later statements of a failed file and later files of the set still ran.
    const status = new Map(result.steps.map((s) => [s.id, s.status]));
    expect(status.get('app:legacy/006_tags.sql#1-2')).toBe('applied');
    expect(status.get('app:legacy/090_cleanup_helpers.sql#2')).toBe('applied');
    expect(status.get('app:accounts/0003_account_settings.sql#1-2')).toBe('applied');
    expect(result.schemas.find((s) => s.store === 'app')!.objects.map((o) => o.name)).toContain('public.idx_posts_author');
    const text = renderCheckText(result, { topology: 'corpus', file: 'test/fixtures/check/corpus.yaml', command: 'topoplan check test/fixtures/check/corpus.yaml' });
    expect(text).toContain('FAILED legacy/004_post_indexes.sql:3 statement 1 in store "app": column "published_at" does not exist [42703]\n  skipped because of it: app:legacy/005_tune_feed.sql#1\n');
    expect(text).toContain('  may be a consequence of the earlier failure at legacy/004_post_indexes.sql:3');
    expect(text).toContain('  hint: Use DROP ... CASCADE to drop the dependent objects too.');
    expect(text).toMatch(/check: failed: 19 steps: 14 applied, 5 statements failed in 4 steps, 1 skipped\n$/);
  });

  it('exit 0 once the bugs are skipped; the plan is rolled back too unless --no-reverts', () => {
    const skipped = cli('check', 'test/fixtures/check/corpus-skipped.yaml', '--no-schema');
    expect(skipped.status, skipped.stdout + skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain('rollback (every step reverted on the same engines)\n  ok     every revert ran and each store is back as before\n');
    expect(skipped.stdout).toMatch(/check: ok: 15 steps: 15 applied\n$/);
    const lean = cli('check', 'test/fixtures/check/corpus-skipped.yaml', '--no-schema', '--no-reverts', '--format', 'json');
    expect(lean.status, lean.stdout + lean.stderr).toBe(0);
    const result = JSON.parse(lean.stdout) as CheckResult;
    expect([result.ok, result.steps.length, result.reverts]).toEqual([true, 15, undefined]);
  });
});

describe('check of the Nova example', () => {
  for (const p of ['a', 'b'] as const) {
    it(`plan ${p.toUpperCase()}: every step applies, the expectations hold, and each schema is its reviewed file`, async () => {
      const plan = await planMigration(join(repo, 'topologies', `nova-plan-${p}.yaml`));
      const dir = join(repo, 'topologies', 'schema', `nova-plan-${p}`);
      const result = await checkPlan(plan, { contract: true, schemaDir: dir, ...(update ? { update: true } : {}) });
      expect(result.failures).toEqual([]);
      expect(result.notChecked).toEqual([{ store: 'graph', steps: 2, reason: expect.stringContaining('--neo4j-url') }]);
      // The Neo4j store is one line of the report, not one per step.
      const text = renderCheckText(result, { topology: plan.topology, file: plan.file, command: 'topoplan check' });
      expect(text.split('\n').filter((l) => l.includes('graph'))).toEqual(['not checked: store "graph", 2 steps: Neo4j has no embedded engine; give a throwaway server with --neo4j-url']);
      expect(result.verification!.checks.every((c) => c.status === 'ok')).toBe(true);
      expect(result.schemaFiles.map((f) => [f.store, f.status])).toEqual(
        readdirSync(dir).sort().map((f) => [f.replace(/\.json$/, ''), update ? expect.stringMatching(/same|written/) : 'same']),
      );
      expect(result.ok).toBe(true);
    });
  }

  it('a changed migration fails with the schema diff; --update writes the new schema, and then it matches', async () => {
    const nova = novaCopy('a', 'schema');
    const schemaDir = mkdtempSync(join(tmpdir(), 'topoplan-schema-'));
    cpSync(join(repo, 'topologies', 'schema', 'nova-plan-a'), schemaDir, { recursive: true });
    const rel = 'social-service/migrations/004_create_processed_events.sql';
    nova.write(rel, nova.read(rel).replace('VARCHAR(128)', 'VARCHAR(256)'));
    const plan = await planMigration(await nova.load());
    const changed = await checkPlan(plan, { contract: true, schemaDir });
    expect(changed.ok).toBe(false);
    expect(changed.failures).toEqual([]);
    const nova1 = changed.schemaFiles.find((f) => f.store === 'nova')!;
    expect(nova1.status).toBe('changed');
    expect(nova1.changes.flatMap((c) => c.details)).toContain('column "topic": character varying(128) not null → character varying(256) not null');
    expect(changed.schemaFiles.find((f) => f.store === 'feature_store')!.status).toBe('same');
    const text = renderCheckText(changed, { topology: plan.topology, file: plan.file, command: 'topoplan check nova-plan-a.yaml --contract' });
    expect(text).toMatch(/\n {2}nova +differs from .*nova\.json:\n {4}~ table public\.processed_events\n {8}column "topic": character varying\(128\) not null → character varying\(256\) not null\n/);
    expect(text).toContain('  accept the new schema with: topoplan check nova-plan-a.yaml --contract --update\n');
    expect(text).toMatch(/check: failed: .*schema of 1 store differs\n$/);

    const written = await checkPlan(plan, { contract: true, schemaDir, update: true });
    expect(written.schemaFiles.map((f) => [f.store, f.status])).toEqual([['feature_store', 'same'], ['nova', 'written']]);
    expect(written.ok).toBe(true);
    expect(readFileSync(join(schemaDir, 'nova.json'), 'utf8')).toContain('{ "name": "topic", "type": "character varying(256)", "nullable": false }');
  });
});
