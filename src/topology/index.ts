export { loadTopology, type LoadResult, type LoadTopologyOptions } from './load-topology.js';
export { expandEnv } from './expand-env.js';
export { sqlxOrder } from './list-files.js';
