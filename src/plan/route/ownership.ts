/**
 * Who owns each object. Declared `owns` wins (an exact name beats a glob), then
 * the owner named by a rename, then the service whose own set creates it.
 * Indexes and triggers belong to the owner of their table (see routing).
 *
 * @example
 * const owners = new Ownership(topology, units);
 * owners.ownerOf({ kind: 'table', name: 'shares' }) // 'social-service'
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { ObjectRef } from '../../sql/effects.js';
import type { Topology } from '../../topology/model.js';
import { compilePattern, matchesAny, type CompiledPattern } from './patterns.js';
import type { Unit } from '../read/units.js';

/** Ownership is by kind and bare name: services of one system do not reuse a name across schemas. */
export function nameKey(ref: Pick<ObjectRef, 'kind' | 'name'>): string {
  return `${ref.kind}:${ref.name}`;
}

/** Kinds PostgreSQL keeps in the tables' namespace, that a statement may name as a table. */
const RELATION_KINDS = ['view', 'materialized_view', 'sequence'] as const;

export class Ownership {
  readonly diagnostics: Diagnostic[] = [];
  /** Exact names (the common case) by name; globs are few and tried one by one. */
  private readonly exactOwners = new Map<string, { service: string; pattern: CompiledPattern }[]>();
  private readonly globOwners: { service: string; pattern: CompiledPattern }[] = [];
  private readonly shared: CompiledPattern[];
  private readonly external: CompiledPattern[];
  private readonly renamed = new Map<string, string>();
  /** The services whose sets create each name: one service alone (nearly every name), a set of them otherwise. */
  private readonly creators = new Map<string, string | Set<string>>();
  /** Owners found so far, by name, then kind and schema: no key string is made per question (they are many). */
  private readonly cache = new Map<string, { readonly kind: string; readonly schema: string; readonly owner: string | undefined }[]>();
  private readonly reportedAmbiguous = new Set<string>();

  constructor(private readonly topology: Topology, units: readonly Unit[]) {
    for (const s of [...topology.services.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      for (const source of s.owns) {
        const pattern = compilePattern(source);
        if (!pattern.exact) {
          this.globOwners.push({ service: s.name, pattern });
          continue;
        }
        const name = source.slice(source.lastIndexOf(':') + 1).split('.').pop()!;
        const list = this.exactOwners.get(name) ?? [];
        list.push({ service: s.name, pattern });
        this.exactOwners.set(name, list);
      }
    }
    this.shared = topology.shared.map(compilePattern);
    this.external = topology.external.map(compilePattern);
    for (const r of topology.renames) {
      this.renamed.set(r.from, r.owner);
      this.renamed.set(r.to, r.owner);
    }
    for (const u of units) {
      if (u.set.shared || !u.set.service) continue;
      for (const e of u.stmt.effects) {
        if (e.action !== 'create' || e.object.kind === 'index' || e.object.kind === 'trigger') continue;
        const k = nameKey(e.object);
        const known = this.creators.get(k);
        if (known === undefined) this.creators.set(k, u.set.service);
        else if (typeof known !== 'string') known.add(u.set.service);
        else if (known !== u.set.service) this.creators.set(k, new Set([known, u.set.service]));
      }
    }
  }

  /** Objects every store may create for itself (trigger functions, extensions, types declared `shared`). */
  isShared(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): boolean {
    return ref.kind === 'extension' || ref.kind === 'schema' || matchesAny(this.shared, ref);
  }

  isExternal(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): boolean {
    return matchesAny(this.external, ref);
  }

  /** The service whose `owns:` names the object (exact name before glob), ignoring who creates it. */
  declaredOwnerOf(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): string | undefined {
    const exact = (this.exactOwners.get(ref.name) ?? []).filter((o) => o.pattern.matches(ref)).map((o) => o.service);
    if (exact.length > 0) return exact[0];
    return this.globOwners.find((o) => o.pattern.matches(ref))?.service;
  }

  /** The owning service, or undefined when nobody declares or creates it. */
  ownerOf(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): string | undefined {
    const schema = ref.schema ?? '';
    const known = this.cache.get(ref.name);
    if (known) for (const c of known) if (c.kind === ref.kind && c.schema === schema) return c.owner;
    const owner = this.resolve(ref);
    // Resolving may have asked about other kinds of the same name (a view named as a table): look the list up again.
    const entry = { kind: ref.kind, schema, owner };
    const list = this.cache.get(ref.name);
    if (list) list.push(entry);
    else this.cache.set(ref.name, [entry]);
    return owner;
  }

  private resolve(ref: Pick<ObjectRef, 'kind' | 'name' | 'schema'>): string | undefined {
    // Services whose exact names match, else those whose globs do, each once in declaration order; no list for an object no one declares (most).
    let winners: string[] | undefined;
    const exact = this.exactOwners.get(ref.name);
    if (exact) for (const o of exact) if (o.pattern.matches(ref) && !winners?.includes(o.service)) (winners ??= []).push(o.service);
    if (!winners) for (const o of this.globOwners) if (o.pattern.matches(ref) && !winners?.includes(o.service)) (winners ??= []).push(o.service);
    if (winners && winners.length > 1) this.reportAmbiguous(ref, winners);
    if (winners?.[0]) return winners[0];
    if (ref.kind === 'table' && this.renamed.has(ref.name)) return this.renamed.get(ref.name);
    const creators = this.creators.get(nameKey(ref));
    if (creators !== undefined) return typeof creators === 'string' ? creators : [...creators].sort()[0];
    // GRANT, COMMENT ON TABLE and ANALYZE name a view or materialized view as a table (one namespace in PostgreSQL).
    if (ref.kind === 'table') for (const kind of RELATION_KINDS) {
      const owner = this.ownerOf({ ...ref, kind });
      if (owner) return owner;
    }
    return undefined;
  }

  private reportAmbiguous(ref: Pick<ObjectRef, 'kind' | 'name'>, services: string[]): void {
    const k = nameKey(ref);
    if (this.reportedAmbiguous.has(k)) return;
    this.reportedAmbiguous.add(k);
    const pos = this.topology.services.get(services[1]!)?.pos;
    this.diagnostics.push(
      diagnostic({
        code: 'plan.ambiguous_owner',
        severity: 'error',
        message: `plan: ${ref.kind} "${ref.name}" is owned by ${services.map((s) => `"${s}"`).join(' and ')}`,
        file: pos?.file,
        line: pos?.line,
        column: pos?.column,
        object: `${ref.kind} ${ref.name}`,
        hint: `keep "${ref.name}" in the owns: list of one service only, or use an exact name in the owner's list (an exact name beats a glob)`,
      }),
    );
  }
}
