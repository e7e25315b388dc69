/**
 * A file as messages and JSON show it: relative to the current directory
 * when inside it (with `/` separators), so output stays short and the same on
 * every machine; absolute otherwise.
 *
 * @example shownPath('/work/app/schema/nova.json') // 'schema/nova.json' when run in /work/app
 */
import path from 'node:path';

export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
