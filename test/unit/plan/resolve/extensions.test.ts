/**
 * Extensions can be owned and routed: `owns: [extension:btree_gin]` puts a shared set's CREATE EXTENSION
 * in the owner's store even when no statement visibly uses it; unowned extensions go where they are used.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject } from '../../../helpers/project.js';

const files = {
  'legacy/001_extensions.sql': 'CREATE EXTENSION IF NOT EXISTS btree_gin;\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE TABLE tokens (id bytea PRIMARY KEY DEFAULT gen_random_bytes(16));',
  'search/001_index.sql': 'CREATE TABLE docs (id bigint PRIMARY KEY, tags text[]);',
  'auth/001.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);',
};
const topology = (owns: string[]) => ({
  stores: { search: { engine: 'postgres', database: 'search' }, auth: { engine: 'postgres', database: 'auth' } },
  sets: { legacy: { dir: 'legacy', shared: true }, search: { dir: 'search' }, auth: { dir: 'auth' } },
  services: {
    'search-service': { stores: { postgres: 'search' }, sets: ['search'], owns },
    'auth-service': { stores: { postgres: 'auth' }, sets: ['auth'], owns: ['tokens'] },
  },
});

describe('owned extensions', () => {
  it('an extension no statement uses has no store, unless a service owns it', async () => {
    const without = await planMigration(makeProject(files, topology([])).topologyFile, { allowErrors: true, env: {} });
    expect(without.diagnostics.filter((d) => d.code === 'plan.unrouted').map((d) => d.line)).toEqual([1]);
    const owned = await planMigration(makeProject(files, topology(['extension:btree_gin'])).topologyFile, { allowErrors: true, env: {} });
    expect(owned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ext = owned.steps.find((s) => s.source?.file === 'legacy/001_extensions.sql' && s.source.firstStatement === 0)!;
    expect(ext.store).toBe('search');
    expect(ext.service).toBe('search-service');
    // pgcrypto is owned by nobody: it still goes where its functions are used.
    const crypto = owned.steps.find((s) => s.source?.file === 'legacy/001_extensions.sql' && s.source.firstStatement === 1)!;
    expect(crypto.store).toBe('auth');
  });
});
