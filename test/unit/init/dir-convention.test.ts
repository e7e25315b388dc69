import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDirConvention } from '../../../src/init/dir-convention.js';
import { makeProject } from '../../helpers/project.js';

function conventionOf(files: Record<string, string>, dir = 'm') {
  const { dir: root } = makeProject(files, {});
  const abs = join(root, dir);
  return readDirConvention(abs, readdirSync(abs).map((name) => ({ dir: abs, name })));
}

describe('readDirConvention', () => {
  it('reads the tool from down markers, as the planner does', () => {
    expect(conventionOf({ 'm/001_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n' }).tool).toBe('dbmate');
    expect(conventionOf({ 'm/001_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n' }).tool).toBe('goose');
    expect(conventionOf({ 'm/001_a.sql': 'CREATE TABLE a (id int);\n' })).toEqual({ flyway: false, suffixes: {}, notes: [] });
  });

  it('down files: golang-migrate, or sqlx in a crate using sqlx; such a crate alone means sqlx', () => {
    const pair = { 'm/000001_a.up.sql': 'CREATE TABLE a (id int);\n', 'm/000001_a.down.sql': 'DROP TABLE a;\n' };
    const sqlxCrate = '[package]\nname = "a"\n\n[dependencies]\nsqlx = { version = "0.8", features = ["postgres"] }\n';
    expect(conventionOf(pair).tool).toBe('golang-migrate');
    expect(conventionOf({ ...pair, 'Cargo.toml': sqlxCrate }).tool).toBe('sqlx');
    expect(conventionOf({ 'svc/migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'svc/Cargo.toml': sqlxCrate }, 'svc/migrations').tool).toBe('sqlx');
  });

  it('a crate that does not use sqlx (diesel, refinery) makes no sqlx directory', () => {
    const pair = { 'm/000001_a.up.sql': 'CREATE TABLE a (id int);\n', 'm/000001_a.down.sql': 'DROP TABLE a;\n' };
    expect(conventionOf({ ...pair, 'Cargo.toml': '[package]\nname = "a"\n\n[dependencies]\ndiesel = "2"\n' }).tool).toBe('golang-migrate');
    expect(conventionOf({ 'svc/migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'svc/Cargo.toml': '[package]\n# sqlx = "0.8" once we move\n' }, 'svc/migrations').tool).toBeUndefined();
  });

  it('a sqlx.toml beside the crate names its ledger table', () => {
    const c = conventionOf({ 'svc/migrations/1_a.sql': 'CREATE TABLE a (id int);\n', 'svc/Cargo.toml': '[package]\n[dependencies]\nsqlx = "0.9"\n', 'svc/sqlx.toml': '[migrate]\ntable-name = "_sqlx_migrations_svc"\n' }, 'svc/migrations');
    expect(c).toMatchObject({ tool: 'sqlx', sqlxTable: '_sqlx_migrations_svc' });
  });

  it('says when files follow several tools', () => {
    const c = conventionOf({ 'm/001_a.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n', 'm/002_b.sql': '-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n' });
    expect(c.tool).toBe('dbmate');
    expect(c.notes).toEqual([expect.stringContaining('several tools (dbmate, goose)') as string]);
  });

  it('Flyway names and engine suffixes', () => {
    expect(conventionOf({ 'm/V1__a.sql': 'CREATE TABLE a (id int);\n' })).toEqual({ flyway: true, suffixes: {}, notes: [] });
    expect(conventionOf({ 'm/1_a.sql.pg': 'SELECT 1;\n', 'm/1_a.sql.sqlite': 'SELECT 1;\n' }).suffixes).toEqual({ '.sql.pg': 'postgres', '.sql.sqlite': 'sqlite' });
  });
});
