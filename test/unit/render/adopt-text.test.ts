/**
 * The text of `adopt`: per store its ledgers found, each step adopted, pending or conflicting (recorded ones only
 * with verbose), the counts with what was written, a store that cannot be reached, and what to do about conflicts.
 */
import { describe, expect, it } from 'vitest';
import type { AdoptResult, StoreAdoption } from '../../../src/adopt/adopt-plan.js';
import type { StepAdoption } from '../../../src/adopt/classify-adoption.js';
import { renderAdoptText } from '../../../src/render/adopt-text.js';

const step = (status: StepAdoption['status'], id: string, evidence: string, difference?: string[]): StepAdoption => ({ id, store: 'main', status, evidence, ...(difference ? { difference } : {}) });

const main: StoreAdoption = {
  store: 'main',
  reachable: true,
  knownLedgers: ['dbmate public.schema_migrations (2 rows)'],
  steps: [
    step('recorded', 'main:app/001_users.sql#1-1', 'in the ledger already'),
    step('adopted', 'main:app/002_posts.sql#1-2', 'table public.posts is there as planned'),
    step('pending', 'main:app/003_tags.sql#1-1', 'table public.tags is missing'),
    step('conflicting', 'main:app/004_likes.sql#1-1', 'table public.likes differs', ['column "at": live timestamp, plan timestamptz', 'column "note": only live']),
  ],
  counts: { recorded: 1, adopted: 1, pending: 1, conflicting: 1 },
  written: 0,
};

describe('renderAdoptText', () => {
  it('shows each store, its ledgers, steps and counts, and what to do about conflicts', () => {
    const result: AdoptResult = { ok: false, dryRun: false, stores: [main, { store: 'events', reachable: false, reason: 'store "events" (clickhouse) has no connection url', steps: [], counts: { recorded: 0, adopted: 0, pending: 0, conflicting: 0 }, knownLedgers: [], written: 0 }] };
    const text = renderAdoptText(result);
    expect(text.split('\n')).toEqual([
      'store main',
      '  found dbmate public.schema_migrations (2 rows)',
      '  ✓ adopted     main:app/002_posts.sql#1-2: table public.posts is there as planned',
      '  … pending     main:app/003_tags.sql#1-1: table public.tags is missing',
      '  ✗ conflicting main:app/004_likes.sql#1-1: table public.likes differs',
      '      column "at": live timestamp, plan timestamptz',
      '      column "note": only live',
      '  1 adopted, 1 pending, 1 conflicting, 1 recorded already',
      '',
      'store events',
      '  not reachable: store "events" (clickhouse) has no connection url',
      '',
      "adopt: conflicts are left: nothing was written. Say which side wins with --prefer live (keep what the database has) or --prefer plan (run the plan's statements on the next apply), for every object or per object (--prefer live=public.comments)",
      '',
    ]);
  });

  it('shows recorded steps when verbose, and says what a run wrote or that a dry run wrote nothing', () => {
    const done: StoreAdoption = { ...main, steps: main.steps.slice(0, 2), counts: { recorded: 1, adopted: 1, pending: 0, conflicting: 0 }, written: 1 };
    const written = renderAdoptText({ ok: true, dryRun: false, stores: [done] }, { verbose: true });
    expect(written).toContain('  = recorded    main:app/001_users.sql#1-1: in the ledger already\n');
    expect(written).toContain('  1 adopted, 0 pending, 0 conflicting, 1 recorded already (1 records written)\n');
    expect(written).not.toContain('conflicts are left');
    const dry = renderAdoptText({ ok: true, dryRun: true, stores: [{ ...done, counts: { ...done.counts, recorded: 0 } }] });
    expect(dry).not.toContain('= recorded');
    expect(dry).toContain('  1 adopted, 0 pending, 0 conflicting (dry run: nothing written)\n');
    const nothing = renderAdoptText({ ok: true, dryRun: false, stores: [{ ...done, written: 0, counts: { ...done.counts, recorded: 0 } }] });
    expect(nothing).toContain('  1 adopted, 0 pending, 0 conflicting\n');
  });

  it('says an unreachable store has no connection when no reason is given, and colours only when asked', () => {
    const lost: StoreAdoption = { ...main, reachable: false, steps: [], knownLedgers: [] };
    const { reason: _, ...noReason } = lost;
    expect(renderAdoptText({ ok: true, dryRun: false, stores: [noReason] })).toBe('store main\n  not reachable: no connection\n\n');
    const coloured = renderAdoptText({ ok: false, dryRun: false, stores: [main] }, { color: true });
    expect(coloured).toMatch(/\x1b\[31m✗ conflicting/);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderAdoptText({ ok: false, dryRun: false, stores: [main] }));
  });
});
