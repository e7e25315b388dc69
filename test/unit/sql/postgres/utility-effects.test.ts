/**
 * Statements that change no definition still act on objects: each references what it acts on
 * (so it is ordered after it and routed with it), and ANALYZE is ANALYZE, not VACUUM.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers } from '../../../../src/sql/parse-file.js';
import { readStatement as read } from '../../../helpers/pg-statement.js';

beforeAll(async () => {
  await loadParsers();
});

const objects = (sql: string) => read(sql).effects.map((e) => `${e.action} ${e.object.kind} ${e.object.schema ? `${e.object.schema}.` : ''}${e.object.table ? `${e.object.table}.` : ''}${e.object.name}${e.via ? ` (${e.via})` : ''}`);

describe('statements that act on existing objects', () => {
  it.each([
    ["COMMENT ON TABLE users IS 'people'", ['reference table public.users (comment)']],
    ["COMMENT ON COLUMN app.posts.body IS 'markdown'", ['reference table app.posts (comment)']],
    ["COMMENT ON MATERIALIZED VIEW like_counts IS 'x'", ['reference materialized_view public.like_counts (comment)']],
    ["COMMENT ON FUNCTION set_updated_at() IS 'x'", ['reference function public.set_updated_at (comment)']],
    ["COMMENT ON TRIGGER trg_posts ON posts IS 'x'", ['reference trigger public.posts.trg_posts (comment)']],
    ["COMMENT ON CONSTRAINT posts_user_fk ON posts IS 'x'", ['reference table public.posts (comment)']],
    ["COMMENT ON INDEX idx_posts_user IS 'x'", ['reference index public.idx_posts_user (comment)']],
    ["COMMENT ON EXTENSION pgcrypto IS 'x'", ['reference extension pgcrypto (comment)']],
    ["SECURITY LABEL FOR selinux ON TABLE users IS 'system_u:object_r:sepgsql_table_t:s0'", ['reference table public.users (comment)']],
    ['GRANT SELECT, INSERT ON users, app.posts TO PUBLIC', ['reference table public.users (grant)', 'reference table app.posts (grant)']],
    ['REVOKE ALL ON SEQUENCE posts_id_seq FROM PUBLIC', ['reference sequence public.posts_id_seq (grant)']],
    ['GRANT EXECUTE ON FUNCTION set_updated_at() TO PUBLIC', ['reference function public.set_updated_at (grant)']],
    ['GRANT USAGE ON SCHEMA app TO PUBLIC', ['reference schema app (grant)']],
    ['GRANT SELECT ON ALL TABLES IN SCHEMA app TO PUBLIC', ['reference schema app (grant)']],
    ['GRANT USAGE ON TYPE mood TO PUBLIC', ['reference type public.mood (grant)']],
    ['ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC', []],
    ['ALTER FUNCTION set_updated_at() OWNER TO CURRENT_USER', ['reference function public.set_updated_at (grant)']],
    ['ALTER TYPE mood OWNER TO CURRENT_USER', ['reference type public.mood (grant)']],
    ['ALTER TABLE users OWNER TO CURRENT_USER', ['alter table public.users']],
    ["CREATE POLICY own_rows ON profiles USING (user_id = current_setting('app.user')::bigint)", ['alter table public.profiles']],
    ['CREATE POLICY p ON profiles WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = user_id))', ['alter table public.profiles', 'reference table public.users (data)']],
    ['CREATE RULE no_delete AS ON DELETE TO audit_log DO INSTEAD NOTHING', ['alter table public.audit_log']],
    ['CREATE RULE keep AS ON UPDATE TO posts DO ALSO INSERT INTO post_history (post_id) VALUES (NEW.id)', ['alter table public.posts', 'write table public.post_history']],
    ['ANALYZE likes, app.posts', ['reference table public.likes (maintenance)', 'reference table app.posts (maintenance)']],
    ['VACUUM (ANALYZE) likes', ['reference table public.likes (maintenance)']],
    ["SELECT setval('posts_id_seq', 1000, false)", ['reference sequence public.posts_id_seq (sequence_usage)']],
    ['REFRESH MATERIALIZED VIEW like_counts', ['write materialized_view public.like_counts']],
    ['ALTER FUNCTION set_updated_at() SET search_path = public', ['alter function public.set_updated_at']],
  ])('%s', (sql, expected) => {
    expect(objects(sql)).toEqual(expected);
  });

  it('ANALYZE runs inside a transaction and is labelled ANALYZE; VACUUM runs outside one', () => {
    expect(read('ANALYZE likes')).toMatchObject({ kind: 'AnalyzeStmt', transactional: true });
    expect(read('ANALYZE likes').nonTransactionalReason).toBeUndefined();
    expect(read('VACUUM likes')).toMatchObject({ kind: 'VacuumStmt', transactional: false, nonTransactionalReason: 'VACUUM' });
  });

  it('a serial or identity column creates the sequence PostgreSQL names after it, owned by its table', () => {
    const seqs = (sql: string) => read(sql).effects.filter((e) => e.object.kind === 'sequence').map((e) => `${e.action} ${e.object.name} of ${e.object.table}`);
    expect(seqs('CREATE TABLE posts (id bigserial PRIMARY KEY, n int)')).toEqual(['create posts_id_seq of posts']);
    expect(seqs('CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, n int)')).toEqual(['create t_id_seq of t']);
    expect(seqs('ALTER TABLE t ADD COLUMN n serial')).toEqual(['create t_n_seq of t']);
    // PostgreSQL cuts the longer name first so that the whole fits in 63 bytes.
    const long = `a${'b'.repeat(60)}`;
    expect(seqs(`CREATE TABLE ${long} (id serial)`)).toEqual([`create ${long.slice(0, 56)}_id_seq of ${long}`]);
    expect(seqs('CREATE TABLE t (id bigint, n serial4)')).toEqual(['create t_n_seq of t']);
  });

  it('reading the catalogs references nothing a migration creates', () => {
    expect(objects("SELECT 1 FROM information_schema.columns c JOIN pg_class p ON true JOIN pg_catalog.pg_type t ON true WHERE c.table_name = 'x'")).toEqual([]);
  });
});
