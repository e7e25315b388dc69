/**
 * The throwaway engines of a check, on a real embedded PostgreSQL: durability
 * is off, every PostgreSQL store gets the one server, a server begun before
 * the plan was ready is the one used, and nothing is left once stopped.
 */
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startScratchEngines } from '../../../src/check/scratch-engines.js';
import { beginScratch } from '../../../src/check/scratch-start.js';
import { tempDir } from '../../helpers/engines.js';

async function settings(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_level') ORDER BY name");
    return Object.fromEntries(r.rows.map((x) => [x.name, x.setting]));
  } finally {
    await c.end();
  }
}

describe('scratch engines', () => {
  it('run PostgreSQL without durability, begun before the plan, one server for every store, removed by stop()', async () => {
    const parentDir = await tempDir('scratch');
    const begun = await beginScratch({ parentDir, postgres: true });
    expect(readdirSync(parentDir)).toEqual([begun.dir.split('/').pop()]);
    const early = await begun.postgres!;
    const scratch = await startScratchEngines([
      { name: 'app', engine: 'postgres', database: 'app' },
      { name: 'billing', engine: 'postgres', database: 'billing' },
      { name: 'graph', engine: 'neo4j', database: 'neo4j' },
    ], { begun });
    try {
      expect(scratch.dir).toBe(begun.dir);
      expect(scratch.connections.app).toBe(early.url);
      expect(scratch.connections.billing).toBe(early.url);
      expect(scratch.connections.graph).toBeUndefined();
      expect(scratch.reasons.graph).toContain('--neo4j-url');
      expect(scratch.notes).toEqual([`scratch PostgreSQL (${early.source}), durability off`]);
      expect(await settings(early.url)).toEqual({ fsync: 'off', full_page_writes: 'off', synchronous_commit: 'off', wal_level: 'minimal' });
    } finally {
      await scratch.stop();
    }
    expect(existsSync(begun.dir)).toBe(false);
    expect(readdirSync(parentDir)).toEqual([]);
  });

  it('give Neo4j stores the throwaway server named by neo4jUrl, and start nothing for them', async () => {
    const parentDir = await tempDir('scratch-neo4j');
    const url = 'neo4j://neo4j:secret@127.0.0.1:7687';
    const scratch = await startScratchEngines([{ name: 'graph', engine: 'neo4j', database: 'neo4j' }], { parentDir, neo4jUrl: url });
    try {
      expect(scratch.connections).toEqual({ graph: url });
      expect(scratch.reasons).toEqual({});
      expect([...scratch.engines]).toEqual([]);
    } finally {
      await scratch.stop();
    }
    expect(readdirSync(parentDir)).toEqual([]);
  });
});
