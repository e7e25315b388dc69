/**
 * The revert of a ClickHouse or Cypher statement, from its effects (their
 * readers keep no syntax tree): a CREATE is undone by its DROP, ClickHouse
 * `ADD INDEX` / `ADD PROJECTION` by their DROP, `ADD COLUMN` by `DROP COLUMN`;
 * a write is irreversible. The store's cluster goes into every DROP, as
 * into the statements apply runs.
 *
 * @example
 * effectRevert(stmt, { database: 'analytics', cluster: 'main' })
 * // { sql: ['DROP TABLE `analytics`.`events` ON CLUSTER `main`'] }
 */
import { renamedRef, type ParsedStatement, type StatementRevert } from '../../sql/effects.js';

export interface RevertTarget {
  /** The database an unqualified ClickHouse name runs in. */
  readonly database: string;
  /** The store's ClickHouse cluster: DROPs run ON CLUSTER it. */
  readonly cluster?: string;
}

const tick = (name: string) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

export function effectRevert(stmt: ParsedStatement, target: RevertTarget): StatementRevert | undefined {
  return stmt.engine === 'neo4j' ? cypherRevert(stmt) : clickhouseRevert(stmt, target);
}

function cypherRevert(stmt: ParsedStatement): StatementRevert | undefined {
  const created = stmt.effects.find((e) => e.action === 'create');
  if (created) return { sql: [`DROP ${created.object.kind === 'graph_constraint' ? 'CONSTRAINT' : 'INDEX'} ${tick(created.object.name)} IF EXISTS`] };
  if (stmt.effects.some((e) => e.action === 'drop')) return { irreversible: `${stmt.kind} drops what only its earlier definition brings back` };
  // A Cypher statement that is not schema changes nodes or relationships.
  return { irreversible: 'it changes graph data: only a down file can say what to take back' };
}

function clickhouseRevert(stmt: ParsedStatement, target: RevertTarget): StatementRevert | undefined {
  const on = target.cluster !== undefined ? ` ON CLUSTER ${tick(target.cluster)}` : '';
  const name = (o: { schema?: string; name: string }) => `${tick(o.schema ?? target.database)}.${tick(o.name)}`;
  const out: string[] = [];
  const columns = addedColumns(stmt.sql);
  let adds = stmt.effects.filter((e) => e.action === 'alter' && /^ADD COLUMN$/i.test(e.detail ?? '')).length;
  // Each ADD COLUMN command is an effect of its own; the names come from the text, matched in order.
  const named = columns.length === adds;
  for (const e of [...stmt.effects].reverse()) {
    if (e.action === 'reference') continue;
    if (e.action === 'write') return { irreversible: `${e.detail ?? stmt.kind} changes rows: only a down file can say which to take back` };
    if (e.action === 'drop') return { irreversible: `${stmt.kind} drops what only its earlier definition or a backup brings back` };
    if (e.action === 'rename' && e.renameTo && e.object.kind === 'database') {
      out.push(`RENAME DATABASE ${tick(e.renameTo)} TO ${tick(e.object.name)}${on}`);
      continue;
    }
    if (e.action === 'rename' && e.renameTo) {
      out.push(`RENAME ${e.object.kind === 'dictionary' ? 'DICTIONARY' : 'TABLE'} ${name(renamedRef(e.object, e))} TO ${name(e.object)}${on}`);
      continue;
    }
    if (e.action === 'create') {
      const o = e.object;
      // The store's own database stays (its ledger is in it); once the rest is reverted it holds nothing of the plan.
      if (o.kind === 'database' && o.name === target.database) continue;
      if (o.kind === 'database') out.push(`DROP DATABASE ${tick(o.name)}${on}`);
      else if (o.kind === 'index' || o.kind === 'projection') out.push(`ALTER TABLE ${name({ ...o, name: o.table ?? '' })}${on} DROP ${o.kind.toUpperCase()} ${tick(o.name)}`);
      else if (o.kind === 'dictionary') out.push(`DROP DICTIONARY ${name(o)}${on}`);
      else if (o.kind === 'view') out.push(`DROP VIEW ${name(o)}${on}`);
      else if (o.kind === 'function') out.push(`DROP FUNCTION ${tick(o.name)}${on}`);
      else out.push(`DROP TABLE ${name(o)}${on}`);
      continue;
    }
    if (e.action === 'alter') {
      const column = /^ADD COLUMN$/i.test(e.detail ?? '') && named ? columns[--adds] : undefined;
      if (column) {
        out.push(`ALTER TABLE ${name(e.object)}${on} DROP COLUMN ${tick(column)}`);
        continue;
      }
      if (/^(INDEX|PROJECTION)$/i.test(e.object.kind)) continue;
      // ADD INDEX / ADD PROJECTION come with a create effect of their own (above).
      if (/^ADD (INDEX|PROJECTION)$/i.test(e.detail ?? '') || stmt.effects.some((x) => x.action === 'create')) continue;
      return { irreversible: `no revert is generated for ALTER TABLE ${e.detail ?? ''}`.trimEnd() + '; write a down file' };
    }
  }
  return out.length > 0 ? { sql: out } : undefined;
}

/** The columns `ALTER TABLE t ADD COLUMN [IF NOT EXISTS] c ...` adds, in order. */
function addedColumns(sql: string): string[] {
  return [...sql.matchAll(/\bADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1]!.replace(/^[`"]|[`"]$/g, ''));
}
