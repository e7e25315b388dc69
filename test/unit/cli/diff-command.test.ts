import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

describe('diff --rows', () => {
  it('says which rows could not be counted and why instead of counting 0, and creates no database', async () => {
    const stores = { one: { engine: 'postgres', database: 'one', url: '${ONE_URL:-}' }, two: { engine: 'postgres', database: 'two' } };
    const sets = { billing: { dir: 'billing' }, users: { dir: 'users' } };
    const { dir, topologyFile: a } = makeProject(
      { 'billing/001_invoices.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(12,2));\nCREATE TABLE "odd|name" (id bigint);\n', 'users/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' },
      { stores, sets, services: { billing: { stores: { postgres: 'one' }, sets: ['billing'], owns: ['invoices', 'odd|name'] }, users: { stores: { postgres: 'one' }, sets: ['users'], owns: ['users'] } } },
    );
    const b = join(dir, 'b.yaml');
    writeFileSync(b, stringify({ topoplan: 1, name: 'test', stores, sets, services: { billing: { stores: { postgres: 'two' }, sets: ['billing'], owns: ['invoices', 'odd|name'] }, users: { stores: { postgres: 'one' }, sets: ['users'], owns: ['users'] } } }));
    const text = await cli(['diff', a, b, '--rows', '--data-dir', join(dir, 'state')]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/one .*rows out 0, in 0; not counted: invoices, odd\|name \(store "one" has no url and there is no embedded database in .*state\/postgres yet/);
    expect(existsSync(join(dir, 'state'))).toBe(false);
    const json = JSON.parse((await cli(['diff', a, b, '--rows', '--format', 'json'])).out) as { stores: { store: string; rowsNotCounted?: { table: string; reason: string }[] }[] };
    expect(json.stores.find((s) => s.store === 'one')!.rowsNotCounted).toEqual([{ table: 'invoices', reason: expect.stringContaining(join(dir, '.topoplan', 'postgres')) as string }, { table: 'odd|name', reason: expect.stringContaining('no embedded database') as string }]);
    const md = (await cli(['diff', a, b, '--rows', '--format', 'markdown'])).out;
    expect(md.split('\n')[0]).toBe('**topoplan diff: 2 objects move, 0 foreign keys cross stores, 1 service connection changes, 0 definitions change.**');
    expect(md).toContain('| billing | table `odd\\|name` | one | two |');
    expect(md).toMatch(/\| one \| postgres \| .* \| out 0, in 0; not counted: invoices, odd\\\|name/);
  });
});
