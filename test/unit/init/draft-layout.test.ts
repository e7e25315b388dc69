import { describe, expect, it } from 'vitest';
import { draftLayout, topologyName } from '../../../src/init/draft-layout.js';

describe('draftLayout', () => {
  it('a service per directory that belongs to one; legacy directories are shared', () => {
    const l = draftLayout(['backend/migrations', 'social-service/db/migrations', 'feature-store/clickhouse', 'feature-store/migrations'], 'nova');
    expect(l.sets).toEqual([
      { name: 'legacy', dir: 'backend/migrations', shared: true },
      { name: 'social', dir: 'social-service/db/migrations', shared: false, service: 'social-service' },
      { name: 'feature-store-clickhouse', dir: 'feature-store/clickhouse', shared: false, service: 'feature-store' },
      { name: 'feature-store-migrations', dir: 'feature-store/migrations', shared: false, service: 'feature-store' },
    ]);
    expect([...l.services]).toEqual([['social-service', ['social']], ['feature-store', ['feature-store-clickhouse', 'feature-store-migrations']]]);
  });

  it('generic paths belong to the repository’s own service; several legacy sets are told apart; names stay unique', () => {
    const l = draftLayout(['.', 'schema/full', 'legacy/a', 'shared/db', 'Billing_Service/sql', 'billing_service/db', 'chat-service/sql', 'chat/sql'], 'My Repo');
    expect(l.sets.map((s) => [s.name, s.service ?? '-'])).toEqual([
      ['my-repo', 'my-repo'], ['schema-full', 'my-repo'], ['legacy-a', '-'], ['shared', '-'],
      ['billing-sql', 'billing_service'], ['billing-db', 'billing_service'], ['chat', 'chat-service'], ['chat-2', 'chat'],
    ]);
  });

  it('directories that hold services are not services', () => {
    expect(draftLayout(['services/users/migrations', 'crates/billing/migrations'], 'x').sets.map((s) => s.service)).toEqual(['users', 'billing']);
  });

  it('topologyName', () => {
    expect([topologyName('Nova'), topologyName('2024 app!'), topologyName('---')]).toEqual(['nova', 'app', 'app']);
  });
});
