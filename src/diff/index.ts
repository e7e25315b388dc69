export { diffTopologies, type DiffOptions } from './diff-topologies.js';
export { renderDiffMarkdown, renderDiffText } from './render-diff.js';
export type * from './model.js';
