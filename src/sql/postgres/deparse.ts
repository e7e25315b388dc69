/**
 * PostgreSQL's parse trees back to SQL text (`pgsql-deparser`), loaded at the
 * first call: most plans never deparse anything (only a dropped foreign key or
 * an expression too complex to print directly does), so a plan does not pay
 * for loading the deparser up front.
 *
 * @example
 * deparse(parseSync('create table t (id int)'))   // 'CREATE TABLE t (\n  id int\n)'
 */
import { createRequire } from 'node:module';

type Deparse = (tree: never) => string;
let loaded: Deparse | undefined;

/** The SQL text of a parse tree (a whole `parseSync` result or a `{ version, stmts }` object). */
export function deparse(tree: unknown): string {
  loaded ??= (createRequire(import.meta.url)('pgsql-deparser') as { deparseSync: Deparse }).deparseSync;
  return loaded(tree as never);
}
