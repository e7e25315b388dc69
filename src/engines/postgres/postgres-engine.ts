/**
 * The PostgreSQL engine: DDL and its ledger row commit together, the
 * migration lock is an advisory lock, rows move with INSERT ... SELECT.
 *
 * @example
 * const session = await postgresEngine.connect({ store: 'nova', database: 'nova', url: process.env.NOVA_PG_URL! })
 * const release = await session.lock({ timeoutMs: 30_000 })
 * try { await session.applyStep(step, { workDir }) } finally { await release(); await session.close() }
 */
import type { Engine } from '../engine.js';
import { POSTGRES_CAPABILITIES, PostgresSession } from './postgres-session.js';

export const postgresEngine: Engine = {
  name: 'postgres',
  capabilities: POSTGRES_CAPABILITIES,
  async connect(options) {
    const session = new PostgresSession(options);
    await session.ping();
    return session;
  },
};
