/**
 * A replication connection that creates a logical replication slot with
 * `SNAPSHOT 'export'`: the slot streams every commit after its consistent
 * point, and the exported snapshot sees exactly the commits before it, so
 * rows copied under that snapshot plus the slot's stream hold every write
 * once. The snapshot lives as long as the connection stays open and idle;
 * `close()` ends it (the slot stays). Connecting is apart from creating the
 * slot, so the connection can be opened while other preparations run.
 *
 * @example
 * const repl = await connectForSnapshot(databaseUrl(serverUrl, 'main'));
 * const slot = await repl.createSlot('topoplan_b_main_to_shop');
 * await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
 * await source.query(`SET TRANSACTION SNAPSHOT '${slot.snapshot}'`); // then COPY ... TO STDOUT
 * await repl.close();
 */
import pg from 'pg';
import { quoteIdent } from '../copy-table.js';

export interface ExportedSnapshot {
  /** The name `SET TRANSACTION SNAPSHOT` takes. */
  readonly snapshot: string;
  /** The slot's consistent point: its stream starts after it. */
  readonly lsn: string;
}

export interface SnapshotConnection {
  createSlot(slot: string): Promise<ExportedSnapshot>;
  /** Ends the connection and with it the exported snapshot; safe to call twice. */
  close(): Promise<void>;
}

export async function connectForSnapshot(databaseUrl: string): Promise<SnapshotConnection> {
  // pg sends `replication` as a start-up parameter; its type declarations do not list it.
  const config = { connectionString: databaseUrl, replication: 'database', application_name: 'topoplan transition snapshot' };
  const c = new pg.Client(config as pg.ClientConfig);
  c.on('error', () => undefined);
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= c.end().catch(() => undefined));
  try {
    await c.connect();
  } catch (e) {
    await close();
    throw e;
  }
  return {
    close,
    createSlot: async (slot) => {
      const r = await c.query<{ consistent_point: string; snapshot_name: string }>(`CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL pgoutput (SNAPSHOT 'export')`);
      return { snapshot: r.rows[0]!.snapshot_name, lsn: r.rows[0]!.consistent_point };
    },
  };
}
