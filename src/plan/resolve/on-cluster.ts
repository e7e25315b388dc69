/**
 * DDL on a ClickHouse cluster: a statement routed to a store with `cluster:`
 * must run on every node, so one that takes `ON CLUSTER` and has none gets
 * the store's (with a note on its step); one that names another cluster is
 * reported. On a replicated store, a MergeTree-family table that does not
 * replicate is reported too: each node would keep rows of its own.
 *
 * @example
 * diagnostics.push(...addOnCluster(topology, liveUnits))
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Topology } from '../../topology/model.js';
import { chCluster } from '../order/graph.js';
import { unitPlace, type Unit } from '../read/units.js';

export function addOnCluster(topology: Topology, units: readonly Unit[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const u of units) {
    const store = u.store ? topology.stores.get(u.store) : undefined;
    if (!store?.cluster || u.stmt.engine !== 'clickhouse') continue;
    const at = { file: u.file.file, line: u.stmt.line, column: u.stmt.column };
    const named = u.stmt.onCluster;
    if (named !== undefined && named !== store.cluster && !/^\{[a-z_]+\}$/.test(named)) {
      out.push(diagnostic({
        code: 'plan.other_cluster',
        severity: 'warning',
        message: `plan: statement ${u.stmt.index + 1} at "${unitPlace(u)}" runs ON CLUSTER "${named}", but store "${store.name}" spans cluster "${store.cluster}"`,
        ...at,
        hint: `name the store's cluster in the statement (ON CLUSTER ${chCluster(store.cluster)}), or give the store the cluster the statement means:\nstores:\n  ${store.name}: { cluster: ${named} }`,
      }));
    }
    if (named === undefined && u.stmt.clusterSlot !== undefined && u.sql === u.stmt.sql) {
      const slot = u.stmt.clusterSlot;
      u.sql = `${u.sql.slice(0, slot)} ON CLUSTER ${chCluster(store.cluster)}${u.sql.slice(slot)}`;
      if (!u.notes.includes(noteFor(store.name, store.cluster))) u.notes.push(noteFor(store.name, store.cluster));
    }
    const table = u.stmt.effects.find((e) => e.action === 'create' && e.tableEngine !== undefined && e.object.kind === 'table');
    if (store.replicated && table && /MergeTree$/.test(table.tableEngine!) && !table.tableEngine!.startsWith('Replicated')) {
      out.push(diagnostic({
        code: 'plan.not_replicated',
        severity: 'warning',
        message: `plan: table "${table.object.schema ?? store.database}.${table.object.name}" at "${unitPlace(u)}" uses ${table.tableEngine} on replicated store "${store.name}": each node keeps rows of its own`,
        ...at,
        hint: `use Replicated${table.tableEngine} if its rows should replicate across cluster "${store.cluster}"`,
      }));
    }
  }
  return out;
}

function noteFor(store: string, cluster: string): string {
  return `ON CLUSTER ${chCluster(cluster)} added where a statement had none: store "${store}" spans cluster "${cluster}"`;
}
