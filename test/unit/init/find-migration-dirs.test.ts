import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMigrationDirs, isMigrationName } from '../../../src/init/find-migration-dirs.js';
import { makeProject } from '../../helpers/project.js';

const tree = resolve(import.meta.dirname, '..', '..', 'fixtures', 'init-tree');

describe('findMigrationDirs', () => {
  it('finds every directory of numbered migrations, and numbered version subdirectories as one set', () => {
    const dirs = findMigrationDirs(tree);
    expect(dirs.map((d) => d.dir)).toEqual([
      'accounts/migrations', 'admin/migrations', 'analytics/clickhouse', 'analytics/migrations', 'billing/migrations', 'catalog/migrations',
      'chat/migrations', 'inventory/src/main/resources/db/migration', 'media/db/migrations', 'monolith/db/migrations', 'notifications/sql',
      'orders-service/db/migrations', 'relay/delta', 'relay/schema', 'search/migrations', 'social-graph/neo4j',
    ]);
    expect(dirs.find((d) => d.dir === 'relay/delta')).toMatchObject({ versions: 'subdirs' });
    const tool = (dir: string) => dirs.find((d) => d.dir === dir)!.convention.tool;
    expect([tool('accounts/migrations'), tool('billing/migrations'), tool('catalog/migrations'), tool('orders-service/db/migrations'), tool('chat/migrations')]).toEqual(['sqlx', 'goose', 'golang-migrate', 'dbmate', undefined]);
    expect(dirs.find((d) => d.dir.startsWith('inventory'))!.convention).toMatchObject({ flyway: true, repeatable: true, notes: [expect.stringContaining('undo files (U2__warehouses.sql) are the reverts') as string, expect.stringContaining('repeatable files (R__low_stock.sql) run after the V files') as string] });
  });

  it('follows symbolic links, each real directory once, and says where a link out of the repository leads', () => {
    const shared = makeProject({ 'migrations/001_shared.sql': 'CREATE TABLE s (id int);\n' }, {}).dir;
    const { dir } = makeProject({ 'app/migrations/001_a.sql': 'CREATE TABLE a (id int);\n', '.hidden/sql/001_h.sql': 'CREATE TABLE h (id int);\n' }, {});
    symlinkSync(join(shared, 'migrations'), join(dir, 'common-migrations'));
    symlinkSync(join(dir, 'app'), join(dir, 'app-link'));
    symlinkSync(join(dir, '.hidden', 'sql'), join(dir, 'hidden-sql'));
    symlinkSync(dir, join(dir, 'app', 'loop'));
    mkdirSync(join(dir, 'files'));
    symlinkSync(join(dir, 'app', 'migrations', '001_a.sql'), join(dir, 'files', '001_linked.sql'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    const dirs = findMigrationDirs(dir);
    expect(dirs.map((d) => d.dir)).toEqual(['app/migrations', 'common-migrations', 'files', 'hidden-sql']);
    expect(dirs.find((d) => d.dir === 'common-migrations')!.outside).toBe(realpathSync(join(shared, 'migrations')));
    expect(dirs.filter((d) => d.outside).length).toBe(1);
  });

  it('leaves dependency, build and hidden directories alone, and takes the root itself when it holds migrations', () => {
    const { dir } = makeProject({
      '001_init.sql': 'CREATE TABLE a (id int);\n',
      'node_modules/pkg/migrations/001_x.sql': 'CREATE TABLE x (id int);\n',
      '.git/migrations/001_y.sql': 'CREATE TABLE y (id int);\n',
      'docs/notes.sql': 'SELECT 1;\n',
      'versions/1/README.md': 'not sql\n',
    }, {});
    expect(findMigrationDirs(dir).map((d) => d.dir)).toEqual(['.']);
  });

  it('searches beside version directories for sets of their own', () => {
    const { dir } = makeProject({ 'db/1/a.sql': 'CREATE TABLE a (id int);\n', 'db/2/b.sql': 'CREATE TABLE b (id int);\n', 'db/extra/001_c.sql': 'CREATE TABLE c (id int);\n' }, {});
    expect(findMigrationDirs(join(dir)).map((d) => [d.dir, d.versions ?? ''])).toEqual([['db', 'subdirs'], ['db/extra', '']]);
  });
});

describe('isMigrationName', () => {
  it.each([
    ['001_users.sql', true], ['20240105093000_profiles.sql', true], ['000001_t.up.sql', true], ['V1__init.sql', true], ['V1_1__fix.sql', true],
    ['001_graph.cypher', true], ['70_main.sql.postgres', true], ['R__view.sql', false], ['schema.sql', false], ['001_notes.md', false],
  ])('%s: %s', (name, yes) => expect(isMigrationName(name)).toBe(yes));
});
