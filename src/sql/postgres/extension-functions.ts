/**
 * Which extension provides a function, a type or an operator class, so that a
 * statement calling `uuid_generate_v4()` depends on `CREATE EXTENSION "uuid-ossp"`
 * in the same store. `gen_random_uuid()` is core since PostgreSQL 13.
 *
 * @example
 * extensionOfFunction('uuid_generate_v4') // 'uuid-ossp'
 */
const FUNCTIONS: Record<string, string> = {};
const add = (ext: string, list: string) => {
  for (const f of list.split(/\s+/).filter(Boolean)) FUNCTIONS[f] = ext;
};
add('uuid-ossp', 'uuid_generate_v1 uuid_generate_v1mc uuid_generate_v3 uuid_generate_v4 uuid_generate_v5 uuid_nil uuid_ns_dns uuid_ns_url uuid_ns_oid uuid_ns_x500');
add('pgcrypto', 'gen_random_bytes crypt gen_salt digest hmac pgp_sym_encrypt pgp_sym_decrypt pgp_pub_encrypt pgp_pub_decrypt encrypt decrypt encrypt_iv decrypt_iv armor dearmor');
add('pg_trgm', 'similarity word_similarity strict_word_similarity show_trgm show_limit set_limit');
add('postgis', 'st_makepoint st_setsrid st_distance st_dwithin st_contains st_intersects st_within st_transform st_geomfromtext st_asgeojson st_x st_y st_buffer st_area');
add('fuzzystrmatch', 'levenshtein soundex metaphone dmetaphone difference');
add('unaccent', 'unaccent');

const TYPES: Record<string, string> = { citext: 'citext', hstore: 'hstore', geometry: 'postgis', geography: 'postgis', vector: 'vector', ltree: 'ltree', cube: 'cube' };

const OPCLASSES: Record<string, string> = {
  gin_trgm_ops: 'pg_trgm',
  gist_trgm_ops: 'pg_trgm',
  gist_geometry_ops_2d: 'postgis',
  vector_l2_ops: 'vector',
  vector_cosine_ops: 'vector',
  vector_ip_ops: 'vector',
  gin_hstore_ops: 'hstore',
};

export function extensionOfFunction(name: string): string | undefined {
  return FUNCTIONS[name];
}

export function extensionOfType(name: string): string | undefined {
  return TYPES[name];
}

export function extensionOfOpclass(name: string): string | undefined {
  return OPCLASSES[name];
}
