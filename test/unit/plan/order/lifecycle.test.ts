/**
 * A statement that uses an extension binds to the CREATE EXTENSION another set runs in its store,
 * not to a later file of its own set (which would run against the set's order: a false cycle).
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject, pgTopology } from '../../../helpers/project.js';

describe('what a use binds to', () => {
  it("an extension's user binds to another set's CREATE EXTENSION in its store, not to its own set's later file", async () => {
    const files = {
      'base/001_ext.sql': 'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
      'search/001_docs.sql': 'CREATE TABLE docs (id bigint PRIMARY KEY, body text);\nCREATE INDEX docs_trgm ON docs USING gin (body gin_trgm_ops);',
      'search/002_more.sql': 'ALTER TABLE docs ADD COLUMN title text;',
      'search/009_ext_again.sql': 'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
    };
    const topology = pgTopology({
      sets: { base: { dir: 'base' }, search: { dir: 'search' } },
      services: { platform: { stores: { postgres: 'main' }, sets: ['base'] }, 'search-service': { stores: { postgres: 'main' }, sets: ['search'] } },
    });
    const p = await planMigration(makeProject(files, topology).topologyFile, { allowErrors: true, env: {} });
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const index = p.steps.find((s) => s.source?.file === 'search/001_docs.sql')!;
    const baseExt = p.steps.find((s) => s.source?.file === 'base/001_ext.sql')!;
    expect(index.dependsOn).toContain(baseExt.id);
  });
});
