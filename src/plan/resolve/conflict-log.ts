/**
 * Collects conflicts while planning. A conflict the topology accepts (`accept:`)
 * is kept with its reason as the resolution; an unresolved error conflict also
 * becomes an error diagnostic, which fails planning.
 *
 * @example
 * const log = new ConflictLog(topology);
 * log.add({ kind: 'cascade_drop', object: 'table public.messages', ... , severity: 'error' });
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Topology } from '../../topology/model.js';
import type { Conflict } from '../model.js';
import { compilePattern, type CompiledPattern } from '../route/patterns.js';
import type { ObjectKind, ObjectRef } from '../../sql/effects.js';

/** Accept entries name objects without a kind: they match the name as any of these kinds. */
const ACCEPT_KINDS: readonly ObjectKind[] = ['table', 'view', 'materialized_view', 'sequence', 'type', 'function', 'extension', 'index', 'trigger', 'schema'];

/** `app.shares` → { name: 'shares', schema: 'app' }; a bare name is in `public` (conflicts show public names bare). */
function subjectOf(name: string): Omit<ObjectRef, 'kind'> {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? { name, schema: 'public' } : { name: name.slice(dot + 1), schema: name.slice(0, dot) };
}

export class ConflictLog {
  private readonly list: Conflict[] = [];
  private readonly seen = new Set<string>();
  private readonly accepts: { conflict: string; pattern: CompiledPattern; reason: string; file: string; line: number; column: number; object: string; used: boolean }[];

  constructor(topology: Topology, private readonly resolver?: (c: Conflict) => string | undefined) {
    this.accepts = topology.accepts.map((a) => ({
      conflict: a.conflict,
      pattern: compilePattern(a.object),
      object: a.object,
      reason: a.reason,
      file: a.pos.file,
      line: a.pos.line,
      column: a.pos.column,
      used: false,
    }));
  }

  /**
   * Adds a conflict once (same kind, object and message); applies `accept:` entries, which match
   * the object's name (`objectName`, else the name in `object`, e.g. `table public.shares`) of any kind.
   */
  add(c: Conflict & { readonly objectName?: string }): void {
    const key = `${c.kind}|${c.object}|${c.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { objectName, ...conflict } = c;
    if (!conflict.resolution && conflict.severity === 'error' && this.resolver) {
      const resolution = this.resolver(conflict);
      if (resolution) {
        this.list.push({ ...conflict, resolution, severity: 'warning' });
        return;
      }
    }
    if (!conflict.resolution && conflict.severity !== 'info') {
      const ref = subjectOf(objectName ?? conflict.object.slice(conflict.object.lastIndexOf(' ') + 1));
      const a = this.accepts.find((x) => x.conflict === conflict.kind && ACCEPT_KINDS.some((kind) => x.pattern.matches({ ...ref, kind })));
      if (a) {
        a.used = true;
        this.list.push({ ...conflict, resolution: `accepted (${a.file}:${a.line}): ${a.reason}`, severity: 'warning' });
        return;
      }
    }
    this.list.push(conflict);
  }

  /** The resolution an `accept:` entry gives a conflict of this kind about this object name, if one does (the entry counts as used). */
  acceptFor(kind: string, objectName: string): string | undefined {
    const ref = subjectOf(objectName);
    const a = this.accepts.find((x) => x.conflict === kind && ACCEPT_KINDS.some((k) => x.pattern.matches({ ...ref, kind: k })));
    if (!a) return undefined;
    a.used = true;
    return `accepted (${a.file}:${a.line}): ${a.reason}`;
  }

  /** Warnings for `accept:` entries that accepted no conflict: a stale entry hides nothing but misleads. */
  unusedAccepts(): Diagnostic[] {
    return this.accepts
      .filter((a) => !a.used)
      .map((a) =>
        diagnostic({
          code: 'plan.unused_accept',
          severity: 'warning',
          message: `plan: accept: { conflict: ${a.conflict}, object: ${a.object} } matches no conflict of the plan`,
          file: a.file,
          line: a.line,
          column: a.column,
          hint: 'remove the entry, or fix its conflict kind or object name (the plan lists every conflict with its kind and object)',
        }),
      );
  }

  conflicts(): Conflict[] {
    const order = { error: 0, warning: 1, info: 2 } as const;
    return [...this.list].sort(
      (a, b) =>
        order[a.severity] - order[b.severity] ||
        a.kind.localeCompare(b.kind) ||
        a.object.localeCompare(b.object) ||
        a.message.localeCompare(b.message),
    );
  }

  /** Error diagnostics for unresolved error conflicts, pointing at their first source. */
  diagnostics(): Diagnostic[] {
    return this.conflicts()
      .filter((c) => c.severity === 'error' && !c.resolution)
      .map((c) =>
        diagnostic({
          code: `plan.${c.kind}`,
          severity: 'error',
          message: c.message,
          file: c.sources[0]?.file,
          line: c.sources[0]?.line,
          object: c.object,
          hint: c.hint,
        }),
      );
  }
}
