/**
 * Whether what a step was to do is in the database: each object it creates
 * is present (and usable: an index left INVALID by a cancelled `CREATE INDEX
 * CONCURRENTLY` is not), each value `ALTER TYPE ... ADD VALUE` adds is in the
 * enum, each object it drops is gone. Changes that a schema cannot show
 * (rows written, other alterations) are listed as unchecked.
 *
 * @example
 * const e = stepEffects(step, await session.inspect())
 * e.missing // ['index idx_messages_conversation_created']
 */
import type { SchemaSnapshot } from '../engines/engine.js';
import type { Step, StepChange } from '../plan/model.js';

export interface StepEffects {
  /** Objects created and usable, or dropped and gone: `kind name`. */
  readonly present: readonly string[];
  /** Objects to create that are not there, or to drop that still are. */
  readonly missing: readonly string[];
  /** Indexes that exist but are INVALID (qualified as the snapshot names them). */
  readonly invalid: readonly string[];
  /** Changes the schema cannot confirm. */
  readonly unchecked: readonly string[];
}

const LIST: Partial<Record<StepChange['kind'], keyof Pick<SchemaSnapshot, 'tables' | 'views' | 'indexes' | 'triggers' | 'functions' | 'extensions' | 'types'>>> = {
  table: 'tables', view: 'views', materialized_view: 'views', index: 'indexes', trigger: 'triggers', function: 'functions',
  extension: 'extensions', type: 'types', graph_constraint: 'indexes', graph_index: 'indexes',
};

/** The snapshot's name for a planned name, if present: `shares` is `public.shares`, a function is named without its arguments. */
export function findInSnapshot(snap: SchemaSnapshot, kind: StepChange['kind'], name: string): string | undefined {
  const list = LIST[kind];
  if (!list) return undefined;
  const wanted = new Set([name, `public.${name}`]);
  return snap[list].find((n) => wanted.has(kind === 'function' ? n.replace(/\(.*$/, '') : n));
}

export function stepEffects(step: Step, snap: SchemaSnapshot): StepEffects {
  const present: string[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  const unchecked: string[] = [];
  const invalidSet = new Set(snap.invalidIndexes ?? []);
  const labels = addedValues(step.statements);
  for (const c of step.changes) {
    const label = `${c.kind.replace('_', ' ')} ${c.name}`;
    if (c.kind === 'database' || c.kind === 'schema') continue;
    if (c.action === 'create' || c.action === 'drop') {
      const found = LIST[c.kind] ? findInSnapshot(snap, c.kind, c.name) : undefined;
      if (!LIST[c.kind]) unchecked.push(`${c.action} ${label}`);
      else if (c.action === 'drop') (found ? missing : present).push(label);
      else if (!found) missing.push(label);
      else if (invalidSet.has(found)) invalid.push(found);
      else present.push(label);
    } else if (c.action === 'alter' && c.kind === 'type' && labels.length > 0) {
      const def = snap.definitions[`type ${findInSnapshot(snap, 'type', c.name) ?? ''}`] ?? '';
      const absent = labels.filter((l) => !def.includes(`'${l.replace(/'/g, "''")}'`));
      if (absent.length) missing.push(`${label} value ${absent.map((l) => `'${l}'`).join(', ')}`);
      else present.push(`${label} value ${labels.map((l) => `'${l}'`).join(', ')}`);
    } else {
      unchecked.push(`${c.action} ${label}`);
    }
  }
  return { present, missing, invalid, unchecked };
}

/** Values added by `ALTER TYPE ... ADD VALUE [IF NOT EXISTS] 'v'`. */
function addedValues(statements: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of statements) {
    for (const m of s.matchAll(/\bADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?'((?:[^']|'')*)'/gi)) out.push(m[1]!.replace(/''/g, "'"));
  }
  return out;
}
