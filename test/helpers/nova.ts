/**
 * The Nova example copied into a temp directory with its own database names,
 * so integration tests can change files (inject a failure, tamper with an
 * applied file) and several plans can share one server without colliding.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadTopology } from '../../src/topology/index.js';
import type { Topology } from '../../src/topology/model.js';

const repo = resolve(import.meta.dirname, '..', '..');

export interface NovaCopy {
  readonly dir: string;
  readonly topologyFile: string;
  load(): Promise<Topology>;
  write(relPath: string, text: string): void;
  read(relPath: string): string;
}

/** Copies examples/nova and the plan-a/plan-b topologies, suffixing every database with `suffix`. */
export function novaCopy(plan: 'a' | 'b', suffix: string): NovaCopy {
  const dir = mkdtempSync(join(tmpdir(), `topoplan-nova-${plan}-`));
  cpSync(join(repo, 'examples', 'nova'), join(dir, 'nova'), { recursive: true });
  for (const p of ['a', 'b']) {
    const raw = parse(readFileSync(join(repo, 'topologies', `nova-plan-${p}.yaml`), 'utf8')) as Record<string, unknown>;
    if (raw.root) raw.root = './nova';
    // ClickHouse keeps its database: the example's statements name feature_store explicitly.
    for (const s of Object.values((raw.stores ?? {}) as Record<string, { engine: string; database: string; url?: string }>)) {
      if (s.engine === 'postgres') s.database = `${s.database}_${suffix}`;
      s.url = '';
    }
    writeFileSync(join(dir, `nova-plan-${p}.yaml`), stringify(raw));
  }
  const topologyFile = join(dir, `nova-plan-${plan}.yaml`);
  return {
    dir,
    topologyFile,
    async load() {
      const { topology, diagnostics } = await loadTopology(topologyFile, { env: {} });
      if (!topology) throw new Error(diagnostics.map((d) => d.message).join('\n'));
      return topology;
    },
    write: (rel, text) => writeFileSync(join(dir, 'nova', rel), text),
    read: (rel) => readFileSync(join(dir, 'nova', rel), 'utf8'),
  };
}

/** Connections for every store of a topology: PostgreSQL and ClickHouse to the given servers, Neo4j unreachable. */
export function connectionsFor(topology: Topology, pgUrl: string, chUrl: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const s of topology.stores.values()) out[s.name] = s.engine === 'postgres' ? pgUrl : s.engine === 'clickhouse' ? chUrl : undefined;
  return out;
}
