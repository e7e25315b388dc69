/**
 * The phases of a transition, in the order they run (apart from the engines
 * that run them, so the CLI can name them without loading a driver).
 *
 * @example
 * PHASES.filter((p) => p !== 'contract') // what a transition runs by default
 */
export type TransitionPhase = 'expand' | 'copy' | 'verify' | 'cutover' | 'contract';
export const PHASES: readonly TransitionPhase[] = ['expand', 'copy', 'verify', 'cutover', 'contract'];
