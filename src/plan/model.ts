/**
 * The plan: a serialisable, deterministic description of every step to run,
 * on which store, in which order, and why. `planMigration()` builds it; the
 * executor, diff and renderers only read it. The same input gives
 * byte-identical `JSON.stringify(plan)`.
 */
import type { Diagnostic } from '../errors.js';
import type { Destruction, EngineName, ObjectKind } from '../sql/effects.js';

export type Phase = 'expand' | 'migrate' | 'contract';

export type StepKind =
  /** Statements of one migration file that go to one store, consecutive. */
  | 'sql'
  /** Synthetic: create the store's database. */
  | 'create_database'
  /** Synthetic: create an extension a store uses but no migration creates there. */
  | 'create_extension'
  /** Synthetic: copy rows of a renamed table into its new table. */
  | 'copy_rows'
  /** Synthetic: drop an object the plan must drop (e.g. a superseded definition never dropped). */
  | 'drop';

/** Where a step's SQL comes from: file, statements and lines. */
export interface StepSource {
  /** Migration set name and file (relative to the topology root). */
  readonly set: string;
  readonly file: string;
  /** 0-based statement indices in the file, inclusive. */
  readonly firstStatement: number;
  readonly lastStatement: number;
  /** 1-based lines. */
  readonly line: number;
  readonly endLine: number;
  /** UTF-8 byte range in the file. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of each statement of the step, so an error in statement k points at its line. */
  readonly statementLines: readonly number[];
  /** 0-based index in the file of each statement of the step (a skipped statement may sit between two). */
  readonly ordinals: readonly number[];
  /**
   * Each statement's ledger identity: a fingerprint of its normalised text as
   * written in the file, unique within the file. The ledger records statements
   * by file and fingerprint, so regrouping them into other steps changes nothing.
   */
  readonly fingerprints: readonly string[];
  /** The statements as written in the file, present only when the plan rewrote one of them (e.g. a foreign key removed). */
  readonly original?: readonly string[];
}

/** A one-line account of what a step does to one object, for plan output and diffs. */
export interface StepChange {
  readonly action: 'create' | 'alter' | 'drop' | 'rename' | 'copy' | 'write';
  readonly kind: ObjectKind;
  /** Qualified name, e.g. `public.shares`, `feature_store.features`. */
  readonly name: string;
  /** For rename/copy: the target. */
  readonly to?: string;
}

/**
 * One thing a step destroys. The object is qualified as it is in the store
 * (PostgreSQL schema, or the ClickHouse database an unqualified name runs in).
 *
 * @example
 * { kind: 'drop_column', object: { kind: 'table', name: 'accounts', schema: 'public' }, columns: ['legacy_note'],
 *   statement: 2, line: 7, summary: 'column "legacy_note" of table "accounts" (its values)' }
 */
export interface StepDestruction extends Destruction {
  /** 1-based statement in the step's source file; absent for synthetic steps. */
  readonly statement?: number;
  readonly line?: number;
  /** What goes, in words, e.g. `every row of table "sessions"`. */
  readonly summary: string;
  /** What a CASCADE also removes, as far as the plan knows: `foreign key orders(user_id) → users`, `view reports`. */
  readonly reaches?: readonly string[];
  /** What apply's backup before the statement will not keep, in words; absent when it keeps all of it. */
  readonly notBackedUp?: string;
}

/** A topology entry allowing a destructive step in a plain apply. */
export interface StepAllowance {
  readonly reason: string;
  /** `topology.yaml:LINE` of the entry. */
  readonly at: string;
}

export interface Step {
  /** Stable id: `store:set/file#first-last` or `store:kind:object` for synthetic steps. */
  readonly id: string;
  readonly kind: StepKind;
  readonly store: string;
  readonly engine: EngineName;
  readonly database: string;
  /** Owning service (for sql steps of a service set, or the owner the statements were routed by). */
  readonly service?: string;
  readonly source?: StepSource;
  /** Statements to execute, one per entry, each without trailing `;` (ClickHouse takes one per request). */
  readonly statements: readonly string[];
  /**
   * ClickHouse: the settings each statement runs with (from the `SET`s before it
   * in its file), one entry per statement; present when any has some. The engine
   * sends them with the statement and does not send the `SET` itself, since a
   * server over HTTP keeps no session between statements.
   */
  readonly settings?: readonly Readonly<Record<string, string>>[];
  /** False when the step must run outside a transaction. */
  readonly transactional: boolean;
  readonly nonTransactionalReason?: string;
  /** ClickHouse: the cluster its DDL runs ON CLUSTER (the store's). */
  readonly cluster?: string;
  readonly phase: Phase;
  /**
   * True when the step destroys data (see `destroys`). Apply runs it only when opted in
   * (`contract: true`, or `allowed` by the topology), after backing up what it destroys.
   */
  readonly destructive: boolean;
  /** What the step destroys, with what a CASCADE reaches; empty when nothing. */
  readonly destroys: readonly StepDestruction[];
  /** The topology's `allowDestructive` entry that lets a plain apply run this step. */
  readonly allowed?: StepAllowance;
  /** SHA-256 (hex) of the statements joined by `;\n`, as run (after any rewrite). */
  readonly checksum: string;
  /** 0-based wave: every dependency of a step is in an earlier wave. */
  readonly wave: number;
  readonly dependsOn: readonly string[];
  readonly changes: readonly StepChange[];
  /** Why this step exists or was changed (a rewrite, a synthetic step), shown in the plan. */
  readonly notes: readonly string[];
  /**
   * Text put into the step's statements before they were parsed: each placeholder
   * or literal as written in the file, what it became, and the topology entry that
   * says so. The statements above are the text after these replacements.
   */
  readonly substitutions?: readonly StepSubstitution[];
  /**
   * Present when the step's service keeps an sqlx ledger: the executor also writes the
   * file's `_sqlx_migrations` row (in the same transaction) when `completesFile` is true.
   */
  readonly sqlx?: {
    readonly version: string;
    readonly description: string;
    readonly checksumSha384: string;
    readonly completesFile: boolean;
    /** `schema.table` of the service's sqlx ledger, when it is not `public._sqlx_migrations` (see the topology's `sqlx:`). */
    readonly table?: string;
  };
  /** How the step is undone: its author's revert, one generated from its effects, its backup, or why nothing undoes it (planMigration gives every step one). */
  readonly revert?: StepRevert;
  /** For copy_rows: what the executor reports (rows moved). */
  readonly copy?: { readonly from: string; readonly to: string; readonly columns: readonly string[]; readonly targetColumns: readonly string[] };
}

/**
 * How a step is undone (`topoplan rollback`):
 * - `down_file` / `down_section`: the author's revert of the file this step
 *   completes (`x.down.sql` beside `x.up.sql`, or `-- migrate:down`,
 *   `-- +goose Down`, `-- Down` inside it); never run forward;
 * - `generated`: `statements` made from the step's effects (a CREATE's DROP,
 *   ADD COLUMN's DROP COLUMN, a rename back); `undoneWith` names steps whose
 *   reverts also undo this one (the file's revert, the DROP of a table it wrote rows to);
 * - `backup`: what the step destroys comes back from the backup apply takes before it;
 * - `irreversible`: nothing undoes it, for `reason`.
 *
 * @example
 * { from: 'generated', statements: ['DROP TABLE public.shares'] }
 * { from: 'irreversible', reason: 'statement 2 (social/003_seed.sql:4): INSERT changes rows: only a down file can say which to take back' }
 */
export interface StepRevert {
  readonly from: 'down_file' | 'down_section' | 'generated' | 'backup' | 'irreversible';
  /** Author's: the down file, or the up file holding the section (relative to the topology root). */
  readonly file?: string;
  /** Author's: 1-based line where the revert starts (the section's marker). */
  readonly line?: number;
  /** Author's: the revert's SQL as written. */
  readonly sql?: string;
  /** Generated: the statements that undo the step, in the order they run (none when `undoneWith` undoes it all). */
  readonly statements?: readonly string[];
  /** Generated: steps whose reverts undo this step too. */
  readonly undoneWith?: readonly string[];
  /** Irreversible: why; backup: what the backup brings back; generated with `undoneWith`: why it is irreversible without them. */
  readonly reason?: string;
}

/** How many steps of a plan are reversible, restorable from backup, irreversible; with the plan's summary line. */
export interface PlanReversibility {
  readonly reversible: number;
  readonly restorable: number;
  readonly irreversible: number;
  /** e.g. `45 steps: 41 reversible, 4 restorable from backup, 0 irreversible`. */
  readonly summary: string;
}

export interface StepSubstitution {
  /** As written in the file, e.g. `{{.SIGNOZ_CLUSTER}}` or `$%AUTO_INCREMENT_PRIMARY_KEY%$`. */
  readonly placeholder: string;
  readonly value: string;
  /** The entry that gives the value, e.g. `variable SIGNOZ_CLUSTER: store "events" setting "cluster" (topology.yaml:14)`. */
  readonly source: string;
}

export interface Edge {
  readonly from: string;
  readonly to: string;
  /** Every reason this dependency exists, e.g. `foreign key messages.conversation_id → conversations`. */
  readonly reasons: readonly string[];
}

/** A statement that is in the migrations but not in the plan, and why. */
export interface SkippedStatement {
  readonly set: string;
  readonly file: string;
  /** 0-based statement index; absent when the whole file is skipped (it is then not read at all). */
  readonly statement?: number;
  /** 1-based line of the statement; absent for a whole file. */
  readonly line?: number;
  readonly reason: string;
}

/**
 * A file in a set's directories that the plan will not apply, with why: a program in another language,
 * SQL for another engine (`.sql.sqlite`), an engine suffix the set does not declare, a down file with no
 * up file, or a file that holds no statement (empty, only comments). Listed where it is in its set's
 * order, so what it should do can be done by hand at that point.
 */
export interface NotRunFile {
  readonly set: string;
  readonly file: string;
  readonly reason: string;
  /** The step of its set that comes just before it (the last one of the file before it); absent when it is first. */
  readonly after?: string;
}

export type ConflictKind =
  | 'duplicate_create'
  | 'missing_object'
  | 'renamed_object'
  | 'cascade_drop'
  /** A DROP without CASCADE of what a view or another table's foreign key still depends on: PostgreSQL refuses it. */
  | 'drop_blocked'
  /** An ALTER TABLE that changes the type of, or drops, a column a view still reads: PostgreSQL refuses it. */
  | 'column_in_use'
  /** An ALTER TABLE adding a NOT NULL column with no default to a table the plan has put rows in. */
  | 'column_needs_default'
  /** A CREATE OR REPLACE VIEW that drops, renames or reorders the columns the view has. */
  | 'view_columns_changed'
  /** An ALTER TABLE adding (or renaming to) a column its table already has. */
  | 'duplicate_column'
  /** An ALTER COLUMN TYPE between types PostgreSQL has no automatic cast for (without USING, or with a default). */
  | 'column_cast'
  /** A statement naming a relation as another kind than the plan makes it (DROP VIEW of a materialized view, an index on a view). */
  | 'wrong_kind'
  /** A foreign key to columns no primary key or unique constraint of their table is, or to a table without a primary key. */
  | 'foreign_key_target'
  | 'cross_store_foreign_key'
  | 'cross_store_reference'
  | 'missing_extension'
  | 'drop_after_create'
  /** A use, in its set's order, after the statement that renamed its object or dropped or renamed its database. */
  | 'used_after_drop'
  | 'unowned_object'
  /** A drop of a shared object (function, type, extension) that other sets' statements still use in its store. */
  | 'shared_drop'
  /** An index, constraint or ALTER naming a column no statement gives its table. */
  | 'unknown_column'
  | 'ambiguous_owner'
  /** Writes to one table from sets that nothing orders (see `after:`). */
  | 'unordered_writes'
  | 'cycle'
  /** Two sqlx services in one `_sqlx_migrations` whose migrators would reject each other's rows. */
  | 'sqlx_ledger';

/** A place a conflict points at. */
export interface ConflictSource {
  readonly file: string;
  readonly line: number;
  readonly set?: string;
  readonly store?: string;
}

export interface Conflict {
  readonly kind: ConflictKind;
  /** The object it is about, e.g. `table public.shares`. */
  readonly object: string;
  readonly message: string;
  /** Both (or all) sources involved. */
  readonly sources: readonly ConflictSource[];
  /** How it was resolved, or undefined if unresolved (then the plan has an error diagnostic). */
  readonly resolution?: string;
  /** YAML that would resolve it, when unresolved or resolved by a default. */
  readonly hint?: string;
  readonly severity: 'error' | 'warning' | 'info';
}

/** Every object the plan creates, who owns it and where it lives. */
export interface PlannedObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly owner?: string;
  /** Stores the object exists in at the end of the plan (several for shared functions/extensions). */
  readonly stores: readonly string[];
  /** Where its surviving definition is: file:line. */
  readonly definedAt?: string;
  readonly shared?: boolean;
}

export interface PlanStore {
  readonly name: string;
  readonly engine: EngineName;
  readonly database: string;
  readonly urlTemplate?: string;
  /** ClickHouse: the cluster the database spans. */
  readonly cluster?: string;
  /** ClickHouse cluster whose tables replicate. */
  readonly replicated?: boolean;
}

export interface PlanService {
  readonly name: string;
  readonly stores: Readonly<Partial<Record<EngineName, string>>>;
  readonly ledger: 'topoplan' | 'sqlx';
  /** The service's sqlx ledger: its table, whether its migrator ignores missing versions, and the connection it then needs. */
  readonly sqlx?: {
    /** `schema.table` in the service's PostgreSQL store. */
    readonly table: string;
    readonly ignoreMissing?: boolean;
    /** Set when the ledger is in a schema of its own: the `search_path` the service's connection must use. */
    readonly searchPath?: string;
    /** `ENV=url` with that `search_path` (the store's URL template, secrets masked). */
    readonly connection?: string;
  };
  readonly env: string;
  readonly sets: readonly string[];
}

export interface Plan {
  readonly format: 'topoplan-plan/1';
  readonly topology: string;
  readonly file: string;
  readonly stores: readonly PlanStore[];
  readonly services: readonly PlanService[];
  /** Steps in deterministic topological order: by wave, store, service, file, statement. */
  readonly steps: readonly Step[];
  /** How the steps are undone, counted. */
  readonly reversibility: PlanReversibility;
  /** Step ids per wave. */
  readonly waves: readonly (readonly string[])[];
  readonly edges: readonly Edge[];
  readonly objects: readonly PlannedObject[];
  readonly conflicts: readonly Conflict[];
  readonly skipped: readonly SkippedStatement[];
  /** Files in the sets' directories that the plan does not apply, each with why, in their sets' order. */
  readonly notRun: readonly NotRunFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly expectations: readonly import('../topology/model.js').Expectation[];
}
