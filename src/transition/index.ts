export { planTransition, type TransitionPlan, type TableMove, type ObjectMove, type Cutover } from './plan-transition.js';
export { runTransition, PHASES, type TransitionOptions, type TransitionResult, type TableResult, type TransitionPhase } from './run-transition.js';
export { copyTable, tableChecksum } from './copy-table.js';
export { columnMapping, type ColumnMapping, type MappedColumn, type ColumnHow } from './column-mapping.js';
export { contractObject, type ObjectResult } from './contract-objects.js';
export { runLiveTransition, liveTransitionStatus, abortLiveTransition, type LiveTransitionOptions, type LiveTransitionResult, type LiveStreamResult, type LiveStreamState } from './live/run-live-transition.js';
export { liveStreams, type LiveStream } from './live/replication-names.js';
