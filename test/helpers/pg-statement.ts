/**
 * The first statement of a PostgreSQL migration text as the planner reads it (call loadParsers() first), and its
 * effects in one line each, for tests of what statements do.
 *
 * @example
 * said('CREATE INDEX i ON app.t (a)') // ['create index app.i', 'reference table app.t (index_table)']
 */
import { expect } from 'vitest';
import type { ParsedStatement } from '../../src/sql/effects.js';
import { parseMigrationFile } from '../../src/sql/parse-file.js';

export function readStatement(sql: string): ParsedStatement {
  const f = parseMigrationFile({ file: 'x.sql', text: sql, declaredEngine: 'postgres' });
  expect(f.diagnostics).toEqual([]);
  return f.statements[0]!;
}

/** `action kind schema.[table.]name[ to schema.name][ (via)][ cascade][ if exists]` per effect. */
export function said(sql: string): string[] {
  return readStatement(sql).effects.map((e) => {
    const where = `${e.object.schema ? `${e.object.schema}.` : ''}${e.object.table ? `${e.object.table}.` : ''}${e.object.name}`;
    const to = e.renameSchema !== undefined ? ` to ${e.renameSchema}.${e.renameTo}` : e.renameTo ? ` to ${e.renameTo}` : '';
    return `${e.action} ${e.object.kind} ${where}${to}${e.via ? ` (${e.via})` : ''}${e.cascade ? ' cascade' : ''}${e.ifExists ? ' if exists' : ''}`;
  });
}
