/**
 * The Neo4j engine (neo4j-driver, Bolt). No transactional schema changes and
 * no advisory locks: the ledger and the lock are nodes.
 *
 * @example
 * const session = await neo4jEngine.connect({ store: 'graph', database: 'neo4j', url: 'neo4j://neo4j:secret@localhost:7687' })
 */
import type { Engine } from '../engine.js';
import { TopoplanError } from '../../errors.js';
import { neo4jDriverFor } from './neo4j-driver-for.js';
import { NEO4J_CAPABILITIES, Neo4jSession } from './neo4j-session.js';

export const neo4jEngine: Engine = {
  name: 'neo4j',
  capabilities: NEO4J_CAPABILITIES,
  async connect(options) {
    const driver = neo4jDriverFor(options.url);
    try {
      await driver.verifyConnectivity();
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw new TopoplanError('apply.connect', `apply: cannot connect to Neo4j of store "${options.store}": ${(e as Error).message}`, [], { cause: e });
    }
    return new Neo4jSession(driver, options);
  },
};
