/**
 * The search-path fixture on PostgreSQL: chat's objects land in schema chat, core's later table in public
 * (a step's SET search_path does not outlast it on the connection), and every revert runs under the path
 * its statement was written for.
 */
import { describe, expect, it } from 'vitest';
import { expectAppliesWhole, objectsOf } from '../../helpers/check-whole.js';

describe('SET search_path on PostgreSQL', () => {
  it('applies where the plan says and rolls back whole', async () => {
    const objects = objectsOf(await expectAppliesWhole('test/fixtures/search-path/topology.yaml'), 'main');
    expect(objects.filter((o) => o.startsWith('table '))).toEqual(['table chat.conversations', 'table chat.messages', 'table public.accounts', 'table public.audit']);
    expect(objects).toContain('view public.chat_sizes');
  });
});
