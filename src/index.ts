/**
 * topoplan: plan and apply database migrations for a whole system of services.
 *
 * @example
 * import { planMigration, applyPlan } from 'topoplan';
 * const plan = await planMigration('topologies/nova-plan-b.yaml');
 * console.log(plan.waves.length, 'waves');
 */
export { TopoplanError, formatDiagnostic, hasErrors, type Diagnostic, type Severity } from './errors.js';
export type * from './sql/effects.js';
export type * from './topology/model.js';
export type * from './topology/raw.js';
export type * from './plan/model.js';
export type * from './engines/engine.js';
export { planMigration, planTopology, PlanError, type PlanOptions } from './plan/plan-migration.js';
export type { PlanStage } from './plan/stage-clock.js';
export { renderPlanText } from './render/plan-text.js';
export { renderPlanDot, renderPlanMermaid } from './render/plan-graph.js';
export { engineFor } from './engines/registry.js';
export { startEmbeddedPostgres } from './engines/embedded/start-embedded-postgres.js';
export { embeddedClickHouseUrl } from './engines/embedded/embedded-clickhouse-url.js';
export { loadTopology, type LoadResult, type LoadTopologyOptions } from './topology/index.js';
export { rollbackRuns, type RollbackOptions, type RollbackResult, type RevertResult, type RevertStatus, type StoreComparison, type RunRecord, type RunStep } from './execute/index.js';
export { applyPlan, restoreBackup, listBackups, readManifest, type RestoreBackupOptions, type RestoreBackupResult, type BackupManifest, type BackedUpObject, type FoundBackup, type RestoredObject, resolveConnections, namedClusters, verifyExpectations, schemaFingerprint, type ApplyOptions, type ApplyResult, type ApplyEvent, type StepResult, type VerifyResult } from './execute/index.js';
export { renderDryRun } from './render/dry-run.js';
export { diffTopologies, renderDiffMarkdown, renderDiffText, type TopologyDiff } from './diff/index.js';
export { planTransition, runTransition, runLiveTransition, liveTransitionStatus, abortLiveTransition, type TransitionPlan, type TransitionResult, type LiveTransitionOptions, type LiveTransitionResult } from './transition/index.js';
export { checkPlan, type CheckOptions } from './check/check-plan.js';
export { openChecker, type Checker } from './check/open-checker.js';
export type { CheckResult, CheckFailure, FailurePlace, NotChecked, SchemaFileResult, SchemaFileStatus } from './check/check-result.js';
export { renderCheckText, type CheckTextOptions } from './render/check-text.js';
export { diffSchemas, type SchemaChange } from './schema/diff-schemas.js';
export { renderSchemaDiff } from './schema/render-schema-diff.js';
export { parseSchemaFile, renderSchemaFile } from './schema/schema-file.js';
export type { StoreSchema } from './schema/store-schema.js';
export type * from './engines/schema-objects.js';
export { compareSchemas, type SchemaComparison, type SchemaObjectComparison, type SchemaSide } from './diff/schema-comparison.js';
export { renderSchemaComparisonMarkdown, renderSchemaComparisonText } from './diff/render-schema-comparison.js';
export { readSchemaDir } from './schema/read-schema-dir.js';
export { storeStatus, type StoreStatus, type StatusOptions } from './execute/store-status.js';
export { storeDrift, type StoreDrift } from './execute/store-drift.js';
export { initTopology, type InitOptions, type InitResult } from './init/init-topology.js';
export type { MigrationDir } from './init/find-migration-dirs.js';
export type { DirConvention } from './init/dir-convention.js';
export { adoptPlan, type AdoptOptions, type AdoptResult, type StoreAdoption } from './adopt/adopt-plan.js';
export { renderAdoptText } from './render/adopt-text.js';
