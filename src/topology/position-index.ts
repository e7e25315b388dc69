/**
 * Where every value of a topology file is, as plain data: for each JSON path
 * (parts joined by NUL) the line and column of its key (for a map entry) and of
 * its value. Built from the parsed YAML document, kept in the cache with the
 * file's values (source-cache.ts), and answering `position()` exactly as the
 * document itself does, so a topology read from the cache reports the same
 * places without loading the YAML parser.
 *
 * @example
 * const where = positionFromIndex('topology.yaml', index);
 * where(['stores', 'main', 'url']) // { file: 'topology.yaml', line: 4, column: 10 }
 */
import type { SourcePos } from './model.js';

/** A line and a column, 1-based. */
export type LineColumn = readonly [line: number, column: number];

export interface PositionEntry {
  /** Where the key is, for an entry of a map. */
  readonly k?: LineColumn;
  /** Where the value is; absent for an empty value. */
  readonly v?: LineColumn;
}

export interface PositionIndex {
  /** Where the document starts: the position of a path that names nothing. */
  readonly root: LineColumn;
  readonly entries: Readonly<Record<string, PositionEntry>>;
}

/** The key of a path in `entries`. */
export function pathKey(path: readonly (string | number)[]): string {
  return path.map(String).join('\0');
}

/** `position(path, key)` of a YamlSource, answered from an index: the nearest place the path reaches. */
export function positionFromIndex(file: string, index: PositionIndex): (path: readonly (string | number)[], key?: boolean) => SourcePos {
  return (path, key = false) => {
    let last = index.root;
    let at = '';
    for (const [i, part] of path.entries()) {
      at = i === 0 ? String(part) : `${at}\0${String(part)}`;
      if (!Object.hasOwn(index.entries, at)) break;
      const entry = index.entries[at]!;
      if (entry.k) last = entry.k;
      if (entry.v && !(key && entry.k)) last = entry.v;
    }
    return { file, line: last[0], column: last[1] };
  };
}
