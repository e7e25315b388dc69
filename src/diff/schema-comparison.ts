/**
 * Two topologies' committed schemas side by side, object by object: for
 * each table, index, function... the stores that hold it in A and in B, and
 * how its definition differs (column by column). Objects that move between
 * stores, change, or exist on one side only are what a reviewer of "A or B"
 * reads; objects in the same stores with the same definition are counted.
 *
 * @example
 * const cmp = compareSchemas({ topology: 'nova-plan-a', dir: 'topologies/schema/nova-plan-a', schemas: a }, { topology: 'nova-plan-b', dir: '...', schemas: b })
 * cmp.objects.find((o) => o.name === 'public.likes') // { kind: 'table', name: 'public.likes', a: ['nova'], b: ['nova_social'], change: 'same', moved: true, details: [] }
 */
import { SCHEMA_OBJECT_KINDS, type SchemaObject, type SchemaObjectKind } from '../engines/schema-objects.js';
import { diffSchemas } from '../schema/diff-schemas.js';
import { objectId, type StoreSchema } from '../schema/store-schema.js';

export interface SchemaSide {
  readonly topology: string;
  /** The schema directory, as shown to the user. */
  readonly dir: string;
  readonly schemas: readonly StoreSchema[];
}

export interface SchemaObjectComparison {
  readonly kind: SchemaObjectKind;
  readonly name: string;
  /** Stores holding the object in A and in B (empty: not there). */
  readonly a: readonly string[];
  readonly b: readonly string[];
  /** `removed`: only in A; `added`: only in B; `changed`: both, with another definition. */
  readonly change: 'same' | 'changed' | 'added' | 'removed';
  /** Held by other stores in B than in A. */
  readonly moved: boolean;
  /** What differs in the definition, one line each. */
  readonly details: readonly string[];
}

export interface SchemaComparison {
  readonly a: { readonly topology: string; readonly dir: string; readonly stores: readonly string[] };
  readonly b: { readonly topology: string; readonly dir: string; readonly stores: readonly string[] };
  /** Every object of either side, in kind order, then by name. */
  readonly objects: readonly SchemaObjectComparison[];
  /** Same objects in the same stores with the same definitions. */
  readonly identical: boolean;
}

export function compareSchemas(a: SchemaSide, b: SchemaSide): SchemaComparison {
  const ia = placed(a.schemas);
  const ib = placed(b.schemas);
  const order = new Map(SCHEMA_OBJECT_KINDS.map((k, i) => [k, i]));
  const ids = [...new Set([...ia.keys(), ...ib.keys()])];
  const objects = ids.map((id): SchemaObjectComparison => {
    const [x, y] = [ia.get(id), ib.get(id)];
    const o = (x ?? y)!.object;
    const [sa, sb] = [x?.stores ?? [], y?.stores ?? []];
    const details = x && y ? diffSchemas([x.object], [y.object]).flatMap((c) => c.details) : [];
    const change = !x ? 'added' : !y ? 'removed' : details.length > 0 ? 'changed' : 'same';
    return { kind: o.kind, name: o.name, a: sa, b: sb, change, moved: !!x && !!y && sa.join() !== sb.join(), details };
  });
  objects.sort((p, q) => order.get(p.kind)! - order.get(q.kind)! || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
  return {
    a: { topology: a.topology, dir: a.dir, stores: a.schemas.map((s) => s.store) },
    b: { topology: b.topology, dir: b.dir, stores: b.schemas.map((s) => s.store) },
    objects,
    identical: objects.every((o) => o.change === 'same' && !o.moved),
  };
}

/** Each object once, with the stores that hold it (sorted); its definition is the first store's. */
function placed(schemas: readonly StoreSchema[]): Map<string, { object: SchemaObject; stores: string[] }> {
  const out = new Map<string, { object: SchemaObject; stores: string[] }>();
  for (const s of [...schemas].sort((p, q) => (p.store < q.store ? -1 : 1))) {
    for (const o of s.objects) {
      const id = objectId(o);
      const seen = out.get(id);
      if (seen) seen.stores.push(s.store);
      else out.set(id, { object: o, stores: [s.store] });
    }
  }
  return out;
}
