/**
 * A DO block's body is read with the PL/pgSQL parser: the SQL inside gives the block its effects;
 * dynamic EXECUTE and bodies that cannot be read are warnings naming the block.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, parseMigrationFile } from '../../../../src/sql/parse-file.js';

beforeAll(async () => {
  await loadParsers();
});

const read = (sql: string) => parseMigrationFile({ file: 'legacy/011_fixups.sql', text: sql, declaredEngine: 'postgres' });
const effects = (sql: string) => read(sql).statements[0]!.effects.map((e) => `${e.action} ${e.object.kind} ${e.object.name}${e.via ? ` (${e.via})` : ''}`);

describe('DO blocks', () => {
  it('a guarded ALTER inside a DO block makes the block an ALTER of that table; catalog checks reference nothing', () => {
    const sql = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'messages' AND column_name = 'edited_at') THEN
    ALTER TABLE messages ADD COLUMN edited_at timestamptz;
  END IF;
END
$$;`;
    expect(effects(sql)).toEqual(['alter table messages']);
    expect(read(sql).diagnostics).toEqual([]);
  });

  it('loops, PERFORM, SELECT INTO, nested blocks and exception handlers are all read', () => {
    const sql = `DO $body$
DECLARE
  n bigint;
  r record;
BEGIN
  SELECT count(*) INTO n FROM posts WHERE deleted_at IS NULL;
  FOR r IN SELECT id FROM users LOOP
    INSERT INTO profiles (user_id) VALUES (r.id) ON CONFLICT DO NOTHING;
  END LOOP;
  BEGIN
    PERFORM set_updated_at_for(n);
  EXCEPTION WHEN undefined_function THEN
    UPDATE audit_log SET note = 'skipped' WHERE id = 0;
  END;
  IF n > 0 THEN CREATE INDEX IF NOT EXISTS idx_posts_live ON posts (id) WHERE deleted_at IS NULL; END IF;
END
$body$ LANGUAGE plpgsql;`;
    expect(effects(sql).sort()).toEqual([
      'create index idx_posts_live',
      'reference function set_updated_at_for (function_call)',
      'reference table posts (data)',
      'reference table posts (index_table)',
      'reference table users (data)',
      'write table audit_log',
      'write table profiles',
    ]);
  });

  it('dynamic EXECUTE is a warning naming the block and the line inside it', () => {
    const f = read(`SET search_path = public;
DO $$
BEGIN
  UPDATE users SET bio = '' WHERE bio IS NULL;
  EXECUTE 'CREATE INDEX IF NOT EXISTS users_bio_idx ON users (' || quote_ident('bio') || ')';
END $$;`);
    expect(f.statements[1]!.effects.map((e) => `${e.action} ${e.object.name}`)).toEqual(['write users']);
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ code: 'sql.unknown_effects', severity: 'warning', file: 'legacy/011_fixups.sql', line: 2 });
    expect(f.diagnostics[0]!.message).toBe(
      'sql: statement 2 of "legacy/011_fixups.sql": the DO block runs dynamic SQL (EXECUTE at line 4 of its body): what that SQL touches is not known before it runs, so the plan orders and routes the block only by its other statements',
    );
  });

  it('a body in another language is a warning, not a guess', () => {
    const f = read(`DO LANGUAGE plperl $$ spi_exec_query('DELETE FROM users') $$;`);
    expect(f.statements[0]!.effects).toEqual([]);
    expect(f.diagnostics[0]!.message).toContain('the DO block is in language "plperl"');
  });
});
