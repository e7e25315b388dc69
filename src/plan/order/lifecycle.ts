/**
 * Object versions and what each statement depends on.
 *
 * Every CREATE starts a version of an object in a store; a DROP ends the
 * version it sees. A statement sees the version its own set created before it
 * (the author's order inside a set is trusted) or else the surviving one.
 * From that come the edges: create → use, use → drop, drop → next create of
 * the same name (so legacy cleanup runs before the replacement is created,
 * whatever the file numbers say).
 */
import { renamedRef, type EngineName, type Effect, type ObjectRef } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import { isSynth, type Dep, type Node } from './nodes.js';
import { sharePostgresNames, storeKey, type StoreKey } from '../object-keys.js';
import type { Unit } from '../read/units.js';
import { label } from './dep-reason.js';
import { indexTableOf } from '../read/index-table.js';
import { pushTo } from '../push-to.js';

export interface Version {
  readonly key: StoreKey;
  readonly ref: ObjectRef;
  readonly store: string;
  readonly node: Node;
  /** False when the object keeps no rows of its own (a ClickHouse Distributed table, view, dictionary); see Effect.holdsData. */
  readonly holdsData?: boolean;
  dropNode?: Node;
  /** What ended it at `dropNode`: a drop or rename of it, or a drop or rename of its database (the new name, for a rename). */
  ended?: { readonly by: 'drop' | 'rename' | 'database drop' | 'database rename'; readonly to?: string; readonly toSchema?: string };
  /** Nodes that use this version; undefined while there are none (most versions). */
  users?: Set<Node>;
}

/** A reference whose object has no version in the referencing store. */
export interface Unresolved {
  readonly node: Unit;
  readonly effect: Effect;
  readonly key: StoreKey;
  /** Versions of the same object in other stores. */
  readonly elsewhere: Version[];
}

/**
 * A use, in its set's order, after the statement that took the name away
 * (a rename of the object, a drop or rename of its database): it cannot run
 * where its file puts it, nor be moved before that statement.
 */
export interface LateUse {
  readonly node: Unit;
  readonly effect: Effect;
  readonly version: Version;
}

export interface NodeEffects {
  readonly node: Node;
  readonly store: string;
  readonly engine: EngineName;
  readonly effects: readonly Effect[];
  readonly seq: number;
  readonly set?: string;
}

export function nodeEffects(n: Node, topology: Topology): NodeEffects {
  if (isSynth(n)) {
    const engine = topology.stores.get(n.store)?.engine ?? 'postgres';
    return { node: n, store: n.store, engine, seq: n.seq, effects: (n.creates ?? []).map((object) => ({ action: 'create' as const, object })) };
  }
  return { node: n, store: n.store!, engine: n.stmt.engine, seq: n.seq, effects: n.stmt.effects, set: n.set.name };
}

const NONE: readonly StoreKey[] = [];
const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set(['public', 'pg_catalog', 'information_schema']);

export class Lifecycle {
  readonly versions = new Map<StoreKey, Version[]>();
  /** Versions by key without the store prefix, to find an object in another store. */
  private bareIndex: Map<string, Version[]> | undefined;
  private byConstraint: Map<StoreKey, Node> | undefined;
  private byTable: Map<string, Version[]> | undefined;
  /** Every version in the order it was registered. */
  private readonly all: Version[] = [];
  readonly deps: Dep[] = [];
  readonly unresolved: Unresolved[] = [];
  /** Uses after the statement that took their object's name away (see LateUse). */
  readonly lateUses: LateUse[] = [];
  /** Drops that saw no version of their object when they were read (its creator, if any, comes later). */
  readonly unmatchedDrops: { node: NodeEffects; key: StoreKey; object: ObjectRef }[] = [];
  /** (node, version) pairs of foreign keys, for cascade analysis. */
  readonly foreignKeys: { node: Unit; version: Version; effect: Effect }[] = [];

  /** `isShared`: objects every set may create its own copy of in a store (see Ownership.isShared). */
  constructor(private readonly topology: Topology, private readonly isShared: (ref: ObjectRef) => boolean = () => false) {}

  key(store: string, engine: EngineName, ref: ObjectRef): StoreKey {
    return storeKey(this.topology, store, engine, ref);
  }

  /**
   * Registers creations and drops in one pass. `nodes` come in version order:
   * sets that are superseded before the sets that supersede them, then the
   * author's order. A drop ends the version it sees at that point.
   */
  register(nodes: readonly NodeEffects[]): void {
    for (const n of nodes) {
      for (const e of n.effects) {
        if (e.object.kind === 'database') {
          if (e.action === 'rename' && e.renameTo) this.moveDatabase(n, e.object.name, e.renameTo);
          else if (e.action === 'drop' && n.engine === 'clickhouse') this.dropDatabase(n, e.object.name);
          continue;
        }
        let renamed: Version | undefined;
        if (e.action === 'drop' || e.action === 'rename') {
          const v = this.resolve(n, this.searchedKey(e.object, (ref) => this.key(n.store, n.engine, ref)), true);
          if (v && !v.dropNode) {
            v.dropNode = n.node;
            if (e.action === 'rename' && e.renameTo) {
              const toSchema = e.renameSchema ?? (e.renameToStoreDatabase ? this.topology.stores.get(n.store)?.database : undefined);
              v.ended = { by: 'rename', to: e.renameTo, ...(toSchema !== undefined ? { toSchema } : {}) };
            }
            else if (e.action === 'drop') v.ended = { by: 'drop' };
            renamed = v;
            this.dep(v.node, n.node, `${e.action === 'drop' ? 'drops' : 'renames'} ${label(e.object)} created here`);
            if (e.action === 'drop' && n.engine === 'postgres' && v.ref.kind === 'table') this.endOnTable(n, v.ref.schema ?? 'public', v.ref.name);
          } else if (!v && !isSynth(n.node)) {
            // A drop or rename (without IF EXISTS) of what its own set dropped before fails there.
            const gone = e.ifExists ? undefined : this.droppedBefore(n, this.key(n.store, n.engine, e.object));
            if (gone) this.lateUses.push({ node: n.node, effect: e, version: gone });
            else if (e.action === 'drop') this.unmatchedDrops.push({ node: n, key: this.key(n.store, n.engine, e.object), object: e.object });
          }
        }
        if (e.action === 'alter' && n.engine === 'postgres' && e.object.kind === 'table' && e.columnFacts?.dropped && !isSynth(n.node) && n.node.stmt.kind !== 'RenameStmt') {
          this.endOnTable(n, e.object.schema ?? 'public', e.object.name, e.columnFacts.dropped);
        }
        if (e.action === 'create') this.addVersion(n, e.object, e.holdsData);
        // `RENAME ... IF EXISTS` of a name nothing creates does nothing: the new name gets no version.
        if (e.action === 'rename' && e.renameTo && (renamed || !e.ifExists)) {
          this.addVersion(n, renamedRef(renamed?.ref ?? e.object, e), renamed?.holdsData);
          if (renamed && n.engine === 'postgres' && renamed.ref.kind === 'table') this.carryWithTable(n, renamed.ref, e.renameSchema ?? renamed.ref.schema ?? 'public', e.renameTo);
        }
      }
    }
  }

  /**
   * A renamed database (ClickHouse `RENAME DATABASE a TO b`) takes every
   * object in it along: each live version in `a` of the store ends at the
   * rename and the same object goes on in `b`, so what uses `b.t` later runs
   * after the rename, and what uses `a.t` before it.
   */
  private moveDatabase(n: NodeEffects, from: string, to: string): void {
    for (const v of this.all.filter((x) => x.store === n.store && !x.dropNode && x.ref.schema === from && x.node !== n.node)) {
      v.dropNode = n.node;
      v.ended = { by: 'database rename', to };
      this.dep(v.node, n.node, `renames database ${from}, which holds ${label(v.ref)} created here`);
      this.addVersion(n, { ...v.ref, schema: to }, v.holdsData);
    }
  }

  /**
   * What goes with a PostgreSQL table renamed or moved to another schema: its triggers (named within their
   * table) and the sequences its columns own, and, to another schema (`ALTER TABLE t SET SCHEMA s`), its
   * indexes too. Each live version ends there and goes on under the table's new name, so what names
   * `s.t_pkey` or `trigger trg ON t2` later runs after it, and what names the old ones before it.
   */
  private carryWithTable(n: NodeEffects, table: ObjectRef, toSchema: string, toTable: string): void {
    const from = table.schema ?? 'public';
    const moves = toSchema !== from;
    if (!moves && toTable === table.name) return;
    // Renamed in its schema, the table keeps its indexes and sequences as they are: their keys name no table.
    const along = this.onTable(n.store, from, table.name).filter((v) => !v.dropNode && v.node !== n.node && (moves || v.ref.kind === 'trigger'));
    const how = moves ? `moves ${label(table)} to schema ${toSchema}` : `renames ${label(table)} to ${toTable}`;
    for (const v of along) {
      v.dropNode = n.node;
      v.ended = { by: 'rename', to: v.ref.name, ...(moves ? { toSchema } : {}) };
      this.dep(v.node, n.node, `${how}, with ${label(v.ref)} created here`);
      this.addVersion(n, { ...v.ref, schema: toSchema, ...(v.ref.table !== undefined ? { table: toTable } : {}) }, v.holdsData);
    }
  }

  /**
   * The last version of its own set that a drop finds already dropped by that set, with none live after it: a
   * second DROP without IF EXISTS fails there ("table t does not exist").
   */
  private droppedBefore(n: NodeEffects, key: StoreKey): Version | undefined {
    const list = this.versions.get(key);
    const last = list?.[list.length - 1];
    if (!last || !last.dropNode || isSynth(last.node) || isSynth(last.dropNode) || last.ended?.by !== 'drop') return undefined;
    return nodeSet(last.node) === n.set && nodeSet(last.dropNode) === n.set && nodeSeq(last.dropNode) < n.seq ? last : undefined;
  }

  /**
   * What a PostgreSQL table takes along when it is dropped: the indexes and triggers its own set made on it before;
   * when `columns` are dropped, the indexes its own set made before on any of them (CREATE INDEX ... (c)). Each
   * version ends at that statement, so what names it later is a use after its drop.
   */
  private endOnTable(n: NodeEffects, schema: string, table: string, columns?: readonly string[]): void {
    for (const v of this.onTable(n.store, schema, table)) {
      if (v.dropNode || v.node === n.node || isSynth(v.node) || nodeSet(v.node) !== n.set || nodeSeq(v.node) > n.seq) continue;
      if (columns ? v.ref.kind !== 'index' || !indexColumns(v.node, table).some((c) => columns.includes(c)) : v.ref.kind === 'sequence') continue;
      // No edge of its own: what made it uses the table, so it runs before the table's (or column's) drop already.
      v.dropNode = n.node;
      v.ended = { by: 'drop' };
    }
  }

  /** Versions of the triggers, owned sequences and indexes of a table, by store, schema and table; built at the first rename of a table. */
  private onTable(store: string, schema: string, table: string): Version[] {
    if (!this.byTable) {
      this.byTable = new Map();
      for (const v of this.all) this.addOnTable(v);
    }
    return [...(this.byTable.get(`${store}|${schema}|${table}`) ?? [])];
  }

  private addOnTable(v: Version): void {
    const table = v.ref.kind === 'trigger' || v.ref.kind === 'sequence' ? v.ref.table : v.ref.kind === 'index' ? indexTable(v) : undefined;
    if (table === undefined) return;
    pushTo(this.byTable!, `${v.store}|${v.ref.schema ?? 'public'}|${table}`, v);
  }

  /**
   * A dropped ClickHouse database takes every object in it: each live
   * version in it ends at the drop, so what uses it elsewhere runs before
   * the drop, and nothing after the drop sees it.
   */
  private dropDatabase(n: NodeEffects, name: string): void {
    for (const v of this.all.filter((x) => x.store === n.store && !x.dropNode && x.ref.schema === name && x.node !== n.node)) {
      v.dropNode = n.node;
      v.ended = { by: 'database drop' };
      this.dep(v.node, n.node, `drops database ${name}, which holds ${label(v.ref)} created here`);
    }
  }

  private addVersion(n: NodeEffects, ref: ObjectRef, holdsData?: boolean): void {
    const key = this.key(n.store, n.engine, ref);
    const list = this.versions.get(key);
    // `CREATE ... IF NOT EXISTS` / `OR REPLACE` of a live version in the same set (or store, for synthetic nodes) is not a new version.
    const last = list?.[list.length - 1];
    if (last && !last.dropNode && nodeSet(last.node) === n.set) return;
    // An unqualified ClickHouse name is in the store's database: the object is shown by its full name.
    const database = n.engine === 'clickhouse' && ref.schema === undefined ? this.topology.stores.get(n.store)?.database : undefined;
    const full = database !== undefined ? { ...ref, schema: database } : ref;
    const v: Version = holdsData !== undefined ? { key, ref: full, store: n.store, node: n.node, holdsData } : { key, ref: full, store: n.store, node: n.node };
    // Most names have one version: a list made with it holds one slot, where pushing into `[]` reserves seventeen.
    if (list) list.push(v);
    else this.versions.set(key, [v]);
    this.all.push(v);
    if (this.byTable) this.addOnTable(v);
  }

  /** The version a node sees: its own set's live one, else the surviving one. */
  resolve(n: NodeEffects, key: StoreKey, forDrop = false): Version | undefined {
    const list = this.versions.get(key);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const v = list[i]!;
      if (v.node === n.node || nodeSet(v.node) !== n.set || nodeSeq(v.node) > n.seq) continue;
      if (!v.dropNode || v.dropNode === n.node || nodeSeq(v.dropNode) > n.seq) return v;
    }
    if (forDrop) return list.find((v) => !v.dropNode && v.node !== n.node);
    // A later file of the node's own set cannot be what it uses (that would run against the set's order):
    // another set's version in the store is, e.g. the CREATE EXTENSION another set runs there.
    const usable = (v: Version) => v.node !== n.node && !(nodeSet(v.node) === n.set && nodeSeq(v.node) > n.seq);
    const live = [...list].reverse().find((v) => !v.dropNode && usable(v));
    return live ?? [...list].reverse().find((v) => !v.dropNode && v.node !== n.node) ?? list.filter((v) => v.node !== n.node).pop();
  }

  /** After register(): every other effect depends on the version it sees. */
  resolveUses(nodes: readonly NodeEffects[]): void {
    for (const n of nodes) {
      let created: readonly StoreKey[] | undefined;
      for (const e of n.effects) {
        if (n.engine === 'postgres' && (e.action === 'create' || e.action === 'rename')) this.useSchema(n, e);
        if (e.action === 'create' || e.action === 'drop' || e.object.kind === 'database') continue;
        if (e.action === 'rename') continue;
        const key = this.searchedKey(e.object, (ref) => this.relationKey(n, ref));
        // A table referencing itself (comments.parent_id → comments) needs nothing before it.
        created ??= this.createdKeys(n);
        if (created.length > 0 && created.includes(key)) continue;
        const v = this.resolve(n, key);
        if (!v) {
          // Every PostgreSQL database has these schemas: no migration need create them.
          if (e.object.kind === 'schema' && n.engine === 'postgres' && BUILTIN_SCHEMAS.has(e.object.name)) continue;
          // An index a PRIMARY KEY or UNIQUE constraint made (`t_pkey`) is there once that statement ran.
          const made = e.object.kind === 'index' && n.engine === 'postgres' ? this.constraintIndexes(nodes).get(key) : undefined;
          // (Not one its own set makes later: that would run against the set's order.)
          if (made && !(nodeSet(made) === n.set && nodeSeq(made) > n.seq)) {
            this.dep(made, n.node, `${label(e.object)} is made by a constraint here`);
            continue;
          }
          if (!isSynth(n.node)) this.unresolved.push({ node: n.node, effect: e, key, elsewhere: this.elsewhere(n, e.object, key) });
          continue;
        }
        if (v.node === n.node) continue;
        // Its own set put it after the statement that took the name away: no order can honour both.
        if (v.ended && v.dropNode && !isSynth(n.node) && !isSynth(v.dropNode) && nodeSet(v.dropNode) === n.set && nodeSeq(v.dropNode) < n.seq) {
          this.lateUses.push({ node: n.node, effect: e, version: v });
          continue;
        }
        (v.users ??= new Set()).add(n.node);
        // The reason is worded only if the dependency joins two steps (see depReason); a name found along a search
        // path is named where it was found.
        this.dep(v.node, n.node, e.object.searchPath ? { ...e, object: { ...e.object, schema: v.ref.schema } } : e);
        if (e.via === 'foreign_key' && !isSynth(n.node)) this.foreignKeys.push({ node: n.node, version: v, effect: e });
      }
    }
  }

  /**
   * A PostgreSQL object created in (or moved to) a schema the plan creates runs after the schema's creation,
   * and a drop of the schema after it; what else names the object depends on its creation already. A schema
   * no migration creates is the database's own, or made outside the plan: nothing to wait for.
   */
  private useSchema(n: NodeEffects, e: Effect): void {
    const schema = e.action === 'rename' && e.renameSchema !== undefined ? e.renameSchema : e.object.schema;
    if (schema === undefined || schema === 'public') return;
    const key = this.key(n.store, n.engine, { kind: 'schema', name: schema });
    if (!this.versions.has(key)) return;
    const v = this.resolve(n, key);
    if (!v || v.node === n.node || (v.dropNode && v.dropNode !== n.node && nodeSeq(v.dropNode) < n.seq && nodeSet(v.dropNode) === n.set)) return;
    (v.users ??= new Set()).add(n.node);
    this.dep(v.node, n.node, `${label({ ...e.object, schema })} is in schema ${schema}, created here`);
  }

  /**
   * The indexes PostgreSQL makes for PRIMARY KEY and UNIQUE constraints, by key, with the statement that makes
   * each (its first, when several do); built when a use of an index first finds no statement creating it.
   */
  constraintIndexes(nodes: readonly NodeEffects[]): ReadonlyMap<StoreKey, Node> {
    if (this.byConstraint) return this.byConstraint;
    const made = new Map<StoreKey, Node>();
    for (const n of nodes) {
      if (n.engine !== 'postgres') continue;
      for (const e of n.effects) {
        for (const name of e.columnFacts?.indexes ?? []) {
          const key = this.key(n.store, n.engine, { kind: 'index', name, schema: e.object.schema ?? 'public' });
          if (!made.has(key)) made.set(key, n.node);
        }
      }
    }
    return (this.byConstraint = made);
  }

  /** The keys of what a node creates: a list of a few (a Set for each node cost more than looking through it). */
  private createdKeys(n: NodeEffects): readonly StoreKey[] {
    let keys: StoreKey[] | undefined;
    for (const c of n.effects) if (c.action === 'create') (keys ??= []).push(this.key(n.store, n.engine, c.object));
    return keys ?? NONE;
  }

  /**
   * The key of what a use names. In PostgreSQL, tables, views, materialized views and sequences share one
   * namespace and `GRANT ... ON t`, `COMMENT ON TABLE t`, `ANALYZE t` or `SELECT ... FROM t` name any of them
   * as a table: such a name that no table has is the view (or sequence) of that name, when there is one. A type
   * no statement creates is the row type of the table, view or materialized view of that name, when there is one.
   */
  private relationKey(n: NodeEffects, ref: ObjectRef): StoreKey {
    const key = this.key(n.store, n.engine, ref);
    if (n.engine !== 'postgres' || (ref.kind !== 'table' && ref.kind !== 'type') || this.versions.has(key)) return key;
    // Every table, view and materialized view is also a composite type of its name (`RETURNS SETOF orders`).
    for (const kind of ref.kind === 'type' ? (['table', 'view', 'materialized_view'] as const) : (['view', 'materialized_view', 'sequence'] as const)) {
      const other = this.key(n.store, n.engine, { ...ref, kind });
      if (this.versions.has(other)) return other;
    }
    return key;
  }

  /**
   * The key of a name written unqualified under a search path of several schemas: of the first schema with a
   * version of it, as PostgreSQL finds it (else of the first schema, where it would be created).
   */
  private searchedKey(ref: ObjectRef, keyOf: (ref: ObjectRef) => StoreKey): StoreKey {
    if (!ref.searchPath) return keyOf(ref);
    for (const schema of ref.searchPath) {
      const key = keyOf({ ...ref, schema });
      if (this.versions.has(key)) return key;
    }
    return keyOf(ref);
  }

  /** Versions of a name no version in its store has, in other stores: along its search path, the first schema that has some. */
  private elsewhere(n: NodeEffects, ref: ObjectRef, key: StoreKey): Version[] {
    const bare = (k: StoreKey) => this.bare().get(k.slice(k.indexOf('|') + 1));
    for (const schema of ref.searchPath ?? []) {
      const found = bare(this.relationKey(n, { ...ref, schema }));
      if (found) return found;
    }
    return bare(key) ?? [];
  }

  /** Versions by key without the store prefix, to find an object in another store; built when a reference first misses. */
  private bare(): Map<string, Version[]> {
    if (this.bareIndex) return this.bareIndex;
    const index = new Map<string, Version[]>();
    for (const v of this.all) {
      const k = v.key.slice(v.key.indexOf('|') + 1);
      const list = index.get(k);
      if (list) list.push(v);
      else index.set(k, [v]);
    }
    return (this.bareIndex = index);
  }

  /** Uses run before the drop; a drop runs before the next version of the same name is created. */
  orderDrops(): void {
    for (const list of this.versions.values()) {
      for (let i = 0; i < list.length; i++) {
        const v = list[i]!;
        if (!v.dropNode) continue;
        for (const u of v.users ?? []) if (u !== v.dropNode) this.dep(u, v.dropNode, `uses ${label(v.ref)} before it is dropped`);
        const next = list[i + 1];
        // Another set's copy of a shared object is its own definition, not this drop's replacement: it does not wait for it.
        const replaces = !this.isShared(v.ref) || nodeSet(next?.node ?? v.node) === nodeSet(v.dropNode);
        if (next && next.node !== v.dropNode && replaces) this.dep(v.dropNode, next.node, `drops the old ${label(v.ref)} before the new one is created`);
        if (NAME_SHARERS.has(v.ref.kind)) this.orderNameReuse(v);
      }
    }
  }

  /**
   * A PostgreSQL relation's (or type's) name taken, after its drop or rename, by an object of another kind that its
   * own set makes later (`DROP TABLE legacy` then `CREATE VIEW legacy`): the drop goes first, as it does before a
   * new object of its own kind. Tables, views, sequences and indexes share a schema's names; a type shares those of
   * tables and views (their row types).
   */
  private orderNameReuse(v: Version): void {
    const d = v.dropNode!;
    if (isSynth(d) || d.stmt.engine !== 'postgres') return;
    for (const kind of NAME_SHARERS) {
      if (!sharePostgresNames(kind, v.ref.kind)) continue;
      const next = this.versions.get(this.key(v.store, 'postgres', { ...v.ref, kind }))?.find((x) => !isSynth(x.node) && x.node !== d && nodeSet(x.node) === d.set.name && x.node.seq > d.seq);
      if (next) this.dep(d, next.node, `frees the name ${v.ref.name} before ${label(next.ref)} takes it`);
    }
  }

  dep(from: Node, to: Node, reason: Dep['reason']): void {
    if (from !== to) this.deps.push({ from, to, reason });
  }

  /** Versions that survive the plan (not dropped), in registration order. */
  survivors(): Version[] {
    const out: Version[] = [];
    for (const list of this.versions.values()) {
      const last = list[list.length - 1]!;
      if (!last.dropNode) out.push(last);
    }
    return out;
  }
}

/** PostgreSQL kinds that share a schema's names: relations (pg_class), and types with the row types of tables and views. */
const NAME_SHARERS: ReadonlySet<ObjectRef['kind']> = new Set(['table', 'view', 'materialized_view', 'sequence', 'index', 'type']);

/** The columns a CREATE INDEX on `table` names (not those inside expressions). */
function indexColumns(u: Unit, table: string): readonly string[] {
  return u.stmt.effects.find((e) => e.via === 'index_table' && e.object.name === table)?.columnFacts?.used ?? [];
}

/** The table an index is on, by the statement that creates it. */
function indexTable(v: Version): string | undefined {
  return isSynth(v.node) ? undefined : indexTableOf(v.node, v.ref);
}

function nodeSet(n: Node): string | undefined {
  return isSynth(n) ? undefined : n.set.name;
}

function nodeSeq(n: Node): number {
  return n.seq;
}
