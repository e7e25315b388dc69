/**
 * Name patterns used by `owns`, `shared`, `external`, renames and resolutions:
 * `[kind:]glob`, matched against an object's bare name and its qualified name.
 *
 * @example
 * const p = compilePattern('function:update_*');
 * p.matches({ kind: 'function', name: 'update_updated_at_column', schema: 'public' }) // true
 */
import picomatch from 'picomatch';
import type { ObjectKind, ObjectRef } from '../../sql/effects.js';

/** Kinds a pattern without a `kind:` prefix applies to. */
const NAMED_KINDS: ReadonlySet<ObjectKind> = new Set([
  'table', 'view', 'materialized_view', 'sequence', 'type', 'function', 'graph_constraint', 'graph_index', 'extension',
]);

export interface CompiledPattern {
  readonly source: string;
  readonly exact: boolean;
  matches(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): boolean;
}

export function compilePattern(source: string): CompiledPattern {
  const colon = source.indexOf(':');
  const kind = colon > 0 && /^[a-z_]+$/.test(source.slice(0, colon)) ? (source.slice(0, colon) as ObjectKind) : undefined;
  const glob = kind ? source.slice(colon + 1) : source;
  const exact = !/[*?[\]{}]/.test(glob);
  const test = exact ? (s: string) => s === glob : picomatch(glob, { dot: true });
  return {
    source,
    exact,
    matches(ref) {
      if (kind ? ref.kind !== kind : !NAMED_KINDS.has(ref.kind)) return false;
      return test(ref.name) || (ref.schema !== undefined && test(`${ref.schema}.${ref.name}`));
    },
  };
}

/** True when any of the patterns matches. */
export function matchesAny(patterns: readonly CompiledPattern[], ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): boolean {
  return patterns.some((p) => p.matches(ref));
}
