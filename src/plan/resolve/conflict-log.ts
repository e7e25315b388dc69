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
import { compilePattern } from '../route/patterns.js';

export class ConflictLog {
  private readonly list: Conflict[] = [];
  private readonly seen = new Set<string>();
  private readonly accepts: { conflict: string; test: (name: string) => boolean; reason: string; file: string; line: number }[];

  constructor(topology: Topology, private readonly resolver?: (c: Conflict) => string | undefined) {
    this.accepts = topology.accepts.map((a) => {
      const p = compilePattern(a.object);
      return {
        conflict: a.conflict,
        // Accept entries name objects without a kind: match the bare or qualified name of any kind.
        test: (name: string) => ['table', 'view', 'function', 'type', 'sequence', 'extension', 'materialized_view'].some((kind) => p.matches({ kind: kind as 'table', name: name.split('.').pop()!, schema: name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : undefined })),
        reason: a.reason,
        file: a.pos.file,
        line: a.pos.line,
      };
    });
  }

  /** Adds a conflict once (same kind, object and message); applies `accept:` entries. */
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
    if (!conflict.resolution && objectName !== undefined) {
      const a = this.accepts.find((x) => x.conflict === conflict.kind && x.test(objectName));
      if (a) {
        this.list.push({ ...conflict, resolution: `accepted (${a.file}:${a.line}): ${a.reason}`, severity: 'warning' });
        return;
      }
    }
    this.list.push(conflict);
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
