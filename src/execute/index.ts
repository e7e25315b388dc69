export { applyPlan, type ApplyOptions, type ApplyResult } from './apply-plan.js';
export { resolveConnections, type Connections } from './resolve-connections.js';
export { namedClusters } from './named-clusters.js';
export { verifyExpectations, likeToRegExp, type VerifyResult, type CheckResult } from './verify.js';
export { schemaFingerprint } from './schema-fingerprint.js';
export { walk } from './walker.js';
export type { ApplyEvent } from './events.js';
export type { StepResult, StepStatus } from './step-result.js';
