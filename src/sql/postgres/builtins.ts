/**
 * Functions and types PostgreSQL provides itself. A call to anything else is
 * a reference to a user function (or an extension's: see extension-functions).
 */
export const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set(
  `now current_timestamp current_date clock_timestamp statement_timestamp transaction_timestamp timeofday date_trunc date_part extract age make_interval make_date make_timestamp make_timestamptz to_timestamp to_char to_date to_number justify_interval
gen_random_uuid random setseed nextval currval setval lastval
lower upper length char_length octet_length substring substr trim btrim ltrim rtrim replace concat concat_ws format left right position strpos split_part regexp_replace regexp_match regexp_matches regexp_split_to_array starts_with md5 sha256 sha512 encode decode initcap lpad rpad repeat reverse translate quote_ident quote_literal quote_nullable string_agg array_agg jsonb_agg json_agg jsonb_object_agg json_object_agg
count sum avg min max bool_and bool_or every stddev variance percentile_cont percentile_disc mode rank dense_rank row_number ntile lag lead first_value last_value
abs ceil ceiling floor round trunc mod power sqrt exp ln log sign greatest least width_bucket
coalesce nullif array_length array_append array_prepend array_cat array_remove array_position array_positions cardinality unnest array_to_string string_to_array generate_series generate_subscripts
jsonb_build_object json_build_object jsonb_build_array json_build_array to_jsonb to_json jsonb_set jsonb_insert jsonb_typeof jsonb_array_length jsonb_array_elements jsonb_each jsonb_strip_nulls jsonb_path_query jsonb_extract_path jsonb_extract_path_text row_to_json
pg_notify pg_advisory_lock pg_advisory_unlock pg_try_advisory_lock pg_advisory_xact_lock current_setting set_config current_user session_user current_schema current_database version txid_current pg_current_xact_id
to_tsvector to_tsquery plainto_tsquery websearch_to_tsquery phraseto_tsquery ts_rank ts_rank_cd ts_headline setweight
hashtext inet_client_addr host netmask
bool int4 int8 text`.split(/\s+/),
);

export const BUILTIN_TYPES: ReadonlySet<string> = new Set(
  `int2 int4 int8 smallint integer bigint int serial bigserial smallserial float4 float8 real numeric decimal money bool boolean
text varchar bpchar char name uuid bytea json jsonb xml date time timetz timestamp timestamptz interval inet cidr macaddr macaddr8
tsvector tsquery oid regclass regtype point line lseg box path polygon circle bit varbit int4range int8range numrange tsrange tstzrange daterange record void trigger event_trigger anyelement anyarray`.split(/\s+/),
);
