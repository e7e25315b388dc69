/**
 * What changes between two topologies of one system, computed from their
 * plans: objects that move between stores, foreign keys that become
 * cross-store, shared objects needed in several stores, each service's
 * connection, legacy files split differently, and per-store totals.
 */
export interface DiffSide {
  readonly topology: string;
  readonly file: string;
}

export interface MovedObject {
  readonly kind: string;
  readonly name: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

export interface ServiceMoves {
  readonly service: string;
  readonly objects: readonly MovedObject[];
}

export interface CrossStoreKey {
  /** `orders(user_id) → users`. */
  readonly key: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly references: string;
  /** Stores of both ends in each plan. */
  readonly a: { readonly fromStore?: string; readonly toStore?: string; readonly crosses: boolean; readonly resolution?: string };
  readonly b: { readonly fromStore?: string; readonly toStore?: string; readonly crosses: boolean; readonly resolution?: string };
  readonly options: readonly string[];
}

export interface SharedObject {
  readonly kind: string;
  readonly name: string;
  readonly a: readonly string[];
  readonly b: readonly string[];
}

export interface ServiceConnection {
  readonly store?: string;
  readonly database?: string;
  /** The url as written in the topology (e.g. `${NOVA_SOCIAL_PG_URL:-}`). */
  readonly url?: string;
}

export interface ServiceDiff {
  readonly service: string;
  /** The environment variable the service reads its connection from. */
  readonly env: string;
  readonly a: ServiceConnection;
  readonly b: ServiceConnection;
  readonly changes: boolean;
  /** The service keeps an sqlx ledger and its PostgreSQL database changes: `_sqlx_migrations` rows must move too. */
  readonly sqlxLedgerMoves: boolean;
}

export interface SplitFile {
  readonly file: string;
  readonly a: readonly string[];
  readonly b: readonly string[];
}

export interface StoreCounts {
  readonly tables: number;
  readonly triggers: number;
  readonly indexes: number;
}

export interface StoreSummary {
  readonly store: string;
  readonly engine: string;
  readonly database: string;
  readonly a?: StoreCounts;
  readonly b?: StoreCounts;
  /** Rows in tables that leave (or arrive in) this store; undefined when not measured. */
  readonly rowsOut?: number;
  readonly rowsIn?: number;
  /** Leaving tables whose rows could not be counted (not in `rowsOut`), with the reason. */
  readonly rowsNotCounted?: readonly { readonly table: string; readonly reason: string }[];
}

/** One part of a definition that differs: `engine`, `ORDER BY`, `TTL`, `ON CLUSTER`, `column name`... */
export interface DefinitionPart {
  readonly part: string;
  /** Undefined when the side does not have this part. */
  readonly a?: string;
  readonly b?: string;
}

/** An object both topologies create, whose definition differs. */
export interface DefinitionChange {
  readonly kind: string;
  readonly name: string;
  /** Where each side defines it: `file:line`. */
  readonly a: string;
  readonly b: string;
  readonly parts: readonly DefinitionPart[];
}

/** Statements of the same file and position whose text differs (filled placeholders, ON CLUSTER added). */
export interface StatementChanges {
  readonly changed: number;
  /** Of those, how many differ in their ON CLUSTER clause. */
  readonly onCluster: number;
}

export interface TopologyDiff {
  readonly format: 'topoplan-diff/1';
  readonly a: DiffSide;
  readonly b: DiffSide;
  readonly identical: boolean;
  readonly moves: readonly ServiceMoves[];
  readonly foreignKeys: readonly CrossStoreKey[];
  readonly shared: readonly SharedObject[];
  readonly services: readonly ServiceDiff[];
  readonly splitFiles: readonly SplitFile[];
  /** Objects in both plans whose definitions differ, part by part. */
  readonly definitions: readonly DefinitionChange[];
  readonly statements: StatementChanges;
  readonly stores: readonly StoreSummary[];
  /** `rowEstimates` were given (a database was reachable). */
  readonly rowsMeasured: boolean;
}
