/**
 * `topoplan transition`'s cut-over lines: a store with a url is printed with
 * its password masked; an embedded store, whose server stops when the command
 * ends, is printed as the `topoplan url` command that starts it, never with
 * the port it had. Contract drops the moved service's function, which
 * restore brings back; --live, --status and --abort as typed.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cli } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

const files = {
  'app/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);',
  'shop/001_orders.sql': "CREATE TABLE orders (id bigint PRIMARY KEY);\nINSERT INTO orders VALUES (1), (2);\nCREATE FUNCTION order_count() RETURNS bigint AS $$ SELECT count(*) FROM orders $$ LANGUAGE sql;",
};
const topology = (stores: Record<string, unknown>, shopStore: string) => ({
  topoplan: 1,
  name: 'cutover',
  stores,
  sets: { app: { dir: 'app' }, shop: { dir: 'shop' } },
  services: { app: { stores: { postgres: 'main' }, sets: ['app'] }, shop: { stores: { postgres: shopStore }, sets: ['shop'], env: 'SHOP_DATABASE_URL' } },
});
const { dir, topologyFile: a } = makeProject(files, topology({ main: { engine: 'postgres', database: 'co_main' } }, 'main'));
chmodSync(dir, 0o755);
const b = join(dir, 'b.yaml');
writeFileSync(b, stringify(topology({ main: { engine: 'postgres', database: 'co_main' }, shop: { engine: 'postgres', database: 'co_shop' } }, 'shop')));
const c = join(dir, 'c.yaml');
writeFileSync(c, stringify(topology({ main: { engine: 'postgres', database: 'co_main' }, shop: { engine: 'postgres', database: 'co_shop2', url: '${SHOP_URL}' } }, 'shop')));

const live = makeProject(files, topology({ main: { engine: 'postgres', database: 'lc_main' } }, 'main'));
chmodSync(live.dir, 0o755);
const liveB = join(live.dir, 'b.yaml');
writeFileSync(liveB, stringify(topology({ main: { engine: 'postgres', database: 'lc_main' }, shop: { engine: 'postgres', database: 'lc_shop' } }, 'shop')));

afterAll(async () => {
  await cli(['stop', b]);
  await cli(['stop', liveB]);
});

describe('topoplan transition cut-over lines', () => {
  it('name no port of a stopped embedded server, and no password of a store url', async () => {
    expect((await cli(['apply', a])).code).toBe(0);
    const r = await cli(['transition', '--from', a, '--to', b]);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toContain(`shop: SHOP_DATABASE_URL=$(topoplan url ${b} --store shop)  (embedded server, stopped now)`);
    expect(r.out).not.toMatch(/127\.0\.0\.1:\d+/);
    const json = JSON.parse((await cli(['transition', '--from', a, '--to', b, '--format', 'json'])).out) as { cutover: { setting: string }[] };
    expect(json.cutover.map((s) => s.setting)).toEqual([`SHOP_DATABASE_URL=$(topoplan url ${b} --store shop)`]);

    // The embedded server, kept running, given to C as the shop store's own url (with its password).
    const url = (await cli(['url', b, '--store', 'main'])).out.trim();
    expect(url).toMatch(/^postgres:\/\/postgres:topoplan@/);
    const withUrl = await cli(['transition', '--from', a, '--to', c, '--data-dir', join(dir, '.topoplan')], { env: { SHOP_URL: url.replace(/\/co_main$/, '/postgres') } });
    expect(withUrl.code, withUrl.err + withUrl.out).toBe(0);
    expect(withUrl.out).toMatch(/shop: SHOP_DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/co_shop2  \(topology: \$\{SHOP_URL\}\)\n/);
    expect(withUrl.out + withUrl.err).not.toContain('topoplan@');

    // Contract drops the function too; restore lists its definition and brings it back.
    const contract = await cli(['transition', '--from', a, '--to', b, '--phase', 'contract', '--contract']);
    expect(contract.code, contract.err + contract.out).toBe(0);
    expect(contract.out).toMatch(/^  contracted +function order_count\(\) in main\/co_main$/m);
    const list = await cli(['restore', b, '--data-dir', join(dir, '.topoplan')]);
    expect(list.out).toContain('function order_count() (definition)');
    const dirOf = /--backup (\S+)/.exec(list.out.split('\n').find((l, i, all) => all[i - 1]?.includes('order_count()')) ?? '')![1]!;
    const restored = await cli(['restore', b, '--backup', dirOf, '--store', 'main', '--data-dir', join(dir, '.topoplan')]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toBe('restore: created "order_count()" from its definition in store "main"\n');
  });

  it('--live streams, --status reports, --abort takes it down, and the cut-over prints its freeze', async () => {
    const a = live.topologyFile;
    expect((await cli(['apply', a])).code).toBe(0);
    const started = await cli(['transition', '--from', a, '--to', liveB, '--live', '--phase', 'expand', 'copy']);
    expect(started.code, started.err + started.out).toBe(0);
    expect(started.out).toMatch(/streaming +main\/lc_main → shop\/lc_shop as topoplan_cutover_lc_main_to_lc_shop \(created publication, slot, subscription\)/);
    const status = await cli(['transition', '--from', a, '--to', liveB, '--status']);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/^topoplan_cutover_lc_main_to_lc_shop main\/lc_main → shop\/lc_shop: streaming, lag /m);
    expect(status.out).toMatch(/^  ready +orders +2 rows old +2 rows new$/m);
    const aborted = await cli(['transition', '--from', a, '--to', liveB, '--abort']);
    expect(aborted.out).toContain('aborted topoplan_cutover_lc_main_to_lc_shop main/lc_main → shop/lc_shop');
    const done = await cli(['transition', '--from', a, '--to', liveB, '--live']);
    expect(done.code, done.err + done.out).toBe(0);
    expect(done.out).toMatch(/cut over +main\/lc_main → shop\/lc_shop: orders 2 rows; write freeze \d+ ms/);
    expect(done.out).toContain(`shop: SHOP_DATABASE_URL=$(topoplan url ${liveB} --store shop)`);
    const after = JSON.parse((await cli(['transition', '--from', a, '--to', liveB, '--status', '--format', 'json'])).out) as { streams: { phase: string; freezeMs: number }[] };
    expect(after.streams.map((s) => s.phase)).toEqual(['cut-over']);
  });
});
