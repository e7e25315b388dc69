import { describe, expect, it } from 'vitest';
import { engineFor } from '../../../src/engines/registry.js';
import { ENGINE_CAPABILITIES } from '../../../src/engines/engine-capabilities.js';

describe('engineFor', () => {
  it('declares what an engine can do without loading it; connects load it, and name a store they cannot reach', async () => {
    const ch = engineFor('clickhouse');
    expect(ch.capabilities).toBe(ENGINE_CAPABILITIES.clickhouse);
    for (const store of ['first', 'second']) {
      await expect(ch.connect({ store, database: 'analytics', url: 'http://127.0.0.1:1' })).rejects.toThrow(`apply: cannot connect to ClickHouse of store "${store}"`);
    }
    expect(engineFor('clickhouse')).toBe(ch);
  });
});
