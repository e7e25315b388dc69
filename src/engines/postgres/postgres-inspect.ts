/**
 * Reads what a PostgreSQL database holds, for verification and fingerprints:
 * user objects only (system schemas, the topoplan ledger, `_sqlx_migrations`
 * and objects owned by extensions are left out), names sorted, and a
 * normalised definition per object under keys like `table public.shares`.
 *
 * @example
 * const snap = await inspectPostgres(client)
 * snap.tables            // ['public.conversations', 'public.messages']
 * snap.definitions['table public.messages']  // 'id bigint not null default nextval(...)\n...'
 */
import type pg from 'pg';
import type { SchemaSnapshot } from '../engine.js';
export { emptySnapshot } from '../empty-snapshot.js';

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'topoplan')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;
const NOT_FROM_EXTENSION = (oid: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.classid = '${catalog}'::regclass AND d.deptype = 'e')`;

interface Row { name: string; def: string }

const QUERIES: Record<'tables' | 'views' | 'indexes' | 'triggers' | 'functions' | 'extensions' | 'types', { kind: string; sql: string }> = {
  tables: {
    kind: 'table',
    sql: `SELECT n.nspname || '.' || c.relname AS name,
        coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''), E'\\n' ORDER BY a.attnum)
          FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS def
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${USER_SCHEMA} AND c.relname <> '_sqlx_migrations'
        AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`,
  },
  views: {
    kind: 'view',
    sql: `SELECT n.nspname || '.' || c.relname AS name, pg_get_viewdef(c.oid, true) AS def
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMA} AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`,
  },
  indexes: {
    kind: 'index',
    sql: `SELECT n.nspname || '.' || c.relname AS name, pg_get_indexdef(c.oid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMA} AND t.relname <> '_sqlx_migrations' AND ${NOT_FROM_EXTENSION('t.oid', 'pg_class')}`,
  },
  triggers: {
    kind: 'trigger',
    sql: `SELECT n.nspname || '.' || c.relname || '.' || t.tgname AS name, pg_get_triggerdef(t.oid) AS def
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_SCHEMA}`,
  },
  functions: {
    kind: 'function',
    sql: `SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
        'returns ' || pg_get_function_result(p.oid) || ' language ' || l.lanname || ' body md5 ' || md5(coalesce(p.prosrc, '')) AS def
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'p') AND ${USER_SCHEMA} AND ${NOT_FROM_EXTENSION('p.oid', 'pg_proc')}`,
  },
  extensions: {
    kind: 'extension',
    sql: `SELECT e.extname AS name, 'version ' || e.extversion || ' schema ' || n.nspname AS def
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'`,
  },
  types: {
    kind: 'type',
    sql: `SELECT n.nspname || '.' || t.typname AS name,
        'enum ' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS def
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND ${USER_SCHEMA} AND ${NOT_FROM_EXTENSION('t.oid', 'pg_type')}`,
  },
};

/** Snapshot of the connected database. */
export async function inspectPostgres(client: pg.ClientBase): Promise<SchemaSnapshot> {
  const definitions: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [key, q] of Object.entries(QUERIES)) {
    const rows = (await client.query<Row>(q.sql)).rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    lists[key] = rows.map((r) => r.name);
    for (const r of rows) definitions[`${q.kind} ${r.name}`] = r.def;
  }
  return {
    tables: lists.tables ?? [],
    views: lists.views ?? [],
    indexes: lists.indexes ?? [],
    triggers: lists.triggers ?? [],
    functions: lists.functions ?? [],
    extensions: lists.extensions ?? [],
    types: lists.types ?? [],
    definitions,
  };
}

