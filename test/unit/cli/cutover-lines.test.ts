import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { cutoverLines, cutoverSetting } from '../../../src/cli/cutover-lines.js';
import type { Topology } from '../../../src/topology/model.js';

const topology = { stores: new Map([['shop', { name: 'shop', url: '${SHOP_URL}' }], ['social', { name: 'social' }]]) } as unknown as Topology;
const where = { connections: { shop: 'postgres://app:s3cret@db:5432/postgres', social: 'postgres://postgres:topoplan@127.0.0.1:41234/postgres' }, topology, toFile: 'b.yaml' };
const c = pc.createColors(false);

describe('cut-over lines', () => {
  it('a store with a url gets its database url (with the search_path its sqlx ledger needs); the CLI masks the password', () => {
    expect(cutoverSetting({ service: 'shop', env: 'SHOP_DATABASE_URL', store: 'shop', database: 'shop', url: '${SHOP_URL}' }, where)).toEqual({ value: 'postgres://app:s3cret@db:5432/shop', embedded: false });
    expect(cutoverSetting({ service: 'shop', env: 'SHOP_DATABASE_URL', store: 'shop', database: 'shop', searchPath: 'shop_ledger,public' }, where).value).toMatch(/^postgres:\/\/app:s3cret@db:5432\/shop\?options=/);
  });

  it('an embedded store, whose server stops with the command, gets the command that starts it, never its port', () => {
    const lines = cutoverLines([{ service: 'social', env: 'SOCIAL_DATABASE_URL', store: 'social', database: 'social', searchPath: 'social_ledger,public' }], where, c);
    expect(lines).toEqual(['cut over: set these and restart the services', '  social: SOCIAL_DATABASE_URL=$(topoplan url b.yaml --store social)  (embedded server, stopped now; with search_path=social_ledger,public)']);
    expect(lines.join('\n')).not.toContain('41234');
    expect(cutoverLines([], where, c)).toEqual([]);
  });
});
