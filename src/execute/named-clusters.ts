/**
 * The ClickHouse clusters a plan's statements need to exist: each store's
 * `cluster`, every `ON CLUSTER name` and the cluster of every `Distributed`
 * engine. An embedded engine defines them as one-node clusters of itself,
 * so a single-node topology whose Distributed tables name a cluster applies
 * too. Macros (`'{cluster}'`) are the server's business and not listed.
 *
 * @example
 * await resolveConnections(topology, { clusters: namedClusters(plan) })
 */
import type { Plan } from '../plan/model.js';
import { tokenizeClickHouse } from '../sql/clickhouse/clickhouse-tokens.js';

export function namedClusters(plan: Plan): string[] {
  const out = new Set<string>();
  for (const s of plan.stores) if (s.cluster) out.add(s.cluster);
  for (const step of plan.steps) {
    if (step.engine !== 'clickhouse') continue;
    for (const sql of step.statements) {
      if (!/\bCLUSTER\b|\bDistributed\s*\(/i.test(sql)) continue;
      const t = tokenizeClickHouse(sql);
      for (let i = 0; i + 2 < t.length; i++) {
        const name =
          t[i]!.upper === 'ON' && t[i + 1]!.upper === 'CLUSTER' ? t[i + 2]! : t[i]!.value === 'Distributed' && t[i + 1]!.value === '(' ? t[i + 2]! : undefined;
        if (name && name.type !== 'punct' && name.type !== 'number' && !/^\{[a-z_]+\}$/.test(name.value)) out.add(name.value);
      }
    }
  }
  return [...out].sort();
}
