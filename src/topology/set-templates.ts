/**
 * A set's `substitute:` and `variables:` as the planner uses them: each
 * literal with its place in the topology, each variable with where its value
 * comes from. Environment variables are read here, once; store settings are
 * read when a statement's store is known (see plan/read/set-variables.ts).
 *
 * @example
 * setTemplates('main', { substitute: { '$%PK%$': 'bigint PRIMARY KEY' } }, {}, pos, diagnostics)
 * // { substitutions: [{ text: '$%PK%$', value: 'bigint PRIMARY KEY', pos }], variables: [] }
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { SetSubstitution, SetVariable, SourcePos } from './model.js';
import type { RawSet } from './raw.js';

/** Store fields that are not settings a file may be filled from: the URL may hold a password. */
const NOT_SETTINGS = new Set(['url', 'urlTemplate', 'pos']);

export function setTemplates(
  name: string,
  raw: RawSet,
  env: Record<string, string | undefined>,
  pos: (path: (string | number)[], key?: boolean) => SourcePos,
  ds: Diagnostic[],
): { substitutions: SetSubstitution[]; variables: SetVariable[] } {
  const err = (p: SourcePos, message: string, hint: string) => ds.push(diagnostic({ code: 'topology.variable', severity: 'error', message, file: p.file, line: p.line, column: p.column, hint }));
  const substitutions: SetSubstitution[] = [];
  for (const [text, value] of Object.entries(raw.substitute ?? {})) {
    const p = pos(['sets', name, 'substitute', text], true);
    if (/[\r\n]/.test(text) || /[\r\n]/.test(value)) {
      err(p, `topology: set "${name}" substitutes text over more than one line`, 'keep each substitution on one line, so every line number in the plan is the line in the file');
      continue;
    }
    substitutions.push({ text, value, pos: p });
  }
  const variables: SetVariable[] = [];
  for (const [v, r] of Object.entries(raw.variables ?? {})) {
    const p = pos(['sets', name, 'variables', v]);
    const sources = (['value', 'env', 'store'] as const).filter((k) => k in r);
    if (sources.length !== 1) {
      err(p, `topology: variable "${v}" of set "${name}" needs exactly one of "value", "env", "store"`, `variables:\n  ${v}: { env: ${v} }        # or { value: "..." }, or { store: cluster }`);
      continue;
    }
    if ('value' in r) variables.push({ name: v, from: { kind: 'value', value: r.value }, pos: p });
    else if ('env' in r) {
      const found = env[r.env];
      const raw = found !== undefined && found !== '' ? found : r.default;
      if (raw === undefined) {
        err(p, `topology: variable "${v}" of set "${name}" comes from \${${r.env}}, which is not set`, `set ${r.env}, or give a default:\nvariables:\n  ${v}: { env: ${r.env}, default: "..." }`);
        continue;
      }
      const value = r.values ? r.values[raw] : raw;
      if (value === undefined) {
        err(p, `topology: variable "${v}" of set "${name}": \${${r.env}} is "${raw}", which "values" does not list`, `add it: values: { "${raw}": "..." }`);
        continue;
      }
      variables.push({ name: v, from: { kind: 'env', env: r.env, value }, pos: p });
    } else {
      if (NOT_SETTINGS.has(r.store)) {
        err(pos(['sets', name, 'variables', v, 'store']), `topology: variable "${v}" of set "${name}" cannot come from the store's "${r.store}"`, 'a URL may hold a password and never goes into SQL: use a setting such as database or name, or an engine setting (e.g. cluster)');
        continue;
      }
      variables.push({ name: v, from: { kind: 'store', setting: r.store, ...(r.default !== undefined ? { default: r.default } : {}), ...(r.values ? { values: r.values } : {}) }, pos: p });
    }
  }
  return { substitutions, variables };
}
