/**
 * A topology file's reading kept between runs, next to the parse cache: its
 * values, every position (position-index.ts), what YAML warned about and what
 * the schema check found, under a key of the file's text, the name it is shown
 * by, the schema and the reading code (analyser-version.ts). A file whose text
 * is unchanged is then neither parsed as YAML nor validated again, and gives
 * the same values, diagnostics and positions as a fresh reading. One entry per
 * topology file (`topology-<id>.json`, replaced when the file changes); only a
 * reading with no error is kept, and only values JSON holds exactly.
 *
 * @example
 * const kept = readCachedSource('.topoplan/cache', '/repo/topology.yaml', 'topology.yaml', text);
 * if (!kept) writeCachedSource('.topoplan/cache', '/repo/topology.yaml', text, parseYamlSource(...), schemaDiagnostics);
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import { analyserVersion } from '../sql/analyser-version.js';
import { positionFromIndex, type PositionIndex } from './position-index.js';
import { schemaHash } from './schema-validator.js';
import type { YamlSource } from './yaml-source.js';

const FORMAT = 1;

interface Entry {
  readonly key: string;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
  readonly schemaDiagnostics: Diagnostic[];
  readonly index: PositionIndex;
}

export interface CachedReading {
  readonly source: YamlSource;
  readonly schemaDiagnostics: Diagnostic[];
}

/** The kept reading of `file` (absolute) if its text, label and the code reading it are unchanged. */
export function readCachedSource(dir: string, file: string, label: string, text: string): CachedReading | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryFile(dir, file), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (entry.key !== keyOf(label, text)) return undefined;
  return {
    source: { file: label, value: entry.value, diagnostics: entry.diagnostics, position: positionFromIndex(label, entry.index), positionIndex: () => entry.index },
    schemaDiagnostics: entry.schemaDiagnostics,
  };
}

/** Keeps a reading with no error; one that cannot be kept (values JSON would change, a directory not writable) is left out. */
export function writeCachedSource(dir: string, file: string, text: string, source: YamlSource, schemaDiagnostics: readonly Diagnostic[]): void {
  if (!source.positionIndex || [...source.diagnostics, ...schemaDiagnostics].some((d) => d.severity === 'error') || !exactInJson(source.value)) return;
  const entry: Entry = { key: keyOf(source.file, text), value: source.value, diagnostics: source.diagnostics, schemaDiagnostics: [...schemaDiagnostics], index: source.positionIndex() };
  const target = entryFile(dir, file);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, JSON.stringify(entry));
    renameSync(temp, target);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The directory itself is not there to write in (a file in its place): nothing was written.
    }
  }
}

function entryFile(dir: string, file: string): string {
  return join(dir, `topology-${createHash('sha256').update(resolve(file)).digest('hex').slice(0, 16)}.json`);
}

function keyOf(label: string, text: string): string {
  return createHash('sha256').update(`${FORMAT}\0${analyserVersion()}\0${schemaHash()}\0${label}\0`).update(text).digest('hex');
}

/** Values JSON gives back as they were: plain objects and arrays, strings, booleans, null and finite numbers (not -0). */
function exactInJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(exactInJson);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(v).every((k) => k !== '__proto__' && exactInJson((v as Record<string, unknown>)[k]));
}
