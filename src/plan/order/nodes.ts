/**
 * Nodes of the planning graph before they are grouped into steps: statements
 * from files ({@link Unit}) and synthetic work the plan adds ({@link Synth}).
 */
import type { Effect, ObjectRef } from '../../sql/effects.js';
import type { StepChange, StepDestruction, StepKind } from '../model.js';
import type { Unit } from '../read/units.js';

export interface Synth {
  readonly synth: true;
  readonly kind: Exclude<StepKind, 'sql'>;
  /** Stable id suffix, e.g. `extension:uuid-ossp`. */
  readonly name: string;
  readonly store: string;
  /** Orders synthetic nodes among statements: just before/after the unit they serve. */
  readonly seq: number;
  readonly statements: string[];
  readonly transactional: boolean;
  readonly nonTransactionalReason?: string;
  readonly changes: StepChange[];
  readonly notes: string[];
  readonly service?: string;
  readonly creates?: ObjectRef[];
  destructive: boolean;
  destroys: StepDestruction[];
  copy?: { from: string; to: string; columns: string[]; targetColumns: string[] };
}

export type Node = Unit | Synth;

export function isSynth(n: Node): n is Synth {
  return (n as Synth).synth === true;
}

/** A dependency between two nodes, with the reason shown on the plan's edge: words, or the effect that needs it (see dep-reason.ts). */
export interface Dep {
  readonly from: Node;
  readonly to: Node;
  readonly reason: string | Effect;
}
