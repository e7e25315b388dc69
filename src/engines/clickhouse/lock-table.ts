/**
 * Where the claims of ClickHouse store locks live, and how they are written
 * and read so that every contender sees the same rows.
 *
 * A single server (or a cluster store that does not replicate, whose ledger
 * stays on the node of its URL) keeps them in `default.topoplan_locks`, a
 * MergeTree on that node; claims are ordered by the server clock.
 *
 * A replicated cluster store keeps them in `default.topoplan_cluster_locks`,
 * created `ON CLUSTER` as one ReplicatedMergeTree every node of every shard
 * holds (Keeper path `/clickhouse/topoplan/topoplan_cluster_locks`, replica
 * `{shard}-{replica}`), so an apply through any node sees the claim of an
 * apply through any other. Each claim is inserted with a quorum of replicas,
 * one quorum insert at a time (`insert_quorum_parallel = 0`, never dropped as
 * a duplicate), and read with
 * `select_sequential_consistency`, so a read sees every claim acknowledged
 * before it; claims are ordered by the block number Keeper gives each insert
 * (`_block_number`, kept by `enable_block_number_column`), one sequence for
 * the whole cluster, not by node clocks that may disagree. Leases still
 * compare times of the node read through: a node clock far off shortens or
 * lengthens a lease, never the order of claims.
 *
 * @example
 * lockTableFor({ cluster: 'obs', replicated: true }).name // 'default.topoplan_cluster_locks'
 */
import { chIdent, chString } from './clickhouse-sql.js';

export interface LockTable {
  readonly name: string;
  /** Creates the table when it is missing. */
  readonly create: string;
  /** `SETTINGS ...` between an INSERT's column list and its SELECT, or empty. */
  readonly insertSettings: string;
  /** ` SETTINGS ...` at the end of a SELECT, or empty. */
  readonly readSettings: string;
  /** The expression that orders claims, the same on every node. */
  readonly order: string;
  /** Whether an insert may be refused because another quorum insert is not finished (retry it). */
  readonly quorum: boolean;
}

const COLUMNS = `(
  name String, owner String, kind LowCardinality(String), expires DateTime64(3, 'UTC'), version UInt64, at DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC'),
  host String, pid UInt32, process String
)`;

const SINGLE: LockTable = {
  name: 'default.topoplan_locks',
  create: `CREATE TABLE IF NOT EXISTS default.topoplan_locks ${COLUMNS} ENGINE = MergeTree ORDER BY (name, version) TTL toDateTime(expires) + INTERVAL 1 DAY`,
  insertSettings: '',
  readSettings: '',
  order: 'version',
  quorum: false,
};

/** The lock table of a store: on a replicated cluster, one table all nodes hold; else one on the node of the URL. */
export function lockTableFor(cluster: { readonly cluster?: string; readonly replicated?: boolean } = {}): LockTable {
  if (cluster.cluster === undefined || !cluster.replicated) return SINGLE;
  const name = 'default.topoplan_cluster_locks';
  return {
    name,
    create:
      `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${chIdent(cluster.cluster)} ${COLUMNS} ` +
      `ENGINE = ReplicatedMergeTree(${chString('/clickhouse/topoplan/topoplan_cluster_locks')}, '{shard}-{replica}') ORDER BY (name, version) ` +
      'TTL toDateTime(expires) + INTERVAL 1 DAY SETTINGS enable_block_number_column = 1',
    // A claim is never a duplicate of an earlier insert, even one with the same rows.
    insertSettings: "SETTINGS insert_quorum = 'auto', insert_quorum_parallel = 0, insert_deduplicate = 0 ",
    readSettings: ' SETTINGS select_sequential_consistency = 1',
    order: '_block_number',
    quorum: true,
  };
}
