/**
 * `extends:` merging: maps merge deeply, lists replace, `null` removes a key.
 * Positions still point at the file that defined each value.
 */
import type { SourcePos } from './model.js';
import type { YamlSource } from './yaml-source.js';

export function mergeValues(base: unknown, over: unknown): unknown {
  if (over === null) return undefined;
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const merged = mergeValues(base[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  return over === undefined ? base : over;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(value: unknown, path: readonly (string | number)[]): boolean {
  let v: unknown = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !(String(p) in (v as object))) return false;
    v = (v as Record<string, unknown>)[String(p)];
  }
  return true;
}

/** The position of `path` in the nearest file (child first) that defines it. */
export function layeredPosition(layers: readonly YamlSource[], path: readonly (string | number)[], key = false): SourcePos {
  for (const l of layers) if (has(l.value, path)) return l.position(path, key);
  return layers[0]!.position([]);
}
