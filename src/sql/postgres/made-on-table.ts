/**
 * A `CREATE TRIGGER` or `CREATE INDEX` statement written again for the table
 * its trigger or index is on now: once the table is renamed or moved to another
 * schema, the statement as its file has it names a table that is gone, so a
 * revert that makes it again (after a later `DROP TRIGGER` or `DROP INDEX`)
 * must name the table's new name.
 * The text comes from the deparser, and is given only when it parses back to
 * the tree it was made from: a clause the deparser drops (it loses a constraint
 * trigger's `FROM` table) would make another trigger than the one dropped.
 *
 * @example
 * madeOnTable('CREATE TRIGGER trg BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch()', { name: 'users' })
 * // 'CREATE TRIGGER trg\n  BEFORE UPDATE\n  ON users\n  FOR EACH ROW\n  EXECUTE PROCEDURE touch()'
 */
import { memoized } from '../statement-memo.js';
import { withoutLocations, type AstNode } from './ast.js';
import { deparse } from './deparse.js';
import { postgresParser } from './pg-parser.js';

/** The table a trigger or index is on now: `schema` only when it moved to another one (else the statement's own, as written). */
export interface TableNow {
  readonly name: string;
  readonly schema?: string;
}

/** `sql` (one CREATE TRIGGER or CREATE INDEX) on `table`; undefined when it is not one, or its new text would not make the same object. */
export function madeOnTable(sql: string, table: TableNow): string | undefined {
  // Kept with the statement readings: a plan read from the parse cache needs no parser for it either.
  return memoized('made-on-table', `${table.schema ?? ''}\0${table.name}\0${sql}`, () => {
    const { parseSync } = postgresParser();
    try {
      const tree: AstNode = parseSync(sql);
      const stmt = tree.stmts?.length === 1 ? tree.stmts[0].stmt : undefined;
      const made = stmt?.CreateTrigStmt ?? stmt?.IndexStmt;
      if (!made?.relation) return undefined;
      made.relation.relname = table.name;
      if (table.schema !== undefined) made.relation.schemaname = table.schema;
      const text = deparse(tree);
      return sorted(parseSync(text).stmts) === sorted(tree.stmts) ? text : undefined;
    } catch {
      // Text that does not parse alone (or a tree the deparser cannot print) has no other text.
      return undefined;
    }
  });
}

/** A tree as JSON without positions, keys in order: a name set on the tree is a key the parser puts elsewhere. */
function sorted(node: AstNode): string {
  return withoutLocations(JSON.parse(JSON.stringify(node, (_k, v: AstNode) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v))));
}
