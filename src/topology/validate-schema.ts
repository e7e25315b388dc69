/**
 * Validates a topology file against `schemas/topology.schema.json` (the single
 * source of truth) and turns every ajv error into a positioned diagnostic:
 * unknown keys point at the key and suggest the nearest known one.
 */
import type { ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic } from '../errors.js';
import { schemaValidator } from './schema-validator.js';
import type { YamlSource } from './yaml-source.js';

export function validateSchema(src: YamlSource): Diagnostic[] {
  const validate = schemaValidator();
  if (validate(src.value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' || !(validate.errors ?? []).some((o) => o !== e && o.instancePath === e.instancePath && o.keyword === 'additionalProperties'));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(e, src);
    const k = `${d.line}:${d.column}:${d.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(e: ErrorObject, src: YamlSource): Diagnostic {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where = path.length ? `"${path.join('.')}"` : 'the top level';
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> }).properties ?? {});
    const near = nearest(extra, known);
    const pos = src.position([...path, extra], true);
    return diagnostic({ code: 'topology.schema', severity: 'error', message: `topology: unknown key "${extra}" in ${where}`, file: src.file, line: pos.line, column: pos.column, hint: near ? `did you mean "${near}"?` : `allowed keys: ${known.join(', ')}` });
  }
  const pos = src.position(path);
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return diagnostic({ code: 'topology.schema', severity: 'error', message: `topology: ${where} is missing "${missing}"`, file: src.file, line: pos.line, column: pos.column, hint: `add "${missing}:" to ${where}` });
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return diagnostic({ code: 'topology.schema', severity: 'error', message: `topology: ${where} must be one of ${allowed}`, file: src.file, line: pos.line, column: pos.column, hint: `use one of ${allowed}` });
  }
  if (e.keyword === 'oneOf') {
    return diagnostic({ code: 'topology.schema', severity: 'error', message: `topology: ${where} must have exactly one of "tables", "triggers", "indexes", "rows"`, file: src.file, line: pos.line, column: pos.column, hint: 'write one check per list item' });
  }
  const propName = e.keyword === 'propertyNames' ? ` (name "${String((e.params as { propertyName?: string }).propertyName)}")` : '';
  // A schema may say in its own words how to fix a pattern (x-hint); names of stores, sets and services share one rule.
  type Hinted = { 'x-hint'?: string; propertyNames?: { 'x-hint'?: string } } | undefined;
  const parent = e.parentSchema as Hinted;
  const own = parent?.['x-hint'] ?? parent?.propertyNames?.['x-hint'];
  const hint = own ?? (e.keyword === 'pattern' || e.keyword === 'propertyNames' ? 'names are lowercase letters, digits, "-" and "_", starting with a letter' : 'see schemas/topology.schema.json');
  return diagnostic({ code: 'topology.schema', severity: 'error', message: `topology: ${where}${propName} ${e.message ?? 'is invalid'}`, file: src.file, line: pos.line, column: pos.column, hint });
}

/** The known word closest to `word` by edit distance, if it is close enough to be a typo. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
