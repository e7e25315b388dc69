/**
 * Builds valid plan steps by hand for engine tests, with the checksum and the
 * statement fingerprints the planner would compute.
 *
 * @example
 * const step = makeStep({ id: 'nova:app/001.sql#0-1', statements: ['CREATE TABLE t (id int)'] })
 */
import { createHash } from 'node:crypto';
import type { Step } from '../../src/plan/model.js';
import { fingerprintOf } from '../../src/sql/statement-fingerprints.js';

export function checksumOf(statements: readonly string[]): string {
  return createHash('sha256').update(statements.join(';\n')).digest('hex');
}

export function makeStep(partial: Partial<Step> & Pick<Step, 'id' | 'statements'>): Step {
  const statements = partial.statements;
  return {
    kind: 'sql',
    store: 'test',
    engine: 'postgres',
    database: 'test',
    transactional: true,
    phase: 'expand',
    destructive: false,
    destroys: [],
    wave: 0,
    dependsOn: [],
    changes: [],
    notes: [],
    // Synthetic steps (create_database, copy_rows, ...) come from no file.
    ...(partial.kind && partial.kind !== 'sql' ? {} : { source: {
      set: 'app',
      file: `app/${partial.id.replace(/[^A-Za-z0-9_]+/g, '_')}.sql`,
      firstStatement: 0,
      lastStatement: Math.max(0, statements.length - 1),
      line: 1,
      endLine: statements.length,
      start: 0,
      end: statements.join(';\n').length,
      statementLines: statements.map((_, i) => i + 1),
      ordinals: statements.map((_, i) => i),
      fingerprints: statements.map((s) => fingerprintOf(s, partial.engine ?? 'postgres')),
    } }),
    ...partial,
    checksum: partial.checksum ?? checksumOf(statements),
  };
}
