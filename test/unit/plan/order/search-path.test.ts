/**
 * The search-path fixture in the plan: chat's objects are in schema chat, what it names unqualified and
 * creates nowhere is found in public (the core service's table and function), and the reverts of statements
 * written under a search path run under it.
 */
import { describe, expect, it } from 'vitest';
import { planMigration } from '../../../../src/plan/plan-migration.js';
import { makeProject } from '../../../helpers/project.js';

describe('SET search_path in the plan', () => {
  it('puts each object in the schema its file says and finds what it uses along the path', async () => {
    const plan = await planMigration('test/fixtures/search-path/topology.yaml', { env: {} });
    expect(plan.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const reasons = (from: string, to: string) => plan.edges.find((e) => e.from === from && e.to === to)?.reasons ?? [];
    expect(reasons('main:core/001_accounts.sql#1-2', 'main:chat/001_chat.sql#1-7')).toEqual(['foreign key (owner_id) → table accounts', 'trigger executes function touch']);
    expect(plan.objects.map((o) => o.name).filter((n) => /messages|audit|chat_sizes/.test(n))).toEqual(['chat.idx_messages_conversation_id', 'chat.messages_id_seq', 'audit', 'chat.messages', 'chat.messages.trg_messages_touch', 'chat_sizes']);
    const revert = (id: string) => plan.steps.find((s) => s.id === id)!.revert;
    expect(revert('main:chat/001_chat.sql#1-7')).toEqual({
      from: 'generated',
      statements: ['SET search_path TO chat, public', 'DROP TRIGGER trg_messages_touch ON messages', 'DROP INDEX idx_messages_conversation', 'DROP TABLE messages', 'DROP TABLE conversations', 'RESET search_path', 'DROP SCHEMA chat'],
    });
    // The index 002 drops comes back from 001's statement, under 001's path.
    expect(revert('main:chat/002_more.sql#1-6')).toEqual({
      from: 'generated',
      statements: [
        'DROP VIEW public.chat_sizes',
        'SET search_path TO chat',
        'DROP INDEX idx_messages_conversation_id',
        'RESET search_path',
        'SET search_path TO chat, public',
        'CREATE INDEX idx_messages_conversation ON messages (conversation_id)',
        'RESET search_path',
        'SET search_path TO chat',
        'ALTER TABLE messages DROP COLUMN edited_at',
        'RESET search_path',
      ],
    });
  });
});

describe('a name along the search path in another store', () => {
  it('is the foreign key across stores that it is', async () => {
    const { topologyFile } = makeProject(
      {
        'core/001_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
        'chat/001_chat.sql': 'CREATE SCHEMA chat;\nSET search_path TO chat, public;\nCREATE TABLE conversations (id bigserial PRIMARY KEY, owner_id bigint NOT NULL REFERENCES accounts (id));\n',
      },
      {
        stores: { core: { engine: 'postgres', database: 'core' }, chat: { engine: 'postgres', database: 'chat' } },
        sets: { core: { dir: 'core' }, chat: { dir: 'chat' } },
        services: { core: { stores: { postgres: 'core' }, sets: ['core'], owns: ['accounts'] }, chat: { stores: { postgres: 'chat' }, sets: ['chat'] } },
      },
    );
    const plan = await planMigration(topologyFile, { env: {}, allowErrors: true });
    expect(plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'plan: foreign key conversations(owner_id) → accounts at "chat/001_chat.sql:3" crosses stores: "conversations" is in "chat", "accounts" in "core"; PostgreSQL cannot enforce it',
    ]);
  });
});
