/**
 * The catalog queries behind {@link inspectPostgres}: user objects only
 * (system schemas, the topoplan schema, sqlx ledgers and objects that
 * belong to an extension are left out), one query per kind, each returning
 * plain text columns so the result does not depend on driver type parsers.
 * Tables are identified by oid only to join columns and constraints to them.
 */
const USER_SCHEMA = (n = 'n') => `${n}.nspname NOT IN ('pg_catalog', 'information_schema', 'topoplan')
  AND ${n}.nspname NOT LIKE 'pg\\_toast%' AND ${n}.nspname NOT LIKE 'pg\\_temp%'`;
const NOT_FROM_EXTENSION = (oid: string, catalog: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = ${oid} AND d.classid = '${catalog}'::regclass AND d.deptype = 'e')`;
/**
 * Not an sqlx ledger: a service's `_sqlx_migrations` may have another name or
 * schema (sqlx 0.9 table-name, a schema per service), so it is known by its columns.
 */
const NOT_SQLX_LEDGER = (oid: string) =>
  `(SELECT array_agg(sa.attname::text ORDER BY sa.attname) FROM pg_attribute sa WHERE sa.attrelid = ${oid} AND sa.attnum > 0 AND NOT sa.attisdropped)
     IS DISTINCT FROM ARRAY['checksum', 'description', 'execution_time', 'installed_on', 'success', 'version']::text[]`;
const USER_TABLE = `c.relkind IN ('r', 'p') AND ${USER_SCHEMA()} AND ${NOT_SQLX_LEDGER('c.oid')} AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`;
const qualified = (ns: string, rel: string) => `${ns}.nspname || '.' || ${rel}`;
/** Attribute names of `keys` (an int2 array) of relation `rel`, in key order, as text[]. */
const columnNames = (rel: string, keys: string) =>
  `coalesce((SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(${keys}) WITH ORDINALITY k(n, o)
     JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n), '{}')`;

export interface TableRow { oid: string; name: string; partition_by: string | null; parent: string | null; bound: string | null }
export interface ColumnRow { oid: string; name: string; type: string; not_null: boolean; def: string | null; identity: string; generated: string }
export interface ConstraintRow { oid: string; name: string; type: string; def: string; columns: string[]; ref_table: string | null; ref_columns: string[]; inherited: boolean }
export interface ViewRow { name: string; materialized: boolean; def: string }
export interface IndexRow { name: string; table: string; def: string; unique: boolean; constraint: string | null; partition_of: string | null }
export interface TriggerRow { name: string; table: string; def: string; function: string; partition_of: string | null }
export interface FunctionRow { routine: string; args: string; returns: string | null; language: string; body: string; procedure: boolean }
export interface TypeRow { name: string; typtype: string; labels: string[] | null; def: string | null }
export interface ExtensionRow { name: string; version: string; schema: string }
export interface SequenceRow { name: string; type: string; start: string; increment: string; owned_by: string | null }

export const TABLES = `SELECT c.oid::text AS oid, ${qualified('n', 'c.relname')} AS name,
    CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
    CASE WHEN c.relispartition THEN (SELECT ${qualified('pn', 'p.relname')} FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
      JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE h.inhrelid = c.oid LIMIT 1) END AS parent,
    CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${USER_TABLE}`;

export const COLUMNS = `SELECT a.attrelid::text AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
    pg_get_expr(ad.adbin, ad.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE ${USER_TABLE} AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attrelid, a.attnum`;

// A foreign key to a partitioned table has a clone per referenced partition on the same table: only the original is the user's.
export const CONSTRAINTS = `SELECT con.conrelid::text AS oid, con.conname AS name, con.contype::text AS type, pg_get_constraintdef(con.oid, true) AS def,
    ${columnNames('con.conrelid', 'con.conkey')} AS columns,
    CASE WHEN con.contype = 'f' THEN (SELECT ${qualified('fn', 'f.relname')} FROM pg_class f JOIN pg_namespace fn ON fn.oid = f.relnamespace WHERE f.oid = con.confrelid) END AS ref_table,
    ${columnNames('con.confrelid', 'con.confkey')} AS ref_columns,
    con.conparentid <> 0 AS inherited
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND ${USER_TABLE}
    AND NOT (con.conparentid <> 0 AND EXISTS (SELECT 1 FROM pg_constraint pc WHERE pc.oid = con.conparentid AND pc.conrelid = con.conrelid))`;

export const VIEWS = `SELECT ${qualified('n', 'c.relname')} AS name, c.relkind = 'm' AS materialized, pg_get_viewdef(c.oid, true) AS def
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMA()} AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`;

export const INDEXES = `SELECT ${qualified('n', 'c.relname')} AS name, ${qualified('tn', 't.relname')} AS table, pg_get_indexdef(c.oid) AS def, i.indisunique AS unique,
    (SELECT con.conname FROM pg_constraint con WHERE con.conindid = c.oid AND con.conrelid = t.oid AND con.contype IN ('p', 'u', 'x') LIMIT 1) AS constraint,
    (SELECT ${qualified('pn', 'p.relname')} FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
      WHERE h.inhrelid = c.oid LIMIT 1) AS partition_of
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_namespace tn ON tn.oid = t.relnamespace
  WHERE ${USER_SCHEMA()} AND ${NOT_SQLX_LEDGER('t.oid')} AND ${NOT_FROM_EXTENSION('t.oid', 'pg_class')}`;

export const TRIGGERS = `SELECT ${qualified('n', "c.relname || '.' || t.tgname")} AS name, ${qualified('n', 'c.relname')} AS table, pg_get_triggerdef(t.oid) AS def,
    ${qualified('pn', 'p.proname')} AS function,
    CASE WHEN t.tgparentid <> 0 THEN (SELECT ${qualified('ppn', "pc.relname || '.' || pt.tgname")} FROM pg_trigger pt JOIN pg_class pc ON pc.oid = pt.tgrelid
      JOIN pg_namespace ppn ON ppn.oid = pc.relnamespace WHERE pt.oid = t.tgparentid) END AS partition_of
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
  WHERE NOT t.tgisinternal AND ${USER_SCHEMA()}`;

export const FUNCTIONS = `SELECT ${qualified('n', 'p.proname')} AS routine, pg_get_function_identity_arguments(p.oid) AS args,
    pg_get_function_result(p.oid) AS returns, l.lanname AS language, md5(coalesce(p.prosrc, '')) AS body, p.prokind = 'p' AS procedure
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
  WHERE p.prokind IN ('f', 'p') AND ${USER_SCHEMA()} AND ${NOT_FROM_EXTENSION('p.oid', 'pg_proc')}`;

export const TYPES = `SELECT ${qualified('n', 't.typname')} AS name, t.typtype::text AS typtype,
    CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END AS labels,
    CASE t.typtype
      WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || t.typdefault, '')
        || coalesce((SELECT string_agg(' ' || pg_get_constraintdef(con.oid, true), '' ORDER BY con.conname) FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype = 'c'), '')
      WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a
        WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
      WHEN 'r' THEN (SELECT 'subtype ' || format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
    END AS def
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class rc WHERE rc.oid = t.typrelid AND rc.relkind = 'c')))
    AND ${USER_SCHEMA()} AND ${NOT_FROM_EXTENSION('t.oid', 'pg_type')}`;

export const EXTENSIONS = `SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'`;

// serial columns own their sequence with an 'a' dependency, identity columns with an 'i' one.
export const SEQUENCES = `SELECT ${qualified('n', 'c.relname')} AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
    (SELECT ${qualified('tn', "t.relname || '.' || a.attname")} FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_namespace tn ON tn.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) AS owned_by
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${USER_SCHEMA()} AND ${NOT_FROM_EXTENSION('c.oid', 'pg_class')}`;
