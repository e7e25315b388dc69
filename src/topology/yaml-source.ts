/**
 * A topology file parsed with `yaml`, keeping where every value is: a JSON
 * path such as `/services/social-service/stores/postgres` maps back to
 * file, line and column for diagnostics.
 *
 * @example
 * const src = parseYamlSource('topologies/a.yaml', text);
 * src.position(['stores', 'nova', 'url']) // { file, line: 12, column: 10 }
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type Diagnostic } from '../errors.js';
import type { SourcePos } from './model.js';
import { pathKey, type LineColumn, type PositionEntry, type PositionIndex } from './position-index.js';

export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
  /** Position of the value at `path` (or of its key when `key` is true); falls back to the nearest parent. */
  position(path: readonly (string | number)[], key?: boolean): SourcePos;
  /** Every position as plain data, to keep (see position-index.ts); absent for a source not parsed from text. */
  positionIndex?(): PositionIndex;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const p = lineCounter.linePos(e.pos[0]);
    diagnostics.push(
      diagnostic({
        code: 'topology.yaml',
        severity: doc.errors.includes(e as never) ? 'error' : 'warning',
        message: `topology: YAML ${doc.errors.includes(e as never) ? 'syntax error' : 'warning'} in "${file}": ${e.message.split('\n')[0]}`,
        file,
        line: p.line,
        column: p.col,
        hint: 'check indentation (spaces, not tabs), colons after keys, and quotes around values with ":" or "#"',
      }),
    );
  }
  const at = (offset: number): SourcePos => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  let value: unknown;
  if (!diagnostics.some((d) => d.severity === 'error')) {
    try {
      value = doc.toJS();
    } catch (e) {
      // An alias of an anchor defined later or nowhere, or too many aliases: found only when values are built.
      const p = lineCounter.linePos(unresolvedAlias(doc) ?? 0);
      diagnostics.push(
        diagnostic({
          code: 'topology.yaml',
          severity: 'error',
          message: `topology: YAML error in "${file}": ${(e as Error).message}`,
          file,
          line: p.line,
          column: p.col,
          hint: 'define an anchor (&name) before the alias (*name) that repeats it, and repeat few values that way',
        }),
      );
    }
  }
  return {
    file,
    value,
    diagnostics,
    position(path, key = false) {
      let node: unknown = doc.contents;
      let keyNode: Node | undefined;
      let last: SourcePos = at(0);
      for (const part of path) {
        if (isMap(node)) {
          const pair = pairsOf(node).get(String(part));
          if (!pair) break;
          keyNode = pair.key as Node;
          if (keyNode.range) last = at(keyNode.range[0]);
          node = pair.value;
        } else if (isSeq(node)) {
          node = node.items[Number(part)];
          keyNode = undefined;
        } else break;
        const n = node as Node | undefined;
        if (n?.range && !(key && keyNode)) last = at(n.range[0]);
      }
      return last;
    },
    positionIndex() {
      const lc = (offset: number): LineColumn => {
        const p = lineCounter.linePos(offset);
        return [p.line, p.col];
      };
      const entries: Record<string, PositionEntry> = Object.create(null) as Record<string, PositionEntry>;
      // The same walk as position(): map entries by their first key, list items by index, nothing below a scalar.
      const walk = (node: unknown, path: (string | number)[]): void => {
        if (isMap(node)) {
          for (const [k, pair] of pairsOf(node)) {
            const value = pair.value as Node | null;
            const keyRange = (pair.key as Node).range;
            entries[pathKey([...path, k])] = { ...(keyRange ? { k: lc(keyRange[0]) } : {}), ...(value?.range ? { v: lc(value.range[0]) } : {}) };
            walk(value, [...path, k]);
          }
        } else if (isSeq(node)) {
          node.items.forEach((item, i) => {
            const range = (item as Node | null)?.range;
            entries[pathKey([...path, i])] = range ? { v: lc(range[0]) } : {};
            walk(item, [...path, i]);
          });
        }
      };
      walk(doc.contents, []);
      return { root: lc(0), entries };
    },
  };
}

/** Where the first alias without an anchor before it is. */
function unresolvedAlias(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) {
        found = node.range?.[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Each map's pairs by key, built once: a topology of a thousand services is looked up a thousand times. */
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function pairsOf(map: YAMLMap): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) if (isPair(it) && isScalar(it.key) && !index.has(String(it.key.value))) index.set(String(it.key.value), it);
    pairIndex.set(map, index);
  }
  return index;
}
