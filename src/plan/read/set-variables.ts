/**
 * The substitutions and variable values one file of a set is read with. A
 * variable from the store takes the setting of the store the file's
 * statements run on, so the set's service (and the file's engine) must say
 * which store that is before the file is parsed.
 *
 * @example
 * templateRules(topology, set, 'events') // { rules: { literals: [...], variables: [{ name: 'CLUSTER', value: 'main', source: 'variable CLUSTER: store "events" setting "cluster"' }] }, problems: [] }
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { TemplateRules } from '../../sql/parse-templated.js';
import type { TextVariable } from '../../sql/substitute.js';
import type { MigrationFile, MigrationSet, SetVariable, Store, Topology } from '../../topology/model.js';

/** The store a file of a set runs on, when it is known before parsing: the service's store for the file's declared engine, or its only store. */
export function storeBeforeParsing(topology: Topology, set: MigrationSet, file: MigrationFile, service: string | undefined): string | undefined {
  const svc = service ? topology.services.get(service) : undefined;
  if (!svc || set.shared) return undefined;
  if (file.declaredEngine) return svc.stores[file.declaredEngine];
  const stores = Object.values(svc.stores).filter((s): s is string => s !== undefined);
  return stores.length === 1 ? stores[0] : undefined;
}

/** A store's setting as text: a field the store declares (database, name, engine, or an engine setting). */
export function storeSetting(store: Store, setting: string): string | undefined {
  const v = (store as unknown as Record<string, unknown>)[setting];
  return v === undefined || v === null || typeof v === 'object' ? undefined : String(v);
}

export function templateRules(topology: Topology, set: MigrationSet, store: string | undefined, file: MigrationFile): { rules?: TemplateRules; problems: Diagnostic[] } {
  if (set.substitutions.length === 0 && set.variables.length === 0) return { problems: [] };
  const problems: Diagnostic[] = [];
  const variables: TextVariable[] = [];
  for (const v of set.variables) {
    const value = variableValue(topology, set, v, store, file, problems);
    if (value) variables.push(value);
  }
  const literals = set.substitutions.map((s) => ({ text: s.text, value: s.value, source: `substitute (${s.pos.file}:${s.pos.line})` }));
  return { rules: { literals, variables }, problems };
}

function variableValue(topology: Topology, set: MigrationSet, v: SetVariable, storeName: string | undefined, file: MigrationFile, problems: Diagnostic[]): TextVariable | undefined {
  const at = `${v.pos.file}:${v.pos.line}`;
  if (v.from.kind === 'value') return { name: v.name, value: v.from.value, source: `variable ${v.name} (${at})` };
  if (v.from.kind === 'env') return { name: v.name, value: v.from.value, source: `variable ${v.name}: $${v.from.env} (${at})` };
  const problem = (message: string, hint: string) =>
    problems.push(diagnostic({ code: 'plan.variable', severity: 'error', message, file: v.pos.file, line: v.pos.line, column: v.pos.column, object: v.name, hint }));
  const store = storeName ? topology.stores.get(storeName) : undefined;
  if (!store) {
    problem(
      `plan: variable "${v.name}" of set "${set.name}" comes from the store, but the store of "${file.file}" is not known before it is parsed`,
      set.shared
        ? 'a shared set is routed statement by statement after parsing: give the value another way ({ value: ... } or { env: ... })'
        : `declare the engine of the set's files, so its service's store for that engine is the one:\nsets:\n  ${set.name}:\n    engines: { "*.sql": <engine> }`,
    );
    return undefined;
  }
  const found = storeSetting(store, v.from.setting) ?? v.from.default;
  if (found === undefined) {
    problem(`plan: variable "${v.name}" of set "${set.name}" comes from setting "${v.from.setting}" of store "${store.name}", which it does not have`, `give the store that setting, or the variable a default:\nvariables:\n  ${v.name}: { store: ${v.from.setting}, default: "..." }`);
    return undefined;
  }
  const value = v.from.values ? v.from.values[found] : found;
  if (value === undefined) {
    problem(`plan: variable "${v.name}" of set "${set.name}": setting "${v.from.setting}" of store "${store.name}" is "${found}", which "values" does not list`, `add it: values: { "${found}": "..." }`);
    return undefined;
  }
  return { name: v.name, value, source: `variable ${v.name}: store "${store.name}" setting "${v.from.setting}" (${at})` };
}
