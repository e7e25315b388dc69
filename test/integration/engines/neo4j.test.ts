import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jEngine } from '../../../src/engines/neo4j/neo4j-engine.js';
import { StatementError } from '../../../src/engines/statement-error.js';
import type { EngineSession } from '../../../src/engines/engine.js';
import { hasContainerRuntime, tempDir } from '../../helpers/engines.js';
import { makeStep } from '../../helpers/steps.js';

// Neo4j cannot be installed without a container runtime here, so the suite runs only against a real server.
const envUrl = process.env.NEO4J_URL;
const runtime = envUrl ? false : await hasContainerRuntime();
const available = Boolean(envUrl) || runtime;
if (!available) console.info('neo4j: skipped: no NEO4J_URL and no container runtime');

const step = (id: string, statements: string[]) =>
  makeStep({ id: `graph:${id}`, statements, store: 'graph', engine: 'neo4j', database: 'neo4j', transactional: false });

describe.skipIf(!available)('neo4j engine', () => {
  let session: EngineSession;
  let url: string;
  let stop: () => Promise<void> = async () => undefined;
  let workDir: string;

  beforeAll(async () => {
    if (envUrl) url = envUrl;
    else {
      const { Neo4jContainer } = await import('@testcontainers/neo4j');
      const c = await new Neo4jContainer('neo4j:5').start();
      const u = new URL(c.getBoltUri());
      u.username = c.getUsername();
      u.password = c.getPassword();
      url = u.toString();
      stop = async () => { await c.stop(); };
    }
    console.info(`neo4j: using ${envUrl ? 'NEO4J_URL' : 'testcontainers'}`);
    workDir = await tempDir('neo4j-work');
    session = await neo4jEngine.connect({ store: 'graph', database: 'neo4j', url });
  });

  afterAll(async () => {
    await session?.close();
    await stop();
  });

  it('applies statements and records them', async () => {
    const s = step('001', ['CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE', `CREATE (:Person {id: 1, name: 'a'})`]);
    await session.applyStep(s, { workDir });
    expect((await session.readLedger()).records.filter((e) => e.stepId === s.id)).toMatchObject(s.statements.map((sql, i) => ({ status: 'applied', fingerprint: s.source!.fingerprints[i], sql })));
    const snap = await session.inspect();
    expect(snap.indexes).toContain('person_id');
    expect(snap.tables).toContain('Person');
    expect(await session.countRows('Person')).toBe(1);
  });

  it('names the failing statement and leaves the step started', async () => {
    const s = step('002', ['CREATE (:Person {id: 2})', 'CREAT (:Oops)']);
    const error = await session.applyStep(s, { workDir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StatementError);
    expect((error as StatementError).statementIndex).toBe(1);
    expect((await session.readLedger()).records.filter((e) => e.stepId === s.id).map((e) => e.status)).toEqual(['started', 'started']);
  });

  it('lets one apply hold the lock', async () => {
    const other = await neo4jEngine.connect({ store: 'graph', database: 'neo4j', url });
    try {
      const release = await session.lock({ timeoutMs: 1_000 });
      await expect(other.lock({ timeoutMs: 500, pollMs: 100 })).rejects.toThrow(/apply: store "graph" is locked by another apply/);
      await release();
      await (await other.lock({ timeoutMs: 1_000 }))();
    } finally {
      await other.close();
    }
  });

  it('backs up nodes of a label', async () => {
    const [file] = await session.backupTables(['Person'], `${workDir}/backup`);
    expect(file?.rows).toBe(2);
  });
});
