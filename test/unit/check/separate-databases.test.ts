import { describe, expect, it } from 'vitest';
import { separateDatabases } from '../../../src/check/separate-databases.js';
import { planMigration } from '../../../src/plan/plan-migration.js';
import { makeProject } from '../../helpers/project.js';

describe('separateDatabases', () => {
  it('gives a later PostgreSQL store that shares a database name a database of its own, and its steps follow', async () => {
    const { topologyFile } = makeProject(
      { 'a/001.sql': 'CREATE TABLE a (id int);', 'b/001.sql': 'CREATE TABLE b (id int);' },
      {
        stores: { one: { engine: 'postgres', database: 'app', url: 'postgres://one/x' }, two: { engine: 'postgres', database: 'app', url: 'postgres://two/x' } },
        sets: { a: { dir: 'a' }, b: { dir: 'b' } },
        services: { sa: { stores: { postgres: 'one' }, sets: ['a'], owns: ['a'] }, sb: { stores: { postgres: 'two' }, sets: ['b'], owns: ['b'] } },
      },
    );
    const plan = await planMigration(topologyFile);
    const { plan: separated, notes } = separateDatabases(plan);
    expect(notes).toEqual(['stores "one" and "two" both use database "app": "two" is checked in database "app__two"']);
    expect(separated.stores.map((s) => [s.name, s.database])).toEqual([['one', 'app'], ['two', 'app__two']]);
    const two = separated.steps.filter((s) => s.store === 'two');
    expect(two.every((s) => s.database === 'app__two')).toBe(true);
    expect(two.find((s) => s.kind === 'create_database')!.statements).toEqual(['CREATE DATABASE "app__two"']);
    expect(separated.steps.filter((s) => s.store === 'one').every((s) => s.database === 'app')).toBe(true);
    expect(separateDatabases(separated).notes).toEqual([]);
  });
});
