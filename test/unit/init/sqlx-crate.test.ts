import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependsOnSqlx, sqlxCrateOf } from '../../../src/init/sqlx-crate.js';
import { makeProject } from '../../helpers/project.js';

describe('dependsOnSqlx', () => {
  it('finds sqlx in any dependency table, in each way Cargo writes it', () => {
    expect(dependsOnSqlx('[dependencies]\nsqlx = "0.8"\n')).toBe(true);
    expect(dependsOnSqlx('[dependencies]\nserde = "1"\nsqlx = { version = "0.7", features = ["postgres", "migrate"] }\n')).toBe(true);
    expect(dependsOnSqlx('[dependencies]\nsqlx.workspace = true\n')).toBe(true);
    expect(dependsOnSqlx('[workspace.dependencies]\nsqlx = { version = "0.8" }\n')).toBe(true);
    expect(dependsOnSqlx('[dev-dependencies]\nsqlx = "0.8"\n')).toBe(true);
    expect(dependsOnSqlx('[dependencies.sqlx]\nversion = "0.8"\n')).toBe(true);
  });

  it('is not fooled by names that only contain sqlx, comments, or other tables', () => {
    expect(dependsOnSqlx('[dependencies]\nsqlx-core = "0.8"\n')).toBe(false);
    expect(dependsOnSqlx('[dependencies]\n# sqlx = "0.8"\ndiesel = "2"\n')).toBe(false);
    expect(dependsOnSqlx('[package]\nsqlx = "not a dependency"\n')).toBe(false);
    expect(dependsOnSqlx('[features]\nsqlx = []\n')).toBe(false);
  });
});

describe('sqlxCrateOf', () => {
  it('is the nearest crate at or above the directory, within the searched root', () => {
    const { dir } = makeProject({ 'Cargo.toml': '[dependencies]\nsqlx = "0.8"\n', 'svc/Cargo.toml': '[dependencies]\ndiesel = "2"\n', 'svc/migrations/1_a.sql': 'SELECT 1;\n', 'app/migrations/1_a.sql': 'SELECT 1;\n' }, {});
    // svc's own crate uses diesel: the workspace's sqlx above it is not what runs svc/migrations.
    expect(sqlxCrateOf(join(dir, 'svc', 'migrations'), dir)).toBeUndefined();
    expect(sqlxCrateOf(join(dir, 'app', 'migrations'), dir)).toEqual({ manifest: join(dir, 'Cargo.toml') });
    // A crate above the searched root is not the repository's.
    expect(sqlxCrateOf(join(dir, 'app', 'migrations'), join(dir, 'app'))).toBeUndefined();
  });

  it('a sqlx.toml makes the crate a sqlx crate and may name its table', () => {
    const { dir } = makeProject({ 'svc/Cargo.toml': '[package]\nname = "svc"\n', 'svc/sqlx.toml': '# sqlx 0.9\n[migrate]\ntable-name = "_sqlx_migrations_svc"  # ours\n', 'svc/migrations/1_a.sql': 'SELECT 1;\n' }, {});
    expect(sqlxCrateOf(join(dir, 'svc', 'migrations'), dir)).toEqual({ manifest: join(dir, 'svc', 'Cargo.toml'), table: '_sqlx_migrations_svc' });
  });
});
